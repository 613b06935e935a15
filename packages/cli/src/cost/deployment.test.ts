import type { Deployment } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { defaultAssumptions } from "./assumptions";
import { resourcesFromDeployment } from "./deployment";
import { estimateDeployed } from "./index";
import { priceTable as P } from "./prices";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const urn = (type: string, name: string, parentType = "") =>
  `urn:pulumi:staging::evalplatform::${parentType ? `${parentType}$` : ""}${type}::${name}`;

/** The shape of `stack.exportStack()`: a version-3 deployment, secrets decrypted or not. */
const deployment: Deployment = {
  version: 3,
  deployment: {
    manifest: { time: "2026-11-20T10:00:00Z", version: "v3.248.0" },
    resources: [
      { urn: urn("pulumi:pulumi:Stack", "evalplatform-staging"), custom: false, type: "pulumi:pulumi:Stack" },
      {
        urn: urn("pulumi:providers:scaleway", "default_1_54_0"),
        custom: true,
        id: "8e2b0c1a",
        type: "pulumi:providers:scaleway",
        inputs: { version: "1.54.0" },
      },
      {
        urn: urn("sovstack:databases:PostgresDatabase", "evalplatform-staging-db"),
        custom: false,
        type: "sovstack:databases:PostgresDatabase",
      },
      {
        urn: urn(
          "scaleway:databases/instance:Instance",
          "evalplatform-staging-db",
          "sovstack:databases:PostgresDatabase",
        ),
        custom: true,
        id: "fr-par/1d7b7f43-0000-4000-8000-000000000001",
        type: "scaleway:databases/instance:Instance",
        inputs: {
          nodeType: "db-play2-nano",
          volumeType: "sbs_5k",
          volumeSizeInGb: 20,
          isHaCluster: false,
          backupScheduleFrequency: 24,
          backupScheduleRetention: 14,
          password: { [SIG]: SECRET, ciphertext: "v1:AAAA" },
        },
      },
      {
        urn: urn("scaleway:databases/instance:Instance", "reporting-db"),
        custom: true,
        id: "fr-par/1d7b7f43-0000-4000-8000-000000000002",
        type: "scaleway:databases/instance:Instance",
        inputs: { nodeType: "DB-DEV-S", volumeType: "sbs_5k", volumeSizeInGb: 10, disableBackup: true },
      },
      {
        urn: urn("scaleway:databases/readReplica:ReadReplica", "evalplatform-staging-db-replica"),
        custom: true,
        id: "fr-par/5a1e0000-0000-4000-8000-000000000003",
        type: "scaleway:databases/readReplica:ReadReplica",
        inputs: { instanceId: "fr-par/1d7b7f43-0000-4000-8000-000000000001" },
      },
      {
        urn: urn("scaleway:containers/container:Container", "evalplatform-staging-api"),
        custom: true,
        id: "fr-par/c0000000-0000-4000-8000-000000000004",
        type: "scaleway:containers/container:Container",
        inputs: {
          cpuLimit: 560,
          memoryLimitBytes: 1_024_000_000,
          minScale: 1,
          secretEnvironmentVariables: { [SIG]: SECRET, plaintext: JSON.stringify({ SESSION_KEY: "s3cr3t" }) },
        },
      },
      {
        // The old container of a replacement that failed half-way: pending deletion.
        urn: urn("scaleway:containers/container:Container", "evalplatform-staging-api"),
        custom: true,
        id: "fr-par/c0000000-0000-4000-8000-0000000000ff",
        type: "scaleway:containers/container:Container",
        delete: true,
        inputs: { cpuLimit: 4000, memoryLimitBytes: 8_192_000_000, minScale: 10 },
      },
    ],
  },
};

describe("an exported deployment", () => {
  it("turns into the resources the stack runs: no stack, component, provider or pending delete", () => {
    const resources = resourcesFromDeployment(deployment);
    expect(resources.map((resource) => [resource.type, resource.name, resource.id])).toEqual([
      [
        "scaleway:databases/instance:Instance",
        "evalplatform-staging-db",
        "fr-par/1d7b7f43-0000-4000-8000-000000000001",
      ],
      ["scaleway:databases/instance:Instance", "reporting-db", "fr-par/1d7b7f43-0000-4000-8000-000000000002"],
      [
        "scaleway:databases/readReplica:ReadReplica",
        "evalplatform-staging-db-replica",
        "fr-par/5a1e0000-0000-4000-8000-000000000003",
      ],
      [
        "scaleway:containers/container:Container",
        "evalplatform-staging-api",
        "fr-par/c0000000-0000-4000-8000-000000000004",
      ],
    ]);
  });

  it("reads decrypted secrets and drops encrypted ones, which no cost depends on", () => {
    const [db, , , api] = resourcesFromDeployment(deployment);
    expect(db!.inputs.password).toBeUndefined();
    expect(db!.inputs.nodeType).toBe("db-play2-nano");
    expect(api!.inputs.secretEnvironmentVariables).toEqual({ SESSION_KEY: "s3cr3t" });
  });

  it("is estimated with the stack's assumptions, the replica priced after its own instance", () => {
    const estimate = estimateDeployed(deployment);
    expect(estimate.environment).toBe("staging");
    const a = defaultAssumptions.staging;
    const nano = P.managedPostgres.nodeTypes["DB-PLAY2-NANO"];
    const sbs5k = P.managedPostgres.volumeGbMonth.sbs_5k.eur;
    // evalplatform-staging-db: DB-PLAY2-NANO node, 20 GB, 14 daily backups
    const db = nano.node.eur * 730 + 20 * sbs5k + 14 * a.databaseDataGb * P.managedPostgres.backupGbMonth.eur;
    // reporting-db: DB-DEV-S node, 10 GB, no backups
    const reporting = P.managedPostgres.nodeTypes["DB-DEV-S"].node.eur * 730 + 10 * sbs5k;
    // The replica serves evalplatform-staging-db (by ID): one more DB-PLAY2-NANO node and 20 GB
    const replica = nano.extraNode.eur * 730 + 20 * sbs5k;
    // api: 0.56 vCPU and 1 GB all month, less the free tier (200 000 vCPU-s, 400 000 GB-s)
    const api =
      (0.56 * 2_628_000 - 200_000) * P.serverlessContainers.vcpuSecond.eur +
      (1 * 2_628_000 - 400_000) * P.serverlessContainers.gbSecond.eur;
    expect(estimate.lines.find((line) => line.resource.endsWith("-replica"))!.monthlyEur).toBeCloseTo(replica, 9);
    expect(estimate.totalEur).toBeCloseTo(db + reporting + replica + api, 9);
  });

  it("with no resources costs nothing", () => {
    expect(estimateDeployed({ version: 3, deployment: {} }, { environment: "dev" }).totalEur).toBe(0);
  });
});
