import { assumptionsFor } from "../packages/cli/src/cost/assumptions";
import { estimateResources } from "../packages/cli/src/cost/estimate";
import { estimatePlanned, estimatePlannedWithNaive } from "../packages/cli/src/cost/index";
import { planEnvironment } from "../packages/cli/src/cost/planned";
import { median, type Figure } from "./measure";

/**
 * `sovstack cost`: the monthly cost of each environment with the default usage
 * assumptions, the naive configuration's (always on, HA everywhere) and the saving, then
 * how long an estimate takes: planning through Pulumi's mocks, and pricing the plan.
 */
export async function costFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const environment of ["dev", "staging", "production"]) {
    const { actual, naive, savingEur, savingPercent } = await estimatePlannedWithNaive(environment);
    const unpriced = actual.unpriced.length > 0 ? `, not priced: ${actual.unpriced.join(", ")}` : "";
    figures.push(
      {
        name: `${environment}: monthly cost`,
        value: actual.totalEur,
        unit: "€/month",
        note: `€${actual.totalEur.toFixed(2)} excl. VAT, prices of ${actual.priceDate}${unpriced}`,
      },
      {
        name: `${environment}: naive (always on, HA)`,
        value: naive.totalEur,
        unit: "€/month",
        note: `€${naive.totalEur.toFixed(2)}`,
      },
      {
        name: `${environment}: saving over naive`,
        value: savingPercent,
        unit: "%",
        note: `€${savingEur.toFixed(2)} a month, ${savingPercent.toFixed(1)}%`,
      },
    );
  }
  figures.push(await median("estimate dev (plan through mocks + prices)", 5, () => estimatePlanned("dev")));
  const resources = await planEnvironment("production");
  const assumptions = assumptionsFor("production");
  figures.push(
    await median("price production's planned resources", 200, () => estimateResources(resources, assumptions)),
  );
  return figures;
}
