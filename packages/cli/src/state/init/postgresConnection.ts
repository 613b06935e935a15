import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import pg from "pg";
import { withRetry } from "../../resilience/retry";
import { postgresClientConfig } from "../postgresTls";

/** How the connection to the state database is protected. */
export type TlsLevel = "verified" | "unverified" | "none";

export interface StateDatabase {
  readonly client: pg.Client;
  readonly tls: TlsLevel;
  /** sslmode as written in the URL; undefined when absent. */
  readonly sslmode: string | undefined;
  readonly host: string;
}

/**
 * Connects the way Pulumi's postgres:// backend (Go's lib/pq) reads the same URL:
 * sslmode `require` encrypts without checking the certificate, `verify-ca` checks it
 * against sslrootcert, `verify-full` also checks the host name, `disable` does not
 * encrypt, and no sslmode means `require`. node-postgres reads these differently, so
 * they are mapped here. Then asks the server whether the session is encrypted.
 */
export async function connectStateDatabase(connectionString: string): Promise<StateDatabase> {
  const url = new URL(connectionString);
  const sslmode = url.searchParams.get("sslmode") ?? undefined;
  const { ssl, sslmode: mode, connectionString: withoutTls } = postgresClientConfig(connectionString);

  const connect = async (options: ConnectionOptions | false) => {
    const client = new pg.Client({
      connectionString: withoutTls,
      ssl: options,
      connectionTimeoutMillis: 10_000,
      query_timeout: 30_000,
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  };
  const client = await withRetry(
    async () => {
      try {
        return await connect(ssl);
      } catch (error) {
        // prefer and allow fall back to a plain connection when the server has no TLS, as libpq does.
        if ((mode === "prefer" || mode === "allow") && /does not support SSL/i.test((error as Error).message))
          return connect(false);
        throw error;
      }
    },
    { what: `connect to the PostgreSQL state backend at ${url.hostname}` },
  );
  const { rows } = await client.query<{ ssl: boolean }>(
    "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl",
  );
  const encrypted = rows[0]?.ssl === true;
  const tls: TlsLevel = !encrypted ? "none" : mode.startsWith("verify-") ? "verified" : "unverified";
  return { client, tls, sslmode, host: url.hostname };
}

/** Where the database answers: loopback, a private address, a public one, or a name. */
export function addressKind(host: string): "loopback" | "private" | "public" | "name" {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return "loopback";
  const family = isIP(bare);
  if (family === 0) return "name";
  if (family === 6) {
    if (bare === "::1") return "loopback";
    return /^f[cd]/i.test(bare) ? "private" : "public";
  }
  const [a, b] = bare.split(".").map(Number) as [number, number];
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127))
    return "private";
  return "public";
}
