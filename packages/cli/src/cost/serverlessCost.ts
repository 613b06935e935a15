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
import { type CostedResource, numberInput } from "./resources";

const containers = priceTable.serverlessContainers;
const jobs = priceTable.serverlessJobs;

/** Memory in GB as Scaleway bills it: 1024 MB is 1 GB (the FAQ's 128 MB = 0.125 GB). */
function memoryGb(inputs: CostedResource["inputs"]): number | undefined {
  // The containers API counts memory in bytes of 10^6 per MB; older inputs give MB.
  const bytes = numberInput(inputs, "memoryLimitBytes");
  const mb = bytes !== undefined ? bytes / 1_000_000 : numberInput(inputs, "memoryLimit");
  return mb === undefined ? undefined : mb / 1024;
}

/**
 * A Serverless Container: vCPU-seconds and GB-seconds of its running instances. With a
 * min scale of 1 or more, that many instances run all month; at min scale 0 the average
 * number of running instances is an assumption.
 */
export function containerCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const { inputs } = resource;
  const milliCpu = numberInput(inputs, "cpuLimit");
  const gb = memoryGb(inputs);
  const base = { resource: resource.name, type: resource.type, product: "Serverless Containers" };
  if (milliCpu === undefined || gb === undefined) {
    return {
      ...base,
      drivers: "vCPU or memory limit unknown (not in the inputs)",
      assumptions: [],
      monthlyEur: 0,
      priced: false,
    };
  }
  const vcpu = milliCpu / 1000;
  const minScale = numberInput(inputs, "minScale") ?? 0;
  const alwaysOn = minScale >= 1;
  const instances = alwaysOn ? minScale : assumptions.scaleToZeroAverageInstances;
  const vcpuSeconds = vcpu * SECONDS_PER_MONTH * instances;
  const gbSeconds = gb * SECONDS_PER_MONTH * instances;
  const requests = assumptions.requestsPerServicePerMonth;
  const running = alwaysOn
    ? `${plain(instances)} instance${instances === 1 ? "" : "s"} always on (min scale ${minScale})`
    : `${plain(instances)} instances on average (scale to zero)`;
  const parts: CostPart[] = [
    { what: `${plain(vcpu)} vCPU × 730 h × ${running}`, eur: vcpuSeconds * containers.vcpuSecond.eur },
    { what: `${plain(gb)} GB`, eur: gbSeconds * containers.gbSecond.eur },
    { what: `${plain(requests / 1e6)}M requests`, eur: (requests / 1e6) * containers.requestMillion.eur },
  ];
  return {
    ...base,
    drivers: describeParts(parts),
    assumptions: used(
      assumptions,
      "requestsPerServicePerMonth",
      ...(alwaysOn ? [] : ["scaleToZeroAverageInstances" as const]),
    ),
    monthlyEur: sumParts(parts),
    priced: true,
    usage: { vcpuSeconds, gbSeconds },
  };
}

/** Runs a month of a cron schedule of the simple forms the stack uses: daily, weekly, monthly. */
export function runsPerMonth(schedule: string): number | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const fixed = (field: string | undefined) => field !== undefined && /^\d+$/.test(field);
  if (!fixed(minute) || !fixed(hour) || month !== "*") return undefined;
  if (dayOfMonth === "*" && dayOfWeek === "*") return DAYS_PER_MONTH;
  if (dayOfMonth === "*" && fixed(dayOfWeek)) return DAYS_PER_MONTH / 7;
  if (fixed(dayOfMonth) && dayOfWeek === "*") return 1;
  return undefined;
}

/** Days each backup a job creates is kept: the `N * 86400` of its `scw rdb backup create … expires-at`. */
function backupRetentionDays(inputs: CostedResource["inputs"]): number | undefined {
  const args = inputs.args;
  const script = Array.isArray(args) ? args.join(" ") : typeof args === "string" ? args : "";
  if (!script.includes("rdb backup create")) return undefined;
  const match = /(\d+)\s*\*\s*86400/.exec(script);
  return match ? Number(match[1]) : undefined;
}

/**
 * A Serverless Job on a cron schedule: the vCPU and memory of its runs, and, for the
 * stack's backup jobs, the backups it keeps (each a copy of the database's data).
 */
export function jobCost(resource: CostedResource, assumptions: UsageAssumptions): CostLine {
  const { inputs } = resource;
  const milliCpu = numberInput(inputs, "cpuLimit");
  const mb = numberInput(inputs, "memoryLimit");
  const cron = inputs.cron as { schedule?: unknown } | undefined;
  const schedule = typeof cron?.schedule === "string" ? cron.schedule : undefined;
  const runs = schedule === undefined ? undefined : runsPerMonth(schedule);
  const base = { resource: resource.name, type: resource.type, product: "Serverless Jobs" };
  if (milliCpu === undefined || mb === undefined || runs === undefined) {
    return {
      ...base,
      drivers: `vCPU, memory or schedule unknown (${schedule ?? "no cron schedule"})`,
      assumptions: [],
      monthlyEur: 0,
      priced: false,
    };
  }
  const vcpu = milliCpu / 1000;
  const gb = mb / 1024;
  const seconds = runs * assumptions.jobRunSeconds;
  const vcpuSeconds = vcpu * seconds;
  const gbSeconds = gb * seconds;
  const parts: CostPart[] = [
    {
      what: `${plain(runs, 2)} run${runs === 1 ? "" : "s"} × ${assumptions.jobRunSeconds} s × ${plain(vcpu)} vCPU`,
      eur: vcpuSeconds * jobs.vcpuSecond.eur,
    },
    { what: `${plain(gb)} GB`, eur: gbSeconds * jobs.gbSecond.eur },
  ];
  const keys: (keyof UsageAssumptions)[] = ["jobRunSeconds"];
  const retentionDays = backupRetentionDays(inputs);
  if (retentionDays !== undefined) {
    // Backups alive at once: one per run over the retention period.
    const kept = Math.ceil((retentionDays * runs) / DAYS_PER_MONTH - 1e-9);
    parts.push({
      what: `${kept} backups kept (${retentionDays} d) × ${assumptions.databaseDataGb} GB`,
      eur: kept * assumptions.databaseDataGb * priceTable.managedPostgres.backupGbMonth.eur,
    });
    keys.push("databaseDataGb");
  }
  return {
    ...base,
    drivers: describeParts(parts),
    assumptions: used(assumptions, ...keys),
    monthlyEur: sumParts(parts),
    priced: true,
    usage: { vcpuSeconds, gbSeconds },
  };
}

/**
 * The monthly free tier of a serverless product, deducted once from the usage of all the
 * lines of that product (it is per account and month, not per resource).
 */
export function serverlessFreeTier(
  product: "Serverless Containers" | "Serverless Jobs",
  lines: readonly CostLine[],
): CostLine | undefined {
  const prices = product === "Serverless Containers" ? containers : jobs;
  const ofProduct = lines.filter((line) => line.product === product && line.usage);
  if (ofProduct.length === 0) return undefined;
  const vcpuSeconds = ofProduct.reduce((sum, line) => sum + line.usage!.vcpuSeconds, 0);
  const gbSeconds = ofProduct.reduce((sum, line) => sum + line.usage!.gbSeconds, 0);
  const freeVcpu = Math.min(vcpuSeconds, prices.freeVcpuSeconds.amount);
  const freeGb = Math.min(gbSeconds, prices.freeGbSeconds.amount);
  const parts: CostPart[] = [
    { what: `${plain(freeVcpu, 0)} vCPU-s`, eur: -freeVcpu * prices.vcpuSecond.eur },
    { what: `${plain(freeGb, 0)} GB-s`, eur: -freeGb * prices.gbSecond.eur },
  ];
  return {
    resource: `${product} free tier`,
    type: "",
    product,
    drivers: describeParts(parts),
    assumptions: ["freeTiers=1"],
    monthlyEur: sumParts(parts),
    priced: true,
  };
}
