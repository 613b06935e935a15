import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";

const TLS_PARAMETERS = ["sslmode", "sslrootcert", "sslcert", "sslkey"];

/**
 * node-postgres settings that read a postgres:// URL the way Pulumi's backend (Go's
 * lib/pq) reads it, so that sovstack's leases and reads use the connection the engine
 * uses: `require` (also when there is no sslmode) encrypts without checking the
 * certificate, `verify-ca` checks it against sslrootcert, `verify-full` also checks the
 * host name, `disable` does not encrypt. node-postgres alone would read `require` as
 * `verify-full` and no sslmode as no encryption.
 */
export function postgresClientConfig(connectionString: string): {
  connectionString: string;
  ssl: ConnectionOptions | false;
  sslmode: string;
} {
  const url = new URL(connectionString);
  const mode = url.searchParams.get("sslmode") ?? "require";
  const file = (name: string) => {
    const path = url.searchParams.get(name);
    return path ? readFileSync(path, "utf8") : undefined;
  };
  const certificates = { ca: file("sslrootcert"), cert: file("sslcert"), key: file("sslkey") };
  for (const name of TLS_PARAMETERS) url.searchParams.delete(name);
  let ssl: ConnectionOptions | false;
  if (mode === "disable") ssl = false;
  else if (mode === "verify-full") ssl = { ...certificates, rejectUnauthorized: true };
  else if (mode === "verify-ca")
    ssl = { ...certificates, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  else ssl = { ...certificates, rejectUnauthorized: false };
  return { connectionString: url.toString(), ssl, sslmode: mode };
}
