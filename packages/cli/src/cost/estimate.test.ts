import { join } from "node:path";
import { parseStackConfig, readStackFile } from "@sovstack/components";
import { beforeAll, describe, expect, it } from "vitest";
import { infraDir } from "../paths";
import { assumptionsFor, defaultAssumptions } from "./assumptions";
import { estimateResources, type Estimate } from "./estimate";
import { compareWithNaive, type NaiveComparison } from "./naive";
import { planEnvironment } from "./planned";
import { priceTable as P } from "./prices";
import type { CostedResource } from "./resources";

// The totals below are computed by hand from the price table and the stack files, so a
// reader can check them; only the prices and the assumptions come from the code.
const H = 730; // hours in a month, as on Scaleway's pricing pages
const S = H * 3600; // seconds in a month: 2 628 000
const D = H / 24; // days in a month: 30.4167
const vcpuSecond = P.serverlessContainers.vcpuSecond.eur; // €0.00001
const gbSecond = P.serverlessContainers.gbSecond.eur; // €0.000001
const node = P.managedPostgres.nodeTypes;
const volume = P.managedPostgres.volumeGbMonth;
const backupGb = P.managedPostgres.backupGbMonth.eur; // €0.03 per GB-month
const standardGb = P.objectStorage.standardGbMonth.eur;
const egressGb = P.objectStorage.egressGb.eur;
const secretRequest = P.secretManager.request.eur;
const versionMonth = P.secretManager.versionHour.eur * H;
const metricsPerMillion = P.cockpit.customMetricsMillionSamples.eur;
const logsPerGb = P.cockpit.customLogsGb.eur;
const logsRetentionGbDay = P.cockpit.logsRetention.eur;

/** Serverless usage after the account's monthly free tier (200 000 vCPU-s, 400 000 GB-s). */
const afterFreeTier = (vcpuSeconds: number, gbSeconds: number) =>
  Math.max(0, vcpuSeconds - 200_000) * vcpuSecond + Math.max(0, gbSeconds - 400_000) * gbSecond;

/** What the arithmetic of a test reads from the stack file, checked first. */
function stackFile(environment: string) {
  const config = parseStackConfig(readStackFile(join(infraDir, `Pulumi.${environment}.yaml`)));
  return {
    services: Object.fromEntries(
      Object.entries(config.services).map(([name, s]) => [name, [s.cpuMilli, s.memoryMb, s.minScale]]),
    ),
    database: config.database && {
      nodeType: config.database.nodeType,
      volume: [config.database.volumeGb, config.database.volumeType],
      ha: config.database.highAvailability,
      replica: config.database.readReplica,
      backups: Object.fromEntries(
        (["frequencyHours", "retentionDays", "weeklyRetentionDays", "monthlyRetentionDays"] as const)
          .filter((key) => config.database!.backups[key] !== undefined)
          .map((key) => [key, config.database!.backups[key]]),
      ),
    },
    monitoringRetentionDays: config.monitoring.retentionDays,
  };
}

const comparisons: Record<string, NaiveComparison> = {};
beforeAll(async () => {
  for (const environment of ["dev", "staging", "production"]) {
    const resources = await planEnvironment(environment);
    comparisons[environment] = compareWithNaive(resources, assumptionsFor(environment), environment);
  }
});

const lineOf = (estimate: Estimate, resource: string) => estimate.lines.find((line) => line.resource === resource);

describe("the monthly cost of each environment", () => {
  it("dev: scale to zero, one small database node, 7 days of backups", () => {
    expect(stackFile("dev")).toEqual({
      services: { api: [280, 512, 0], runners: [560, 1024, 0], ui: [140, 256, 0], docs: [100, 128, 0] },
      database: {
        nodeType: "DB-DEV-S",
        volume: [10, "sbs_5k"],
        ha: false,
        replica: false,
        backups: { frequencyHours: 24, retentionDays: 7 },
      },
      monitoringRetentionDays: 7,
    });
    const a = defaultAssumptions.dev;
    // Containers at min scale 0 run 0.05 instances on average (memory: 1024 MB = 1 GB):
    //   vCPU-s = (0.28 + 0.56 + 0.14 + 0.10) × 2 628 000 × 0.05 = 141 912
    //   GB-s   = (0.5 + 1 + 0.25 + 0.125) × 2 628 000 × 0.05 = 246 375   → both within the free tier
    const containers = afterFreeTier(
      1.08 * S * a.scaleToZeroAverageInstances,
      1.875 * S * a.scaleToZeroAverageInstances,
    );
    // DB-DEV-S 0.0156 €/h × 730 + 10 GB sbs_5k + 7 daily backups of 1 GB
    const database = node["DB-DEV-S"].node.eur * H + 10 * volume.sbs_5k.eur + 7 * a.databaseDataGb * backupGb;
    // 5 GB stored; 1 GB egress, under the 75 GB free
    const bucket = a.bucketStoredGb * standardGb + Math.max(0, a.bucketEgressGb - 75) * egressGb;
    // 5 secrets of one version each: session-key, the database's two passwords, the API keys of api and runners
    const secrets = 5 * a.secretRequestsPerSecretPerMonth * secretRequest + 5 * versionMonth;
    // Cockpit: custom metrics and logs kept 7 days: within the free retention (31 and 7 days)
    const cockpit =
      ((a.customMetricSamplesPerSecond * S) / 1e6) * metricsPerMillion + a.customLogsGbPerDay * D * logsPerGb;

    const { actual } = comparisons.dev!;
    expect(containers).toBe(0);
    expect(actual.totalEur).toBeCloseTo(containers + database + bucket + secrets + cockpit, 6);
    expect(actual.totalEur).toBeCloseTo(15.4, 2);
    expect(actual.unpriced).toEqual([]);
    expect(lineOf(actual, "evalplatform-dev-db")!.drivers).toContain("DB-DEV-S node × 730 h €11.39");
  });

  it("staging: public services always on at min scale 1, runners scale to zero, one node", () => {
    expect(stackFile("staging")).toEqual({
      services: { api: [560, 1024, 1], runners: [1120, 2048, 0], ui: [280, 512, 1], docs: [100, 128, 1] },
      database: {
        nodeType: "DB-PLAY2-NANO",
        volume: [20, "sbs_5k"],
        ha: false,
        replica: false,
        backups: { frequencyHours: 24, retentionDays: 14 },
      },
      monitoringRetentionDays: 30,
    });
    const a = defaultAssumptions.staging;
    // api, ui, docs: 1 instance all month; runners: 0.25 on average
    //   vCPU-s = (0.56 + 0.28 + 0.10) × 2 628 000 + 1.12 × 2 628 000 × 0.25 = 3 206 160
    //   GB-s   = (1 + 0.5 + 0.125) × 2 628 000 + 2 × 2 628 000 × 0.25     = 5 584 500
    const containers = afterFreeTier(0.94 * S + 1.12 * S * 0.25, 1.625 * S + 2 * S * 0.25);
    const database = node["DB-PLAY2-NANO"].node.eur * H + 20 * volume.sbs_5k.eur + 14 * a.databaseDataGb * backupGb;
    const bucket = a.bucketStoredGb * standardGb + Math.max(0, a.bucketEgressGb - 75) * egressGb;
    const secrets = 5 * a.secretRequestsPerSecretPerMonth * secretRequest + 5 * versionMonth;
    // Logs kept 30 days: 23 days beyond the free 7 are stored at €0.002 per GB-day
    const cockpit =
      ((a.customMetricSamplesPerSecond * S) / 1e6) * metricsPerMillion +
      a.customLogsGbPerDay * D * logsPerGb +
      a.customLogsGbPerDay * (30 - 7) * logsRetentionGbDay * D;

    const { actual } = comparisons.staging!;
    expect(actual.totalEur).toBeCloseTo(containers + database + bucket + secrets + cockpit, 6);
    expect(actual.totalEur).toBeCloseTo(81.75, 2);
  });

  it("production: always on, HA database with a read replica, tiered backups", () => {
    expect(stackFile("production")).toEqual({
      services: { api: [1120, 2048, 2], runners: [2240, 4096, 1], ui: [560, 1024, 2], docs: [140, 256, 2] },
      database: {
        nodeType: "DB-PRO2-XS",
        volume: [100, "sbs_15k"],
        ha: true,
        replica: true,
        backups: { frequencyHours: 24, retentionDays: 30, weeklyRetentionDays: 90, monthlyRetentionDays: 365 },
      },
      monitoringRetentionDays: 30,
    });
    const a = defaultAssumptions.production;
    //   vCPU-s = (1.12 × 2 + 2.24 × 1 + 0.56 × 2 + 0.14 × 2) × 2 628 000 = 5.88 × 2 628 000
    //   GB-s   = (2 × 2 + 4 × 1 + 1 × 2 + 0.25 × 2) × 2 628 000       = 10.5 × 2 628 000
    const containers = afterFreeTier(5.88 * S, 10.5 * S);
    // Primary node, HA standby, each with its 100 GB sbs_15k volume, 30 daily backups
    const xs = node["DB-PRO2-XS"];
    const database =
      xs.node.eur * H + xs.extraNode.eur * H + 2 * 100 * volume.sbs_15k.eur + 30 * a.databaseDataGb * backupGb;
    const replica = xs.extraNode.eur * H + 100 * volume.sbs_15k.eur;
    // Backup jobs (their few runs stay within the Jobs free tier): weekly backups kept 90 days
    // → ⌈90 / 7⌉ = 13 alive; monthly backups kept 365 days → 365 / 30.4167 = 12 alive
    const jobs = 13 * a.databaseDataGb * backupGb + 12 * a.databaseDataGb * backupGb;
    const bucket = a.bucketStoredGb * standardGb + Math.max(0, a.bucketEgressGb - 75) * egressGb;
    // 6 secrets: dev's 5 and the backup jobs' API key
    const secrets = 6 * a.secretRequestsPerSecretPerMonth * secretRequest + 6 * versionMonth;
    const cockpit =
      ((a.customMetricSamplesPerSecond * S) / 1e6) * metricsPerMillion +
      a.customLogsGbPerDay * D * logsPerGb +
      a.customLogsGbPerDay * (30 - 7) * logsRetentionGbDay * D;

    const { actual } = comparisons.production!;
    expect(actual.totalEur).toBeCloseTo(containers + database + replica + jobs + bucket + secrets + cockpit, 6);
    expect(actual.totalEur).toBeCloseTo(657.31, 2);
    expect(lineOf(actual, "evalplatform-production-db-replica")!.monthlyEur).toBeCloseTo(replica, 6);
  });
});

describe("the naive configuration", () => {
  it("dev: every service always on and an HA database cost about four times as much", () => {
    const a = defaultAssumptions.dev;
    const { actual, naive, savingEur, savingPercent } = comparisons.dev!;
    // All four services at 1 instance: vCPU-s = 1.08 × 2 628 000, GB-s = 1.875 × 2 628 000,
    // replacing the scale-to-zero usage that stayed within the free tier (0 €).
    const alwaysOn = afterFreeTier(1.08 * S, 1.875 * S);
    // HA: a standby DB-DEV-S node and its own 10 GB volume
    const ha = node["DB-DEV-S"].extraNode.eur * H + 10 * volume.sbs_5k.eur;
    expect(naive.totalEur).toBeCloseTo(actual.totalEur + alwaysOn + ha, 6);
    expect(savingEur).toBeCloseTo(alwaysOn + ha, 6);
    expect(savingPercent).toBeCloseTo((100 * (alwaysOn + ha)) / naive.totalEur, 6);
    expect(naive.totalEur).toBeCloseTo(58.69, 2);
    expect(savingPercent).toBeCloseTo(73.8, 1);
    expect(a.scaleToZeroAverageInstances).toBeLessThan(1);
  });

  it("production is already always on and HA: nothing to save", () => {
    expect(comparisons.production!.savingEur).toBeCloseTo(0, 9);
  });
});

describe("prices the table does not have", () => {
  it("reports a database on an unpriced node type as not priced instead of inventing a price", () => {
    const resources: CostedResource[] = [
      {
        type: "scaleway:databases/instance:Instance",
        name: "big-db",
        inputs: { nodeType: "DB-PRO2-S", volumeType: "sbs_5k", volumeSizeInGb: 50, disableBackup: true },
      },
      { type: "scaleway:cdn/pipeline:Pipeline", name: "edge", inputs: {} },
    ];
    const estimate = estimateResources(resources, assumptionsFor("dev"));
    expect(estimate.unpriced).toEqual(["big-db", "edge"]);
    const [db, edge] = estimate.lines;
    expect(db!.priced).toBe(false);
    expect(db!.drivers).toContain("node type DB-PRO2-S has no price in the table");
    // Only the volume is counted: 50 GB × €0.0993
    expect(db!.monthlyEur).toBeCloseTo(50 * volume.sbs_5k.eur, 9);
    expect(edge!.drivers).toBe("this resource type is not in the price table");
  });
});
