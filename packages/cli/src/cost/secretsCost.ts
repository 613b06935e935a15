import type { UsageAssumptions } from "./assumptions";
import { type CostLine, HOURS_PER_MONTH, euros, plain, used } from "./costLine";
import { priceTable } from "./prices";
import type { CostedResource } from "./resources";

const secretManager = priceTable.secretManager;

/** A secret: free in itself; billed through the API requests made to it. */
export function secretCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const requests = assumptions.secretRequestsPerSecretPerMonth;
  const eur = requests * secretManager.request.eur;
  return {
    resource: resource.name,
    type: resource.type,
    product: "Secret Manager",
    drivers: `${plain(requests)} API requests ${euros(eur)}`,
    assumptions: used(assumptions, "secretRequestsPerSecretPerMonth"),
    monthlyEur: eur,
    priced: true,
  };
}

/** A secret version: stored all month. */
export function secretVersionCost(resource: CostedResource): CostLine {
  const eur = secretManager.versionHour.eur * HOURS_PER_MONTH;
  return {
    resource: resource.name,
    type: resource.type,
    product: "Secret Manager",
    drivers: `1 version × 730 h ${euros(eur)}`,
    assumptions: [],
    monthlyEur: eur,
    priced: true,
  };
}
