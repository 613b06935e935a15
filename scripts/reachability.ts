import type { Workspace } from "@pulumi/pulumi/automation";
import { LOCAL_PASSPHRASE } from "../packages/cli/src/state/stackPassphrase";
import { shellQuote, type LocalScaleway } from "../packages/scaleway-local/src";

export { shellQuote };

/** What reachability reads of a local deployment (a LocalDeployment is one). */
export interface ReachableDeployment {
  readonly local: Pick<LocalScaleway, "env">;
  readonly stack: { readonly workspace: Pick<Workspace, "envVars"> };
  readonly outputs: Record<string, unknown>;
  readonly databasePassword?: string;
}

/** How to reach what a local deployment created: endpoints, the database, the buckets, the clients' variables. */
export function reachability({ local, stack, outputs, databasePassword }: ReachableDeployment): string {
  const env = local.env();
  const lines = ["What was deployed, and how to reach it:", ""];
  const endpoints = (outputs.endpoints ?? {}) as Record<string, string>;
  const publicOnes = (outputs.publicEndpoints ?? {}) as Record<string, string>;
  const curl = `curl --proxy ${shellQuote(env.HTTPS_PROXY ?? "")} --cacert ${shellQuote(env.SSL_CERT_FILE ?? "")}`;
  lines.push("Services (through the local Scaleway's HTTPS proxy):");
  for (const [name, url] of Object.entries(endpoints)) {
    const access = name in publicOnes ? "public" : "private: needs a container token (X-Auth-Token)";
    lines.push(`  ${name.padEnd(8)} ${url}  (${access})`, `           ${curl} ${shellQuote(`${url}/health`)}`);
  }
  if (outputs.databaseHost) {
    const conninfo =
      `host=${outputs.databaseHost} port=${outputs.databasePort} dbname=${outputs.databaseName} ` +
      `user=${outputs.databaseUser} sslmode=disable`;
    const password = databasePassword ? shellQuote(databasePassword) : "'<see Secret Manager>'";
    lines.push("", "PostgreSQL (a real server on loopback):", `  PGPASSWORD=${password} psql ${shellQuote(conninfo)}`);
  }
  const buckets = (outputs.bucketNames ?? {}) as Record<string, string>;
  if (Object.keys(buckets).length) {
    lines.push("", "Buckets (S3 at https://s3.fr-par.scw.cloud through the proxy):");
    for (const [key, name] of Object.entries(buckets)) lines.push(`  ${key.padEnd(8)} s3://${name}`);
  }
  lines.push(
    "",
    "Scaleway clients (scw, the SDKs, the engine and provider) reach the local Scaleway with:",
    ...exportLines(env),
  );
  // The workspace's own variables name the state this deployment lives in.
  const backendUrl = stack.workspace.envVars.PULUMI_BACKEND_URL;
  const passphrase = stack.workspace.envVars.PULUMI_CONFIG_PASSPHRASE;
  if (backendUrl) {
    lines.push(
      "",
      'sovstack and pulumi (in infra/, after `eval "$(node toolchain/setup.mjs --print-env)"`) find this state with:',
      ...exportLines({
        SOVSTACK_BACKEND_URL: backendUrl,
        PULUMI_BACKEND_URL: backendUrl,
        // Only the public local passphrase is printed: an exported real one stays off screens and CI logs.
        ...(passphrase === LOCAL_PASSPHRASE ? { PULUMI_CONFIG_PASSPHRASE: passphrase } : {}),
      }),
      ...(passphrase && passphrase !== LOCAL_PASSPHRASE
        ? ["  # PULUMI_CONFIG_PASSPHRASE: the one exported in this shell (not printed)"]
        : []),
    );
  }
  return lines.join("\n");
}

/** One `export NAME=value` line per variable, every value quoted for a POSIX shell (an empty one too). */
export function exportLines(variables: Readonly<Record<string, string>>): string[] {
  return Object.entries(variables).map(([name, value]) => `  export ${name}=${shellQuote(value)}`);
}
