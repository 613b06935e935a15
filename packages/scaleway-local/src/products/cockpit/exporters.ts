import { randomUUID } from "node:crypto";
import { invalidArgument, notFound } from "../../http/errors";
import { nowIso, type Lifecycle } from "../../state/lifecycle";
import type { Collection, Store, StoredRecord } from "../../state/store";
import type { Region } from "./request";

interface DatadogDestination {
  endpoint: string;
  /** Write-only: never answered. */
  api_key: string;
}

interface OtlpDestination {
  endpoint: string;
  headers: Record<string, string>;
}

interface ExporterRecord extends StoredRecord {
  region: Region;
  project_id: string;
  name: string;
  description: string;
  datasource_id: string;
  datadog_destination?: DatadogDestination;
  otlp_destination?: OtlpDestination;
  status: string;
  exported_products: string[];
  created_at: string;
  updated_at: string;
  _next?: { to: string; at: number };
}

export interface ExporterInput {
  name?: string | undefined;
  description?: string | undefined;
  datadogDestination?: unknown;
  otlpDestination?: unknown;
  exportedProducts?: string[] | undefined;
}

const DATADOG_DEFAULT_ENDPOINT = "https://api.datadoghq.com";

/**
 * Data exports: a data source's data forwarded to Datadog or an OTLP endpoint. Locally
 * nothing is forwarded; an export goes from `creating` to `ready` once configured.
 */
export class Exporters {
  private readonly records: Collection<ExporterRecord>;

  constructor(
    store: Store,
    private readonly lifecycle: Lifecycle,
  ) {
    this.records = store.collection<ExporterRecord>("cockpit.exporters");
  }

  create(region: Region, projectId: string, datasourceId: string, input: ExporterInput): ExporterRecord {
    const destinations = destinationsOf(input);
    if (!destinations.datadog_destination && !destinations.otlp_destination) {
      throw invalidArgument("destination", "one of datadog_destination or otlp_destination is required", "required");
    }
    const now = nowIso();
    const record: ExporterRecord = {
      id: randomUUID(),
      region,
      project_id: projectId,
      name: requireName(input.name),
      description: input.description ?? "",
      datasource_id: datasourceId,
      ...destinations,
      status: "creating",
      exported_products: input.exportedProducts?.length ? input.exportedProducts : ["all"],
      created_at: now,
      updated_at: now,
    };
    return this.records.insert(this.lifecycle.begin(record, "creating", "ready"));
  }

  get(region: Region, id: string): ExporterRecord {
    const record = this.records.get(id);
    if (!record || record.region !== region) throw notFound("exporter", id);
    if (this.lifecycle.settle(record)) this.records.touch();
    return record;
  }

  list(region: Region, filter: { projectId?: string; datasourceId?: string }): ExporterRecord[] {
    return this.records
      .list(
        (r) =>
          r.region === region &&
          (!filter.projectId || r.project_id === filter.projectId) &&
          (!filter.datasourceId || r.datasource_id === filter.datasourceId),
      )
      .map((record) => this.get(region, record.id));
  }

  update(region: Region, id: string, input: ExporterInput): ExporterRecord {
    const record = this.get(region, id);
    const destinations = destinationsOf(input);
    if (input.name !== undefined) record.name = requireName(input.name);
    if (input.description !== undefined) record.description = input.description;
    if (input.exportedProducts !== undefined) record.exported_products = input.exportedProducts;
    // A new destination replaces the other kind.
    if (destinations.datadog_destination) {
      record.datadog_destination = destinations.datadog_destination;
      delete record.otlp_destination;
    }
    if (destinations.otlp_destination) {
      record.otlp_destination = destinations.otlp_destination;
      delete record.datadog_destination;
    }
    record.updated_at = nowIso();
    // The export is reconfigured: it is `creating` again until it runs.
    this.lifecycle.begin(record, "creating", "ready");
    this.records.touch();
    return record;
  }

  delete(region: Region, id: string): void {
    this.get(region, id);
    this.records.delete(id);
  }

  deleteForDataSource(datasourceId: string): void {
    for (const record of this.records.list((r) => r.datasource_id === datasourceId)) this.records.delete(record.id);
  }

  view(record: ExporterRecord): Record<string, unknown> {
    return {
      id: record.id,
      name: record.name,
      description: record.description,
      datasource_id: record.datasource_id,
      ...(record.datadog_destination ? { datadog_destination: { endpoint: record.datadog_destination.endpoint } } : {}),
      ...(record.otlp_destination ? { otlp_destination: record.otlp_destination } : {}),
      status: record.status,
      exported_products: record.exported_products,
      created_at: record.created_at,
      updated_at: record.updated_at,
    };
  }
}

function requireName(name: string | undefined): string {
  if (!name) throw invalidArgument("name", "name is required", "required");
  return name;
}

function destinationsOf(input: ExporterInput): Pick<ExporterRecord, "datadog_destination" | "otlp_destination"> {
  if (input.datadogDestination && input.otlpDestination) {
    throw invalidArgument("destination", "give one of datadog_destination or otlp_destination, not both");
  }
  if (input.datadogDestination) {
    const { api_key: apiKey, endpoint } = input.datadogDestination as Record<string, unknown>;
    if (typeof apiKey !== "string" || apiKey === "") {
      throw invalidArgument("datadog_destination.api_key", "api_key is required", "required");
    }
    return {
      datadog_destination: {
        api_key: apiKey,
        endpoint: typeof endpoint === "string" && endpoint ? endpoint : DATADOG_DEFAULT_ENDPOINT,
      },
    };
  }
  if (input.otlpDestination) {
    const { endpoint, headers } = input.otlpDestination as Record<string, unknown>;
    if (typeof endpoint !== "string" || !/^https?:\/\//.test(endpoint)) {
      throw invalidArgument("otlp_destination.endpoint", "endpoint must be an http(s) URL", "required");
    }
    return { otlp_destination: { endpoint, headers: stringMap(headers) } };
  }
  return {};
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Object.values(value).some((v) => typeof v !== "string")) {
    throw invalidArgument("otlp_destination.headers", "headers must map names to strings");
  }
  return { ...(value as Record<string, string>) };
}
