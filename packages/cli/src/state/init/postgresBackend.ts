import type pg from "pg";
import { ensurePassphrases } from "./passphrases";
import type { PostgresInitPlan } from "./plan";
import { addressKind, connectStateDatabase, type StateDatabase } from "./postgresConnection";
import type { InitReport } from "./report";
import { scalewayClients } from "./scalewayClients";

/** The leases table of postgresLease.ts, which creates it the same way on first use. */
const LEASES_TABLE = "sovstack_leases";
const LEASES_DDL = `CREATE TABLE IF NOT EXISTS ${LEASES_TABLE} (stack text PRIMARY KEY, record jsonb NOT NULL)`;

/** The columns Pulumi's postgres backend reads and writes (pkg/backend/diy/postgres/schema.sql). */
const STATE_COLUMNS = { key: "text", data: "json", updated_at: "timestamp with time zone" } as const;

/**
 * Prepares a postgres:// state backend: Pulumi's state table and its key prefix index,
 * the leases table, a check of the connection's protection and, with Scaleway
 * credentials, the environments' passphrases in Secret Manager. Each object is created
 * only when missing; a second run changes nothing.
 */
export async function initPostgresBackend(plan: PostgresInitPlan, report: InitReport): Promise<void> {
  const database = await connectStateDatabase(plan.connectionString);
  try {
    checkProtection(database, report);
    await ensureStateTable(database.client, plan.table, report);
    const leases = await tableExists(database.client, LEASES_TABLE);
    if (!leases) await database.client.query(LEASES_DDL);
    report.add({ kind: "table", name: `table ${LEASES_TABLE}`, status: leases ? "unchanged" : "created" });
  } finally {
    await database.client.end();
  }

  if (plan.secrets) {
    const clients = scalewayClients(plan.secrets.credentials, plan.secrets.projectId, plan.region);
    await ensurePassphrases(clients, plan.environments, report);
  } else
    report.note(
      "No Scaleway credentials and project: the passphrases were not put in Secret Manager. Fix: export SCW_ACCESS_KEY, " +
        "SCW_SECRET_KEY and SCW_DEFAULT_PROJECT_ID and run init again, or keep PULUMI_CONFIG_PASSPHRASE yourself.",
    );
}

async function ensureStateTable(client: pg.Client, table: string, report: InitReport): Promise<void> {
  // Pulumi writes the name unquoted: PostgreSQL folds it to lower case, as the catalog holds it.
  const stored = table.toLowerCase();
  const exists = await tableExists(client, stored);
  if (exists) {
    const { rows } = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1`,
      [stored],
    );
    const columns = Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
    const wrong = Object.entries(STATE_COLUMNS).filter(([name, type]) => columns[name] !== type);
    if (wrong.length)
      throw new Error(
        `Table ${table} exists but is not Pulumi's state table (${wrong
          .map(([name, type]) => `${name} should be ${type}, is ${columns[name] ?? "missing"}`)
          .join("; ")}). Fix: give the backend another table with ?table=<name>.`,
      );
  } else
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         key TEXT PRIMARY KEY,
         data JSON NOT NULL,
         updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
       )`,
    );
  report.add({ kind: "table", name: `table ${table}`, status: exists ? "unchanged" : "created" });

  // Pulumi lists stacks and history by key prefix (LIKE 'prefix%'), which this index serves.
  const index = `${stored}_key_prefix_idx`;
  const { rowCount } = await client.query(
    "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2",
    [stored, index],
  );
  if (!rowCount) await client.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (key text_pattern_ops)`);
  report.add({ kind: "index", name: `index ${index}`, status: rowCount ? "unchanged" : "created" });
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table]);
  return rows[0]?.found === true;
}

/** State holds every resource's settings and encrypted secrets: it travels encrypted, on a private network. */
function checkProtection(database: StateDatabase, report: InitReport): void {
  const mode = database.sslmode ?? "unset (Pulumi then uses require)";
  if (database.tls === "none")
    report.warn(
      `The connection to the state database is not encrypted (sslmode=${mode}). Fix: add sslmode=verify-full&sslrootcert=<file> ` +
        "with the database's certificate (console: Managed Databases > your instance > Download TLS certificate).",
    );
  else if (database.tls === "unverified")
    report.warn(
      `The connection is encrypted but the server's certificate is not checked (sslmode=${mode}), so it could be intercepted. ` +
        "Fix: use sslmode=verify-full&sslrootcert=<file> with the database's certificate.",
    );
  else report.note(`The connection is encrypted and the server's certificate checked (sslmode=${database.sslmode}).`);

  const kind = addressKind(database.host);
  if (kind === "public")
    report.warn(
      `${database.host} is a public address. A managed database holding state must be reachable on a private network only. ` +
        "Fix: attach the instance to a private network, remove its public endpoint, and run init from inside that network.",
    );
  else if (kind === "name")
    report.note(
      `The managed database holding state must be reachable on a private network only: check that ${database.host} is its ` +
        "private network endpoint and that the instance has no public endpoint.",
    );
  else if (kind === "private")
    report.note(`${database.host} is a private address: keep the instance without a public endpoint.`);
  else report.note(`${database.host} is this machine: a local database (in production, use a private network).`);
}
