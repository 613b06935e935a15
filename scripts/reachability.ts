import type { LocalDeployment } from "./localDeploy";

/** How to reach what a local deployment created: endpoints, the database, the buckets. */
export function reachability({ local, outputs, databasePassword }: LocalDeployment): string {
  const env = local.env();
  const lines = ["What was deployed, and how to reach it:", ""];
  const endpoints = (outputs.endpoints ?? {}) as Record<string, string>;
  const publicOnes = (outputs.publicEndpoints ?? {}) as Record<string, string>;
  const curl = `curl --proxy ${env.HTTPS_PROXY} --cacert ${env.SSL_CERT_FILE}`;
  lines.push("Services (through the local Scaleway's HTTPS proxy):");
  for (const [name, url] of Object.entries(endpoints)) {
    const access = name in publicOnes ? "public" : "private: needs a container token (X-Auth-Token)";
    lines.push(`  ${name.padEnd(8)} ${url}  (${access})`, `           ${curl} ${url}/health`);
  }
  if (outputs.databaseHost) {
    lines.push(
      "",
      "PostgreSQL (a real server on loopback):",
      `  PGPASSWORD='${databasePassword ?? "<see Secret Manager>"}' psql "host=${outputs.databaseHost} port=${outputs.databasePort} ` +
        `dbname=${outputs.databaseName} user=${outputs.databaseUser} sslmode=disable"`,
    );
  }
  const buckets = (outputs.bucketNames ?? {}) as Record<string, string>;
  if (Object.keys(buckets).length) {
    lines.push("", "Buckets (S3 at https://s3.fr-par.scw.cloud through the proxy):");
    for (const [key, name] of Object.entries(buckets)) lines.push(`  ${key.padEnd(8)} s3://${name}`);
  }
  lines.push(
    "",
    "Scaleway clients (scw, the SDKs, pulumi in infra/) reach the local Scaleway with:",
    ...[
      "SCW_API_URL",
      "SCW_ACCESS_KEY",
      "SCW_SECRET_KEY",
      "SCW_DEFAULT_PROJECT_ID",
      "HTTPS_PROXY",
      "SSL_CERT_FILE",
    ].map((name) => `  export ${name}=${env[name]}`),
  );
  return lines.join("\n");
}
