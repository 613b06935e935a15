import type { UsageAssumptions } from "./assumptions";
import { type CostLine, type CostPart, describeParts, euros, plain, sumParts, used } from "./costLine";
import { priceTable } from "./prices";
import type { CostedResource } from "./resources";

const objectStorage = priceTable.objectStorage;

/** A bucket: GB stored in the Standard class, requests, and egress (before the account's free egress). */
export function bucketCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const stored = assumptions.bucketStoredGb;
  const egress = assumptions.bucketEgressGb;
  const requests = assumptions.requestsPerServicePerMonth;
  const parts: CostPart[] = [
    { what: `${plain(stored)} GB Standard`, eur: stored * objectStorage.standardGbMonth.eur },
    { what: `${plain(requests / 1e6)}M requests`, eur: (requests / 1e6) * objectStorage.requestMillion.eur },
    { what: `${plain(egress)} GB egress`, eur: egress * objectStorage.egressGb.eur },
  ];
  return {
    resource: resource.name,
    type: resource.type,
    product: "Object Storage",
    drivers: describeParts(parts),
    assumptions: used(assumptions, "bucketStoredGb", "bucketEgressGb", "requestsPerServicePerMonth"),
    monthlyEur: sumParts(parts),
    priced: true,
    egressGb: egress,
  };
}

/** The account's free egress, deducted once from all buckets' egress. */
export function objectStorageFreeEgress(lines: readonly CostLine[]): CostLine | undefined {
  const buckets = lines.filter((line) => line.egressGb !== undefined);
  if (buckets.length === 0) return undefined;
  const egress = buckets.reduce((sum, line) => sum + line.egressGb!, 0);
  const free = Math.min(egress, objectStorage.freeEgressGb.amount);
  const eur = -free * objectStorage.egressGb.eur;
  return {
    resource: "Object Storage free egress",
    type: "",
    product: "Object Storage",
    drivers: `${plain(free)} GB egress ${euros(eur)}`,
    assumptions: ["freeTiers=1"],
    monthlyEur: eur,
    priced: true,
  };
}
