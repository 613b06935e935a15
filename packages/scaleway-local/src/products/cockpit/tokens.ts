import { randomUUID } from "node:crypto";
import { notFound } from "../../http/errors";
import { nowIso } from "../../state/lifecycle";
import type { Collection, Store, StoredRecord } from "../../state/store";
import type { Region } from "./request";

export const TOKEN_SCOPES = [
  "read_only_metrics",
  "write_only_metrics",
  "full_access_metrics_rules",
  "read_only_logs",
  "write_only_logs",
  "full_access_logs_rules",
  "full_access_alert_manager",
  "read_only_traces",
  "write_only_traces",
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface TokenRecord extends StoredRecord {
  project_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  scopes: TokenScope[];
  region: Region;
  /** Kept to authenticate pushes; the API shows it once, at creation. */
  _secret: string;
}

/** Cockpit tokens: scoped secrets that agents present to push or query data. */
export class Tokens {
  private readonly records: Collection<TokenRecord>;

  constructor(store: Store) {
    this.records = store.collection<TokenRecord>("cockpit.tokens");
  }

  create(input: { region: Region; projectId: string; name: string; scopes: TokenScope[] }): TokenRecord {
    const now = nowIso();
    return this.records.insert({
      id: randomUUID(),
      project_id: input.projectId,
      name: input.name,
      created_at: now,
      updated_at: now,
      scopes: [...new Set(input.scopes)],
      region: input.region,
      _secret: randomUUID(),
    });
  }

  get(region: Region, id: string): TokenRecord {
    const record = this.records.get(id);
    if (!record || record.region !== region) throw notFound("token", id);
    return record;
  }

  list(region: Region, filter: { projectId?: string; scopes: readonly string[] }): TokenRecord[] {
    return this.records.list(
      (r) =>
        r.region === region &&
        (!filter.projectId || r.project_id === filter.projectId) &&
        filter.scopes.every((scope) => (r.scopes as string[]).includes(scope)),
    );
  }

  delete(region: Region, id: string): void {
    this.get(region, id);
    this.records.delete(id);
  }

  /** The token a push presents, if it exists. */
  findBySecret(secret: string): TokenRecord | undefined {
    return this.records.list((r) => r._secret === secret)[0];
  }

  view(record: TokenRecord, revealSecret: boolean): Record<string, unknown> {
    return {
      id: record.id,
      project_id: record.project_id,
      name: record.name,
      created_at: record.created_at,
      updated_at: record.updated_at,
      scopes: record.scopes,
      secret_key: revealSecret ? record._secret : null,
      region: record.region,
    };
  }
}
