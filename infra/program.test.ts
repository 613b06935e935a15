import { resolve } from "node:path";
import { planProgram, readStackFile, type PlannedResource } from "@sovstack/components";
import { beforeAll, describe, expect, it } from "vitest";
import { evalPlatform } from "./program";

const PROJECT = "11111111-1111-4111-8111-111111111111";

async function planEnvironment(environment: string) {
  process.env.SCW_DEFAULT_PROJECT_ID = PROJECT;
  const raw = readStackFile(resolve(import.meta.dirname, `Pulumi.${environment}.yaml`));
  const configMap = Object.fromEntries(Object.entries(raw).map(([key, value]) => [`sovstack:${key}`, value]));
  return planProgram((opts) => evalPlatform(configMap, environment, opts), {
    project: "evalplatform",
    stack: environment,
  });
}

const of = (resources: readonly PlannedResource[], type: string) => resources.filter((r) => r.type === type);
const INSTANCE = "scaleway:databases/instance:Instance";
const CONTAINER = "scaleway:containers/container:Container";

describe.each(["dev", "staging", "production"])("the %s environment", (environment) => {
  let resources: readonly PlannedResource[];
  let outputs: Awaited<ReturnType<typeof planEnvironment>>["outputs"];
  beforeAll(async () => {
    ({ resources, outputs } = await planEnvironment(environment));
  });

  it("creates the four services, one identity each, the database, the bucket and monitoring", () => {
    expect(
      of(resources, CONTAINER)
        .map((c) => c.inputs.name)
        .sort(),
    ).toEqual(["api", "docs", "runners", "ui"].map((s) => `evalplatform-${environment}-${s}`));
    expect(of(resources, "scaleway:iam/application:Application").length).toBeGreaterThanOrEqual(4);
    expect(of(resources, INSTANCE)).toHaveLength(1);
    expect(of(resources, "scaleway:object/bucket:Bucket").map((b) => b.inputs.name)).toEqual([
      `evalplatform-assets-${environment}`,
    ]);
    expect(of(resources, "scaleway:observability/alertManager:AlertManager")).toHaveLength(1);
  });

  it("gives the database no public endpoint: private network only", () => {
    const [instance] = of(resources, INSTANCE);
    expect(instance!.inputs.loadBalancer).toBeUndefined();
    expect(instance!.inputs.privateNetwork).toMatchObject({ pnId: expect.any(String), enableIpam: true });
    expect(instance!.inputs.encryptionAtRest).toBe(true);
  });

  it("keeps runners private and exposes api, ui and docs over HTTPS only", () => {
    const privacy = Object.fromEntries(
      of(resources, CONTAINER).map((c) => [String(c.inputs.name).split("-").pop(), c.inputs.privacy]),
    );
    expect(privacy).toEqual({ api: "public", docs: "public", runners: "private", ui: "public" });
    for (const container of of(resources, CONTAINER)) {
      expect(container.inputs.httpsConnectionsOnly).toBe(true);
      expect(container.inputs.livenessProbe).toMatchObject({ http: { path: "/health" } });
      expect(container.inputs.privateNetworkId).toBeDefined();
    }
  });

  it("versions the bucket", () => {
    for (const bucket of of(resources, "scaleway:object/bucket:Bucket"))
      expect(bucket.inputs.versioning).toEqual({ enabled: true });
  });

  it("passes credentials only as secret values", () => {
    for (const container of of(resources, CONTAINER)) {
      const env = container.inputs.environmentVariables as Record<string, string>;
      expect(Object.keys(env).filter((name) => /PASSWORD|SECRET|SESSION_KEY/.test(name))).toEqual([]);
      if (container.inputs.secretEnvironmentVariables)
        expect(container.secretInputs).toContain("secretEnvironmentVariables");
    }
    for (const version of of(resources, "scaleway:secrets/version:Version"))
      expect(version.secretInputs).toContain("data");
    for (const user of of(resources, "scaleway:databases/user:User")) expect(user.secretInputs).toContain("password");
  });

  it("grants no full-access IAM permission to any service", () => {
    for (const policy of of(resources, "scaleway:iam/policy:Policy")) {
      const rules = policy.inputs.rules as Array<{ projectIds: string[]; permissionSetNames: string[] }>;
      for (const rule of rules) expect(rule.projectIds).toEqual([PROJECT]);
      const fullAccess = rules.flatMap((rule) => rule.permissionSetNames).filter((set) => set.endsWith("FullAccess"));
      // The one exception is the backup jobs' identity: no narrower set can create backups.
      if (policy.name.endsWith("-backups-jobs")) expect(fullAccess).toEqual(["RelationalDatabasesFullAccess"]);
      else expect(fullAccess).toEqual([]);
    }
  });

  it("parents every Scaleway resource to a sovstack component", () => {
    for (const resource of resources.filter((r) => r.type.startsWith("scaleway:"))) {
      expect(resource.parentUrn, `${resource.type} ${resource.name}`).toMatch(
        /::sovstack:[a-z]+:[A-Za-z]+(\$sovstack:[a-z]+:[A-Za-z]+)*::/,
      );
    }
  });

  it("tags resources with environment, owner and cost centre", () => {
    const tags = of(resources, CONTAINER)[0]!.inputs.tags as string[];
    expect(tags).toEqual(
      expect.arrayContaining([`environment=${environment}`, "owner=platform-team", "cost-center=eval-platform"]),
    );
  });

  it("exports public endpoints, the database host and the bucket names", async () => {
    const value = <T>(output: { apply: (f: (v: T) => void) => unknown }) => new Promise<T>((r) => output.apply(r));
    expect(Object.keys(await value<Record<string, string>>(outputs.publicEndpoints)).sort()).toEqual([
      "api",
      "docs",
      "ui",
    ]);
    expect(await value<string>(outputs.databaseHost!)).toBe("172.16.0.2");
    expect(await value<Record<string, string>>(outputs.bucketNames)).toEqual({
      assets: `evalplatform-assets-${environment}`,
    });
  });
});

describe("sizes per environment", () => {
  it("dev scales to zero on a small single node with 7 days of backups", async () => {
    const { resources } = await planEnvironment("dev");
    for (const container of of(resources, CONTAINER)) expect(container.inputs.minScale).toBe(0);
    expect(of(resources, INSTANCE)[0]!.inputs).toMatchObject({
      isHaCluster: false,
      nodeType: "DB-DEV-S",
      backupScheduleRetention: 7,
    });
    expect(of(resources, INSTANCE)[0]!.protect).toBe(false);
  });

  it("staging keeps a single node and 14 days of backups", async () => {
    const { resources } = await planEnvironment("staging");
    expect(of(resources, INSTANCE)[0]!.inputs).toMatchObject({ isHaCluster: false, backupScheduleRetention: 14 });
    expect(of(resources, "scaleway:databases/readReplica:ReadReplica")).toHaveLength(0);
  });

  it("production has HA, a read replica, tiered backups, deletion protection and 2+ instances per public service", async () => {
    const { resources } = await planEnvironment("production");
    const instance = of(resources, INSTANCE)[0]!;
    expect(instance.inputs).toMatchObject({ isHaCluster: true, backupScheduleRetention: 30 });
    expect(instance.protect).toBe(true);
    expect(of(resources, "scaleway:databases/readReplica:ReadReplica")).toHaveLength(1);
    const jobs = of(resources, "scaleway:job/definition:Definition");
    expect(jobs.map((job) => [job.name, (job.inputs.cron as { schedule: string }).schedule]).sort()).toEqual([
      ["evalplatform-production-backups-monthly", "0 4 1 * *"],
      ["evalplatform-production-backups-weekly", "0 3 * * 0"],
    ]);
    expect(String(jobs.find((j) => j.name.endsWith("monthly"))!.inputs.args)).toContain("365 * 86400");
    expect(String(jobs.find((j) => j.name.endsWith("weekly"))!.inputs.args)).toContain("90 * 86400");
    for (const container of of(resources, CONTAINER).filter((c) => c.inputs.privacy === "public")) {
      expect(container.inputs.minScale).toBeGreaterThanOrEqual(2);
    }
  });
});
