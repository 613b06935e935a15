import { describe, expect, it } from "vitest";
import { assumptionsFor } from "./assumptions";
import { costDelta, describeDelta } from "./delta";
import { estimateResources } from "./estimate";
import { priceTable as P } from "./prices";
import type { CostedResource } from "./resources";

const H = 730;
const S = H * 3600;
// Free tiers off, so that each resource's cost is its own.
const assumptions = assumptionsFor("dev", { freeTiers: 0, scaleToZeroAverageInstances: 0.1 });

const container = (minScale: number): CostedResource => ({
  type: "scaleway:containers/container:Container",
  name: "app",
  inputs: { cpuLimit: 500, memoryLimitBytes: 1024 * 1_000_000, minScale },
});
const database = (nodeType: string): CostedResource => ({
  type: "scaleway:databases/instance:Instance",
  name: "db",
  inputs: { nodeType, volumeType: "sbs_5k", volumeSizeInGb: 10, disableBackup: true },
});
const bucket: CostedResource = { type: "scaleway:object/bucket:Bucket", name: "assets", inputs: {} };
const version: CostedResource = { type: "scaleway:secrets/version:Version", name: "key-v0", inputs: {} };
const vpc: CostedResource = { type: "scaleway:network/vpc:Vpc", name: "net", inputs: {} };

describe("costDelta", () => {
  const before = estimateResources([container(0), database("DB-DEV-S"), bucket, vpc], assumptions);
  const after = estimateResources([container(1), database("DB-PLAY2-NANO"), version, vpc], assumptions);
  const delta = costDelta(before, after);

  // app: 0.5 vCPU and 1 GB, from 0.1 instance on average to 1 instance all month
  const appBefore = (0.5 * P.serverlessContainers.vcpuSecond.eur + 1 * P.serverlessContainers.gbSecond.eur) * S * 0.1;
  const appAfter = (0.5 * P.serverlessContainers.vcpuSecond.eur + 1 * P.serverlessContainers.gbSecond.eur) * S;
  // db: the node changes, the 10 GB volume stays
  const nodes = P.managedPostgres.nodeTypes;
  const dbDelta = (nodes["DB-PLAY2-NANO"].node.eur - nodes["DB-DEV-S"].node.eur) * H;
  // assets removed: 5 GB stored and 1 GB egress (dev's assumptions)
  const bucketBefore = 5 * P.objectStorage.standardGbMonth.eur + 1 * P.objectStorage.egressGb.eur;
  // key-v0 added: one version all month
  const versionAfter = P.secretManager.versionHour.eur * H;

  it("sums the change of each resource", () => {
    expect(delta.deltaEur).toBeCloseTo(appAfter - appBefore + dbDelta - bucketBefore + versionAfter, 9);
    expect(delta.afterEur - delta.beforeEur).toBeCloseTo(delta.deltaEur, 9);
  });

  it("lists changed, added and removed resources, largest change first, and leaves unchanged ones out", () => {
    expect(delta.changes.map((change) => [change.resource, change.change])).toEqual([
      ["db", "changed"],
      ["app", "changed"],
      ["assets", "removed"],
      ["key-v0", "added"],
    ]);
    const app = delta.changes[1]!;
    expect(app.beforeEur).toBeCloseTo(appBefore, 9);
    expect(app.afterEur).toBeCloseTo(appAfter, 9);
    expect(delta.changes.find((change) => change.resource === "assets")!.deltaEur).toBeCloseTo(-bucketBefore, 9);
  });

  it("reads as a few lines for a preview", () => {
    const text = describeDelta(delta);
    expect(text.split("\n")[0]).toBe(
      `Monthly cost: +€${delta.deltaEur.toFixed(2)} (€${delta.beforeEur.toFixed(2)} → €${delta.afterEur.toFixed(2)}, EUR excl. VAT)`,
    );
    expect(text).toContain("assets, Object Storage (removed)");
    expect(text).toContain("key-v0, Secret Manager (added)");
  });

  it("counts resources added or removed at no charge per product instead of listing each", () => {
    const free = (name: string, type: string): CostedResource => ({ type, name, inputs: {} });
    const grown = estimateResources(
      [
        container(0),
        database("DB-DEV-S"),
        bucket,
        vpc,
        free("api", "scaleway:iam/application:Application"),
        free("api", "scaleway:iam/apiKey:ApiKey"),
        free("net2", "scaleway:network/vpc:Vpc"),
      ],
      assumptions,
    );
    const text = describeDelta(costDelta(before, grown));
    expect(text.split("\n")).toEqual([
      "Monthly cost: +€0.00 (€" + before.totalEur.toFixed(2) + " → €" + before.totalEur.toFixed(2) + ", EUR excl. VAT)",
      "  3 added at no charge: 2 IAM, 1 VPC",
    ]);
  });

  it("is zero with no change", () => {
    const same = costDelta(before, before);
    expect(same.deltaEur).toBe(0);
    expect(same.changes).toEqual([]);
  });
});
