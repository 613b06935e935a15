import type { UsageAssumptions } from "./assumptions";
import {
  type CostLine,
  type CostPart,
  DAYS_PER_MONTH,
  SECONDS_PER_MONTH,
  describeParts,
  plain,
  sumParts,
  used,
} from "./costLine";
import { priceTable } from "./prices";
import { type CostedResource, numberInput, stringInput } from "./resources";

const cockpit = priceTable.cockpit;

/**
 * A Cockpit data source for custom data. Scaleway products' own metrics and logs are
 * free; what the services push to these sources is billed on ingestion, and on storage
 * for the days kept beyond the free retention (31 days of metrics, 7 of logs).
 */
export function cockpitSourceCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const kind = stringInput(resource.inputs, "type") ?? "metrics";
  const retentionDays = numberInput(resource.inputs, "retentionDays");
  const base = { resource: resource.name, type: resource.type, product: "Cockpit" };
  const parts: CostPart[] = [];
  let keys: (keyof UsageAssumptions)[];
  if (kind === "metrics") {
    const samplesPerDay = assumptions.customMetricSamplesPerSecond * 86_400;
    const samples = assumptions.customMetricSamplesPerSecond * SECONDS_PER_MONTH;
    parts.push({
      what: `${plain(samples / 1e6, 2)}M samples ingested`,
      eur: (samples / 1e6) * cockpit.customMetricsMillionSamples.eur,
    });
    const extraDays = Math.max(0, (retentionDays ?? 0) - cockpit.freeMetricsRetentionDays.amount);
    parts.push({
      what: `${extraDays} d kept beyond the free ${cockpit.freeMetricsRetentionDays.amount}`,
      eur: (samplesPerDay / 1e7) * extraDays * cockpit.metricsRetention.eur * DAYS_PER_MONTH,
    });
    keys = ["customMetricSamplesPerSecond"];
  } else if (kind === "logs" || kind === "traces") {
    const gbPerDay = assumptions.customLogsGbPerDay;
    parts.push({
      what: `${plain(gbPerDay * DAYS_PER_MONTH, 2)} GB ingested`,
      eur: gbPerDay * DAYS_PER_MONTH * cockpit.customLogsGb.eur,
    });
    const extraDays = Math.max(0, (retentionDays ?? 0) - cockpit.freeLogsRetentionDays.amount);
    parts.push({
      what: `${extraDays} d kept beyond the free ${cockpit.freeLogsRetentionDays.amount}`,
      eur: gbPerDay * extraDays * cockpit.logsRetention.eur * DAYS_PER_MONTH,
    });
    keys = ["customLogsGbPerDay"];
  } else {
    return {
      ...base,
      drivers: `source type ${kind} has no price in the table`,
      assumptions: [],
      monthlyEur: 0,
      priced: false,
    };
  }
  return {
    ...base,
    drivers: `${kind}: ${describeParts(parts)}`,
    assumptions: used(assumptions, ...keys),
    monthlyEur: sumParts(parts),
    priced: true,
  };
}
