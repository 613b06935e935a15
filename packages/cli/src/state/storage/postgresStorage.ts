import pg from "pg";
import { withRetry } from "../../resilience/retry";
import { postgresClientConfig } from "../postgresTls";
import type { BackendLocation } from "../backendUrl";
import type { StateStorage, StoredObject } from "./storage";

/**
 * A postgres:// backend: the table Pulumi's PostgreSQL backend keeps its objects in, one
 * row per key, the bytes base64-encoded in a JSON document `{"data": "..."}` (its format).
 */
export class PostgresStorage implements StateStorage {
  private readonly pool: pg.Pool;

  constructor(readonly location: Extract<BackendLocation, { kind: "postgres" }>) {
    this.pool = new pg.Pool({
      ...postgresClientConfig(location.connectionString),
      max: 2,
      connectionTimeoutMillis: 10_000,
      query_timeout: 30_000,
    });
  }

  private query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return withRetry(() => this.pool.query<R>(sql, values), { what: "query the PostgreSQL state backend" });
  }

  private key(key: string): string {
    return `${this.location.prefix}${key}`;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { rows } = await this.query<{ data: string }>(
      `SELECT data::text AS data FROM ${this.location.table} WHERE key = $1`,
      [this.key(key)],
    );
    if (!rows[0]) return undefined;
    return Buffer.from((JSON.parse(rows[0].data) as { data: string }).data, "base64");
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.query(
      `INSERT INTO ${this.location.table} (key, data) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
      [this.key(key), JSON.stringify({ data: body.toString("base64") })],
    );
  }

  async delete(key: string): Promise<void> {
    await this.query(`DELETE FROM ${this.location.table} WHERE key = $1`, [this.key(key)]);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const pattern = `${this.key(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.query<{ key: string; size: number; updated_at: Date }>(
      `SELECT key, octet_length(decode(data->>'data', 'base64')) AS size, updated_at FROM ${this.location.table} WHERE key LIKE $1 ORDER BY key`,
      [pattern],
    );
    return rows.map((row) => ({
      key: row.key.slice(this.location.prefix.length),
      size: Number(row.size),
      modified: row.updated_at,
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
