import { UsageError } from "../usageError";

/**
 * What the prices are multiplied by when the stack file does not say it: traffic, data
 * volumes, log volumes. Every estimate names the assumptions it used; each can be changed
 * with `sovstack cost --assume key=value` (or `env.key=value` for one environment).
 */
export interface UsageAssumptions {
  /** Instances of a scale-to-zero service (min scale 0) running on average over the month. */
  readonly scaleToZeroAverageInstances: number;
  /** Requests each service receives a month (containers bill no request, but a price change would). */
  readonly requestsPerServicePerMonth: number;
  /** GB stored in each bucket, noncurrent versions included. */
  readonly bucketStoredGb: number;
  /** GB each bucket sends out to the internet or another region a month. */
  readonly bucketEgressGb: number;
  /** GB of data in the database: each backup holds a copy of it. */
  readonly databaseDataGb: number;
  /** Secret Manager API requests per secret a month. */
  readonly secretRequestsPerSecretPerMonth: number;
  /** Seconds one run of a Serverless Job lasts (the stack's jobs create database backups). */
  readonly jobRunSeconds: number;
  /** Custom metric samples per second each Cockpit metrics source ingests. */
  readonly customMetricSamplesPerSecond: number;
  /** GB of custom logs each Cockpit logs source ingests a day. */
  readonly customLogsGbPerDay: number;
  /**
   * 1 to deduct the monthly free tiers (serverless vCPU and memory, Object Storage egress),
   * 0 not to. Free tiers are per account: when environments share one, count them once.
   */
  readonly freeTiers: number;
}

export type AssumptionKey = keyof UsageAssumptions;

/** One line of documentation per assumption, shown by `sovstack cost --help` and in errors. */
export const assumptionDocs: Readonly<Record<AssumptionKey, string>> = {
  scaleToZeroAverageInstances: "instances of a min-scale-0 service running on average",
  requestsPerServicePerMonth: "requests per service per month",
  bucketStoredGb: "GB stored per bucket, noncurrent versions included",
  bucketEgressGb: "GB per bucket out to the internet per month",
  databaseDataGb: "GB of data in the database (each backup holds a copy)",
  secretRequestsPerSecretPerMonth: "Secret Manager API requests per secret per month",
  jobRunSeconds: "seconds per Serverless Job run (the stack's jobs create backups)",
  customMetricSamplesPerSecond: "custom metric samples per second per Cockpit metrics source",
  customLogsGbPerDay: "GB of custom logs per day per Cockpit logs source",
  freeTiers: "1 to deduct the monthly free tiers (once per account), 0 not to",
};

/** The defaults, per environment: a quiet dev, a lightly used staging, a production with real traffic. */
export const defaultAssumptions: Readonly<Record<"dev" | "staging" | "production", UsageAssumptions>> = {
  dev: {
    scaleToZeroAverageInstances: 0.05,
    requestsPerServicePerMonth: 100_000,
    bucketStoredGb: 5,
    bucketEgressGb: 1,
    databaseDataGb: 1,
    secretRequestsPerSecretPerMonth: 1_000,
    jobRunSeconds: 120,
    customMetricSamplesPerSecond: 5,
    customLogsGbPerDay: 0.05,
    freeTiers: 1,
  },
  staging: {
    scaleToZeroAverageInstances: 0.25,
    requestsPerServicePerMonth: 1_000_000,
    bucketStoredGb: 20,
    bucketEgressGb: 10,
    databaseDataGb: 5,
    secretRequestsPerSecretPerMonth: 5_000,
    jobRunSeconds: 120,
    customMetricSamplesPerSecond: 20,
    customLogsGbPerDay: 0.2,
    freeTiers: 1,
  },
  production: {
    scaleToZeroAverageInstances: 1,
    requestsPerServicePerMonth: 20_000_000,
    bucketStoredGb: 200,
    bucketEgressGb: 100,
    databaseDataGb: 40,
    secretRequestsPerSecretPerMonth: 50_000,
    jobRunSeconds: 300,
    customMetricSamplesPerSecond: 50,
    customLogsGbPerDay: 1,
    freeTiers: 1,
  },
};

const ASSUMPTION_KEYS = Object.keys(assumptionDocs) as AssumptionKey[];

/** The assumptions of an environment: its defaults (staging's for an unknown name) with overrides. */
export function assumptionsFor(environment: string, overrides: Partial<UsageAssumptions> = {}): UsageAssumptions {
  const defaults =
    environment in defaultAssumptions
      ? defaultAssumptions[environment as keyof typeof defaultAssumptions]
      : defaultAssumptions.staging;
  return { ...defaults, ...overrides };
}

/** One `--assume` argument: `key=value` for every environment, `env.key=value` for one. */
export interface AssumptionOverride {
  readonly environment?: string;
  readonly key: AssumptionKey;
  readonly value: number;
}

/** Parses `--assume` arguments, refusing unknown keys and values that are not non-negative numbers. */
export function parseAssumptionOverrides(args: readonly string[]): AssumptionOverride[] {
  return args.map((arg) => {
    const match = /^(?:([a-z0-9-]+)\.)?([A-Za-z]+)=(.*)$/.exec(arg.trim());
    if (!match) {
      throw new UsageError(
        `--assume ${arg}: expected key=value or env.key=value, e.g. --assume bucketStoredGb=50 or --assume production.databaseDataGb=80.`,
      );
    }
    const [, environment, key, text] = match;
    if (!ASSUMPTION_KEYS.includes(key as AssumptionKey)) {
      throw new UsageError(
        `--assume ${arg}: unknown assumption "${key}". Allowed: ${ASSUMPTION_KEYS.join(", ")}. Fix: use one of these keys.`,
      );
    }
    const value = Number(text);
    if (text!.trim() === "" || !Number.isFinite(value) || value < 0) {
      throw new UsageError(
        `--assume ${arg}: "${text}" is not a number ≥ 0. ${key} is ${assumptionDocs[key as AssumptionKey]}. Fix: e.g. --assume ${key}=${defaultAssumptions.staging[key as AssumptionKey]}.`,
      );
    }
    if (key === "freeTiers" && value !== 0 && value !== 1) {
      throw new UsageError(`--assume ${arg}: freeTiers is 0 or 1. Fix: --assume freeTiers=0 or --assume freeTiers=1.`);
    }
    return { environment, key: key as AssumptionKey, value };
  });
}

/** The overrides that apply to one environment, later arguments winning. */
export function overridesFor(environment: string, overrides: readonly AssumptionOverride[]): Partial<UsageAssumptions> {
  const result: Partial<Record<AssumptionKey, number>> = {};
  for (const override of overrides) {
    if (override.environment === undefined || override.environment === environment)
      result[override.key] = override.value;
  }
  return result;
}
