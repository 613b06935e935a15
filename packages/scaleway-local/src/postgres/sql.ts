import pg from "pg";
import type { PostgresCluster } from "./cluster";

const { escapeIdentifier: ident, escapeLiteral: literal } = pg;

/** Scaleway's permissions on a database, as the API names them. */
export type Permission = "readonly" | "readwrite" | "all" | "custom" | "none";

/** A role's permission on one database, for {@link syncPrivileges}. */
export interface Grant {
  readonly role: string;
  readonly permission: Permission;
}

/** The default database every instance has. */
export const DEFAULT_DATABASE = "rdb";

/** Gives a server copied from the template (or another server) its own superuser password. */
export async function setSuperuserPassword(cluster: PostgresCluster, oldPassword: string, newPassword: string) {
  const client = await cluster.connect("postgres", oldPassword);
  try {
    await client.query(`ALTER ROLE ${ident(cluster.superuser)} PASSWORD ${literal(newPassword)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  cluster.password = newPassword;
}

/** What a new server holds besides the template: the `rdb` database, closed to the public like the others. */
export async function createDefaultDatabase(cluster: PostgresCluster) {
  await createDatabase(cluster, DEFAULT_DATABASE);
  await cluster.withClient("postgres", (client) => client.query("REVOKE ALL ON DATABASE postgres FROM PUBLIC"));
}

export function createRole(cluster: PostgresCluster, name: string, password: string, isAdmin: boolean) {
  return cluster.exclusive(() =>
    cluster.withClient("postgres", (client) =>
      client.query(`CREATE ROLE ${ident(name)} WITH LOGIN PASSWORD ${literal(password)} ${adminAttributes(isAdmin)}`),
    ),
  );
}

export function updateRole(cluster: PostgresCluster, name: string, change: { password?: string; isAdmin?: boolean }) {
  return cluster.exclusive(() =>
    cluster.withClient("postgres", async (client) => {
      if (change.password !== undefined)
        await client.query(`ALTER ROLE ${ident(name)} WITH PASSWORD ${literal(change.password)}`);
      if (change.isAdmin !== undefined)
        await client.query(`ALTER ROLE ${ident(name)} WITH ${adminAttributes(change.isAdmin)}`);
    }),
  );
}

/**
 * Drops a role the way the service does: what it owns goes to the superuser first (its
 * tables stay), then its privileges go, in every database.
 */
export function dropRole(cluster: PostgresCluster, name: string) {
  return cluster.exclusive(async () => {
    for (const database of await databaseNames(cluster)) {
      await cluster.withClient(database, async (client) => {
        await client.query(`REASSIGN OWNED BY ${ident(name)} TO ${ident(cluster.superuser)}`);
        await client.query(`DROP OWNED BY ${ident(name)}`);
      });
    }
    await cluster.withClient("postgres", (client) => client.query(`DROP ROLE IF EXISTS ${ident(name)}`));
  });
}

/** A database owned by the superuser that nobody may enter until given a permission. */
export function createDatabase(cluster: PostgresCluster, name: string) {
  return cluster.exclusive(() =>
    cluster.withClient("postgres", async (client) => {
      await client.query(`CREATE DATABASE ${ident(name)}`);
      await client.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`);
    }),
  );
}

export function dropDatabase(cluster: PostgresCluster, name: string) {
  return cluster.exclusive(() =>
    cluster.withClient("postgres", (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)),
  );
}

/** Sizes in bytes of the databases, by name. */
export async function databaseSizes(cluster: PostgresCluster): Promise<Map<string, number>> {
  const { rows } = await cluster.withClient("postgres", (client) =>
    client.query<{ datname: string; size: string }>(
      "SELECT datname, pg_database_size(oid)::text AS size FROM pg_database WHERE datallowconn",
    ),
  );
  return new Map(rows.map((row) => [row.datname, Number(row.size)]));
}

/**
 * Sets the real privileges of every role on one database from the API's permissions:
 * each role is reset first, then given what its permission means, on the schemas that
 * exist and, through default privileges, on the tables any creator makes later.
 */
export function syncPrivileges(
  cluster: PostgresCluster,
  database: string,
  grants: readonly Grant[],
  creators: readonly string[],
) {
  return cluster.exclusive(async () => {
    const owners = [...new Set([cluster.superuser, ...creators])];
    await cluster.withClient("postgres", async (client) => {
      for (const { role, permission } of grants) {
        await client.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM ${ident(role)}`);
        const onDatabase = { readonly: "CONNECT", readwrite: "CONNECT, TEMPORARY", all: "ALL", custom: "CONNECT" };
        if (permission !== "none")
          await client.query(`GRANT ${onDatabase[permission]} ON DATABASE ${ident(database)} TO ${ident(role)}`);
      }
    });
    await cluster.withClient(database, async (client) => {
      const { rows } = await client.query<{ nspname: string }>(
        "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'",
      );
      for (const { role, permission } of grants) {
        if (permission === "custom") continue;
        for (const { nspname } of rows) {
          for (const statement of schemaStatements(ident(nspname), ident(role), permission, owners.map(ident)))
            await client.query(statement);
        }
      }
    });
  });
}

function schemaStatements(schema: string, role: string, permission: Permission, owners: string[]): string[] {
  const revoke = [
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM ${role}`,
    ...owners.flatMap((owner) => [
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM ${role}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM ${role}`,
    ]),
  ];
  const levels: Record<string, { schema: string; tables: string; sequences: string; functions?: string }> = {
    readonly: { schema: "USAGE", tables: "SELECT", sequences: "SELECT" },
    readwrite: {
      schema: "USAGE",
      tables: "SELECT, INSERT, UPDATE, DELETE",
      sequences: "USAGE, SELECT, UPDATE",
      functions: "EXECUTE",
    },
    all: { schema: "ALL", tables: "ALL", sequences: "ALL", functions: "ALL" },
  };
  const level = levels[permission];
  if (!level) return revoke;
  return [
    ...revoke,
    `GRANT ${level.schema} ON SCHEMA ${schema} TO ${role}`,
    `GRANT ${level.tables} ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
    `GRANT ${level.sequences} ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
    ...(level.functions ? [`GRANT ${level.functions} ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${role}`] : []),
    ...owners.flatMap((owner) => [
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT ${level.tables} ON TABLES TO ${role}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT ${level.sequences} ON SEQUENCES TO ${role}`,
    ]),
  ];
}

/**
 * Applies engine settings with ALTER SYSTEM (values carry their unit, e.g. `4MB`) and
 * reloads; settings the server does not know (extensions not shipped) are left out.
 * Answers whether a restart is needed for some of them to apply (`postmaster` settings).
 */
export function applySettings(
  cluster: PostgresCluster,
  settings: ReadonlyArray<{ name: string; value: string }>,
  reset: readonly string[] = [],
) {
  return cluster.exclusive(() =>
    cluster.withClient("postgres", async (client) => {
      const names = [...settings.map((s) => s.name), ...reset];
      const { rows } = await client.query<{ name: string }>("SELECT name FROM pg_settings WHERE name = ANY($1)", [
        names,
      ]);
      const known = new Set(rows.map((row) => row.name));
      for (const { name, value } of settings)
        if (known.has(name)) await client.query(`ALTER SYSTEM SET ${ident(name)} = ${literal(value)}`);
      for (const name of reset) if (known.has(name)) await client.query(`ALTER SYSTEM RESET ${ident(name)}`);
      const before = await client.query<{ at: Date }>("SELECT pg_conf_load_time() AS at");
      await client.query("SELECT pg_reload_conf()");
      // The session takes the reload between two statements: wait for it, then trust pending_restart.
      for (let tries = 0; tries < 100; tries++) {
        const now = await client.query<{ at: Date }>("SELECT pg_conf_load_time() AS at");
        if (now.rows[0]!.at.getTime() !== before.rows[0]!.at.getTime()) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Only ours: a setting given on the command line may show pending after any reload.
      const pending = await client.query<{ pending: boolean }>(
        "SELECT coalesce(bool_or(pending_restart), false) AS pending FROM pg_settings WHERE name = ANY($1)",
        [names],
      );
      return pending.rows[0]?.pending ?? false;
    }),
  );
}

/** Turns a hot standby into a primary that accepts writes and follows nobody. */
export async function promote(cluster: PostgresCluster) {
  await cluster.withClient("postgres", async (client) => {
    await client.query("SELECT pg_promote(true, 60)");
    await client.query("ALTER SYSTEM RESET primary_conninfo");
    await client.query("SELECT pg_reload_conf()");
  });
}

export async function databaseNames(cluster: PostgresCluster): Promise<string[]> {
  const { rows } = await cluster.withClient("postgres", (client) =>
    client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname"),
  );
  return rows.map((row) => row.datname);
}

function adminAttributes(isAdmin: boolean): string {
  return isAdmin ? "CREATEDB CREATEROLE" : "NOCREATEDB NOCREATEROLE";
}
