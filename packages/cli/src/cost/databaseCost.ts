import type { UsageAssumptions } from "./assumptions";
import { type CostLine, type CostPart, HOURS_PER_MONTH, describeParts, plain, sumParts, used } from "./costLine";
import { nodeTypePrice, priceTable } from "./prices";
import { type CostedResource, numberInput, stringInput } from "./resources";

const INSTANCE = "scaleway:databases/instance:Instance";
const postgres = priceTable.managedPostgres;

/** Scaleway's defaults when the inputs leave them out: daily backups kept 7 days. */
const DEFAULT_BACKUP_FREQUENCY_HOURS = 24;
const DEFAULT_BACKUP_RETENTION_DAYS = 7;

interface Volume {
  readonly type: string;
  readonly gb: number;
}

function volumeOf(inputs: CostedResource["inputs"]): Volume | undefined {
  const type = stringInput(inputs, "volumeType");
  if (type === undefined) return undefined;
  return { type, gb: numberInput(inputs, "volumeSizeInGb") ?? 0 };
}

/**
 * The storage of `nodes` nodes. Each node holds a full copy of the data on its own volume
 * of the instance's size (an assumption: Scaleway's pages price a volume, not an HA pair).
 */
function storagePart(volume: Volume | undefined, nodes: number): { part?: CostPart; priced: boolean } {
  if (!volume) return { priced: false };
  const prices: Record<string, { eur: number }> = postgres.volumeGbMonth;
  const price = prices[volume.type];
  if (!price) return { priced: false };
  const what =
    volume.type === "lssd"
      ? `local SSD (in the node price)`
      : `${nodes} node${nodes === 1 ? "" : "s"} × ${plain(volume.gb)} GB ${volume.type}`;
  return { part: { what, eur: nodes * volume.gb * price.eur }, priced: true };
}

/**
 * A Managed Database for PostgreSQL instance: its node (management included), the HA
 * standby, each node's Block Storage volume, and the automated backups it keeps.
 */
export function instanceCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const { inputs } = resource;
  const nodeType = stringInput(inputs, "nodeType") ?? "unknown";
  const price = nodeTypePrice(nodeType);
  const ha = inputs.isHaCluster === true;
  const nodes = ha ? 2 : 1;
  const parts: CostPart[] = [];
  const missing: string[] = [];
  if (price) {
    parts.push({ what: `${nodeType.toUpperCase()} node × 730 h`, eur: price.node.eur * HOURS_PER_MONTH });
    if (ha) parts.push({ what: "HA standby node", eur: price.extraNode.eur * HOURS_PER_MONTH });
  } else {
    missing.push(`node type ${nodeType} has no price in the table`);
  }
  const storage = storagePart(volumeOf(inputs), nodes);
  if (storage.part) parts.push(storage.part);
  else missing.push(`volume ${String(inputs.volumeType)} has no price in the table`);
  const keys: (keyof UsageAssumptions)[] = [];
  if (inputs.disableBackup !== true) {
    const frequency = numberInput(inputs, "backupScheduleFrequency") ?? DEFAULT_BACKUP_FREQUENCY_HOURS;
    const retention = numberInput(inputs, "backupScheduleRetention") ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const kept = Math.ceil((retention * 24) / frequency - 1e-9);
    parts.push({
      what: `${kept} backups kept (every ${frequency} h, ${retention} d) × ${assumptions.databaseDataGb} GB`,
      eur: kept * assumptions.databaseDataGb * postgres.backupGbMonth.eur,
    });
    keys.push("databaseDataGb");
  }
  return {
    resource: resource.name,
    type: resource.type,
    product: "Managed Database for PostgreSQL",
    drivers: [describeParts(parts), ...missing].filter(Boolean).join("; "),
    assumptions: used(assumptions, ...keys),
    monthlyEur: sumParts(parts),
    priced: missing.length === 0,
  };
}

/** The instance a read replica serves: by ID, else the only instance there is. */
function primaryOf(replica: CostedResource, resources: readonly CostedResource[]): CostedResource | undefined {
  const instances = resources.filter((resource) => resource.type === INSTANCE);
  const instanceId = stringInput(replica.inputs, "instanceId");
  return (
    instances.find((instance) => instance.id === instanceId) ?? (instances.length === 1 ? instances[0] : undefined)
  );
}

/** A read replica: one more node of the primary's type, with its own volume of the primary's size. */
export function readReplicaCost(resource: CostedResource, resources: readonly CostedResource[]): CostLine {
  const base = { resource: resource.name, type: resource.type, product: "Managed Database for PostgreSQL" };
  const primary = primaryOf(resource, resources);
  const nodeType = primary ? stringInput(primary.inputs, "nodeType") : undefined;
  const price = nodeType === undefined ? undefined : nodeTypePrice(nodeType);
  if (!primary || !price) {
    return {
      ...base,
      drivers: primary ? `node type ${nodeType} has no price in the table` : "its instance is not among the resources",
      assumptions: [],
      monthlyEur: 0,
      priced: false,
    };
  }
  const parts: CostPart[] = [
    { what: `${nodeType!.toUpperCase()} replica node × 730 h`, eur: price.extraNode.eur * HOURS_PER_MONTH },
  ];
  const storage = storagePart(volumeOf(primary.inputs), 1);
  if (storage.part) parts.push(storage.part);
  return {
    ...base,
    drivers: describeParts(parts),
    assumptions: [],
    monthlyEur: sumParts(parts),
    priced: storage.priced,
  };
}
