import pg from "pg";
import { withRetry } from "../../resilience/retry";
import { postgresClientConfig } from "../postgresTls";
import {
  LeaseHeldError,
  LeaseLostError,
  newLeaseRecord,
  renewedLeaseRecord,
  type Lease,
  type LeaseHolder,
  type LeaseRecord,
  type LeaseStore,
} from "./lease";

/**
 * Leases on a PostgreSQL state backend: a session-level advisory lock, which PostgreSQL
 * itself releases when the holder's connection ends (a killed deployment included), and
 * a row that says who holds it. The lock, not the row, is the truth.
 */
export class PostgresLeaseStore implements LeaseStore {
  constructor(
    private readonly connectionString: string,
    private readonly options: { readonly ttlMs?: number } = {},
  ) {}

  async acquire(stack: string, holder: LeaseHolder): Promise<Lease> {
    // The session is the lock: if it ends (forced unlock, network), the lease is lost.
    let lost: Error | undefined;
    const client = await connect(this.connectionString, (error) => (lost = error));
    try {
      await ensureTable(client);
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext($1)::bigint) AS locked",
        [lockName(stack)],
      );
      if (!rows[0]?.locked) throw new LeaseHeldError((await readHolder(client, stack)) ?? unknownHolder(stack));
      const ttlMs = this.options.ttlMs ?? 60_000;
      const record = newLeaseRecord(stack, holder, Date.now(), ttlMs);
      await client.query(
        `INSERT INTO sovstack_leases (stack, record) VALUES ($1, $2::jsonb || jsonb_build_object('backendPid', pg_backend_pid()))
         ON CONFLICT (stack) DO UPDATE SET record = EXCLUDED.record`,
        [stack, record],
      );
      let current = record;
      return {
        get record() {
          return current;
        },
        renew: async () => {
          if (lost) throw new LeaseLostError(stack);
          current = renewedLeaseRecord(current, Date.now(), ttlMs);
          await client.query(
            "UPDATE sovstack_leases SET record = $2::jsonb || jsonb_build_object('backendPid', pg_backend_pid()) WHERE stack = $1",
            [stack, current],
          );
        },
        release: async () => {
          if (lost) return;
          try {
            await client.query("DELETE FROM sovstack_leases WHERE stack = $1 AND record->>'leaseId' = $2", [
              stack,
              current.leaseId,
            ]);
            await client.query("SELECT pg_advisory_unlock(hashtext($1)::bigint)", [lockName(stack)]);
          } finally {
            await client.end();
          }
        },
      };
    } catch (error) {
      await client.end();
      throw error;
    }
  }

  async inspect(stack: string): Promise<LeaseRecord | undefined> {
    return this.withClient(async (client) => {
      const record = await readRow(client, stack);
      if (!record) return undefined;
      // A row without its lock is a leftover of a holder whose session ended.
      const { rows } = await client.query<{ held: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = (hashtext($1)::bigint & 4294967295)::oid AND granted) AS held",
        [lockName(stack)],
      );
      return rows[0]?.held ? record : { ...record, expiresAt: record.acquiredAt };
    });
  }

  async forceRelease(stack: string): Promise<LeaseRecord | undefined> {
    return this.withClient(async (client) => {
      const record = await readRow(client, stack);
      // Ends the holder's session, which frees its advisory lock.
      await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND objid = (hashtext($1)::bigint & 4294967295)::oid AND pid <> pg_backend_pid()`,
        [lockName(stack)],
      );
      await client.query("DELETE FROM sovstack_leases WHERE stack = $1", [stack]);
      return record;
    });
  }

  private async withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await connect(this.connectionString);
    try {
      await ensureTable(client);
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/**
 * A connection with time limits, retried on transient failures (a database restarting,
 * a network blip). Each try gets a client of its own: a pg.Client connects only once.
 */
function connect(connectionString: string, onError?: (error: Error) => void): Promise<pg.Client> {
  return withRetry(
    async () => {
      const client = new pg.Client({
        ...postgresClientConfig(connectionString),
        connectionTimeoutMillis: 10_000,
        query_timeout: 30_000,
      });
      client.on("error", onError ?? (() => undefined));
      try {
        await client.connect();
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
    { what: "connect to the PostgreSQL state backend" },
  );
}

function lockName(stack: string): string {
  return `sovstack:${stack}`;
}

async function ensureTable(client: pg.Client): Promise<void> {
  try {
    await client.query("CREATE TABLE IF NOT EXISTS sovstack_leases (stack text PRIMARY KEY, record jsonb NOT NULL)");
  } catch (error) {
    // Two first deployments at once: both see no table, one creates it, the other's
    // CREATE fails on the catalogue's unique index. The table exists: carry on.
    const code = (error as { code?: string }).code;
    if (code !== "23505" && code !== "42P07" && code !== "42710") throw error;
  }
}

async function readRow(client: pg.Client, stack: string): Promise<LeaseRecord | undefined> {
  const { rows } = await client.query<{ record: LeaseRecord & { backendPid?: number } }>(
    "SELECT record FROM sovstack_leases WHERE stack = $1",
    [stack],
  );
  if (!rows[0]) return undefined;
  const { backendPid: _session, ...record } = rows[0].record;
  return record;
}

/**
 * The row of the session that holds the lock. A holder takes the lock, then writes its
 * row: in between, the row is missing or a previous holder's. It is read again, briefly,
 * until it is the row of the session holding the lock.
 */
async function readHolder(client: pg.Client, stack: string): Promise<LeaseRecord | undefined> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const { rows } = await client.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND objid = (hashtext($2)::bigint & 4294967295)::oid AND pid = (l.record->>'backendPid')::int) AS held
       FROM sovstack_leases l WHERE l.stack = $1`,
      [stack, lockName(stack)],
    );
    if (rows[0]?.held) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return readRow(client, stack);
}

function unknownHolder(stack: string): LeaseRecord {
  const now = new Date().toISOString();
  return {
    stack,
    who: "an unknown holder",
    operation: "unknown",
    pid: 0,
    host: "unknown",
    leaseId: "",
    acquiredAt: now,
    renewedAt: now,
    expiresAt: now,
  };
}
