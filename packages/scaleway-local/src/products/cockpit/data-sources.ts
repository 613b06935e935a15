import { randomUUID } from "node:crypto";
import { notFound, preconditionFailed } from "../../http/errors";
import { nowIso } from "../../state/lifecycle";
import type { Collection, Store, StoredRecord } from "../../state/store";
import { REGIONS, type Region } from "./request";
import { checkRetention, type DataSourceOrigin, type DataSourceType } from "./retention";
import { addUsage, currentMonthUsage, type UsageByDay } from "./usage";

export interface DataSourceRecord extends StoredRecord {
  project_id: string;
  name: string;
  url: string;
  type: DataSourceType;
  origin: DataSourceOrigin;
  created_at: string;
  updated_at: string;
  synchronized_with_grafana: boolean;
  retention_days: number;
  region: Region;
  /** When Grafana has picked the data source up (epoch ms). */
  _syncAt?: number;
  _usage?: UsageByDay;
}

export interface DataSourceFilter {
  readonly projectId?: string;
  readonly origin?: DataSourceOrigin;
  readonly types?: readonly DataSourceType[];
}

/** The push URL of a data source: Cockpit names its hosts after the data source ID. */
export function dataSourceUrl(id: string, type: DataSourceType, region: Region): string {
  return `https://${id}.${type}.cockpit.${region}.scw.cloud`;
}

/**
 * Cockpit data sources: custom ones created through the API, and the `Scaleway Metrics` /
 * `Scaleway Logs` sources Scaleway products write to, which every project that uses
 * Scaleway products has (here: the organisation's default project).
 */
export class DataSources {
  private readonly records: Collection<DataSourceRecord>;

  constructor(
    store: Store,
    /** How long Grafana takes to see a new data source, in ms. */
    private readonly syncDelayMs: number,
  ) {
    this.records = store.collection<DataSourceRecord>("cockpit.data-sources");
  }

  ensureScalewaySources(projectId: string): void {
    for (const region of REGIONS) {
      for (const [type, name] of [
        ["metrics", "Scaleway Metrics"],
        ["logs", "Scaleway Logs"],
      ] as const) {
        const exists = this.records.list(
          (r) => r.project_id === projectId && r.region === region && r.origin === "scaleway" && r.type === type,
        );
        if (exists.length === 0) {
          this.insert({ region, projectId, name, type, origin: "scaleway", synced: true });
        }
      }
    }
  }

  create(input: {
    region: Region;
    projectId: string;
    name: string;
    type: DataSourceType;
    retentionDays: number | undefined;
  }): DataSourceRecord {
    return this.insert({ ...input, origin: "custom", synced: false });
  }

  get(region: Region, id: string): DataSourceRecord {
    const record = this.records.get(id);
    if (!record || record.region !== region) throw notFound("data source", id);
    return this.settle(record);
  }

  /** A data source by ID in any region, for the push endpoints. */
  find(id: string): DataSourceRecord | undefined {
    const record = this.records.get(id);
    return record && this.settle(record);
  }

  list(region: Region, filter: DataSourceFilter): DataSourceRecord[] {
    return this.records
      .list(
        (r) =>
          r.region === region &&
          (!filter.projectId || r.project_id === filter.projectId) &&
          (!filter.origin || r.origin === filter.origin) &&
          (!filter.types?.length || filter.types.includes(r.type)),
      )
      .map((record) => this.settle(record));
  }

  update(region: Region, id: string, patch: { name?: string; retentionDays?: number }): DataSourceRecord {
    const record = this.get(region, id);
    return this.records.update(id, {
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.retentionDays !== undefined
        ? { retention_days: checkRetention(record.origin, record.type, patch.retentionDays) }
        : {}),
      updated_at: nowIso(),
    });
  }

  delete(region: Region, id: string): DataSourceRecord {
    const record = this.get(region, id);
    if (record.origin === "scaleway") {
      throw preconditionFailed(
        "custom_data_source",
        "Scaleway data sources are managed by Scaleway and cannot be deleted",
      );
    }
    this.records.delete(id);
    return record;
  }

  /** Grafana sync: every data source of the project becomes visible in Grafana now. */
  synchronize(projectId: string): void {
    for (const record of this.records.list((r) => r.project_id === projectId && !r.synchronized_with_grafana)) {
      record.synchronized_with_grafana = true;
      delete record._syncAt;
    }
    this.records.touch();
  }

  recordUsage(id: string, quantity: number): void {
    const record = this.records.get(id);
    if (!record || quantity <= 0) return;
    record._usage = addUsage(record._usage, quantity);
    this.records.touch();
  }

  /** The API's view; `current_month_usage` is computed on reads only, as the real API does. */
  view(record: DataSourceRecord, withUsage: boolean): Record<string, unknown> {
    return {
      id: record.id,
      project_id: record.project_id,
      name: record.name,
      url: record.url,
      type: record.type,
      origin: record.origin,
      created_at: record.created_at,
      updated_at: record.updated_at,
      synchronized_with_grafana: record.synchronized_with_grafana,
      retention_days: record.retention_days,
      region: record.region,
      ...(withUsage ? { current_month_usage: currentMonthUsage(record._usage) } : {}),
    };
  }

  private insert(input: {
    region: Region;
    projectId: string;
    name: string;
    type: DataSourceType;
    origin: DataSourceOrigin;
    retentionDays?: number | undefined;
    synced: boolean;
  }): DataSourceRecord {
    const id = randomUUID();
    const now = nowIso();
    return this.records.insert({
      id,
      project_id: input.projectId,
      name: input.name,
      url: dataSourceUrl(id, input.type, input.region),
      type: input.type,
      origin: input.origin,
      created_at: now,
      updated_at: now,
      synchronized_with_grafana: input.synced,
      retention_days: checkRetention(input.origin, input.type, input.retentionDays),
      region: input.region,
      ...(input.synced ? {} : { _syncAt: Date.now() + this.syncDelayMs }),
    });
  }

  private settle(record: DataSourceRecord): DataSourceRecord {
    if (!record.synchronized_with_grafana && record._syncAt !== undefined && record._syncAt <= Date.now()) {
      record.synchronized_with_grafana = true;
      delete record._syncAt;
      this.records.touch();
    }
    return record;
  }
}
