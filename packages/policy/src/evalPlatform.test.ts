import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { planProgram, readStackFile, type PlannedResource } from "@sovstack/components";
import { describe, expect, it } from "vitest";
import { evalPlatform } from "../../../infra/program";
import type { Environment } from "./environment";
import { policies } from "./policies";
import { runPolicies, type TestResource, type Violation } from "./policyHarness";

const PROJECT = "11111111-1111-4111-8111-111111111111";

type StackFile = Record<string, unknown>;
const stackFile = (environment: Environment): StackFile =>
  readStackFile(resolve(import.meta.dirname, "../../../infra", `Pulumi.${environment}.yaml`));
const packConfig = (environment: Environment): PolicyPackConfig =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, "..", "config", `${environment}.json`), "utf8"));

/** What the engine would hand the pack: every resource of the plan with its inputs, protect flag and parent. */
const asTestResource =
  (environment: Environment) =>
  (resource: PlannedResource): TestResource => ({
    type: resource.type,
    name: resource.name,
    inputs: resource.inputs,
    protect: resource.protect,
    parentUrn: resource.parentUrn,
    stack: environment,
  });

/** Plans the evaluation platform from a stack file (Pulumi's mocks) and runs the whole pack over it. */
async function check(environment: Environment, file: StackFile): Promise<Violation[]> {
  process.env.SCW_DEFAULT_PROJECT_ID = PROJECT;
  const configMap = Object.fromEntries(Object.entries(file).map(([key, value]) => [`sovstack:${key}`, value]));
  const { resources } = await planProgram((opts) => evalPlatform(configMap, environment, opts), {
    project: "evalplatform",
    stack: environment,
  });
  return runPolicies(policies, resources.map(asTestResource(environment)), { config: packConfig(environment) });
}

/** "<level> <policy> <resource name>" per violation, the stack's own violations naming no resource. */
const summary = (violations: readonly Violation[]) =>
  violations.map(
    (violation) => `${violation.enforcementLevel} ${violation.policy} ${violation.urn?.split("::").pop() ?? "stack"}`,
  );

describe.each(["dev", "staging", "production"] as const)("the evaluation platform in %s", (environment) => {
  it("passes every policy as configured", async () => {
    expect(summary(await check(environment, stackFile(environment)))).toEqual([]);
  });

  it("flags API keys that never expire", async () => {
    const { identity: _identity, ...file } = stackFile(environment);
    const flagged = (await check(environment, file)).map((violation) => violation.policy);
    expect(new Set(flagged)).toEqual(new Set(["iam-api-key-expires"]));
  });
});

describe("an insecure evaluation platform", () => {
  it("in dev: full access, an unversioned bucket and an unlisted public service warn", async () => {
    const file = structuredClone(stackFile("dev")) as any;
    file.services.api.permissions = ["ObjectStorageFullAccess"];
    file.services.api.allowFullAccess = true;
    file.services.runners.privacy = "public";
    file.buckets.assets.versioning = false;
    expect(summary(await check("dev", file))).toEqual([
      "advisory storage-bucket-versioning evalplatform-dev-assets",
      "advisory iam-no-full-access evalplatform-dev-api",
      "advisory containers-private-unless-listed evalplatform-dev-runners",
    ]);
  });

  it("in production: a single node, short backups and no deletion protection block the deployment", async () => {
    const file = structuredClone(stackFile("production")) as any;
    file.database.highAvailability = false;
    file.database.deletionProtection = false;
    file.database.backups.retentionDays = 14;
    expect(summary(await check("production", file))).toEqual([
      "mandatory database-backup-retention evalplatform-production-db",
      "mandatory database-high-availability evalplatform-production-db",
      "mandatory database-deletion-protection evalplatform-production-db",
    ]);
  });

  it("in staging: an alert manager without contacts blocks the deployment", async () => {
    const file = structuredClone(stackFile("staging")) as any;
    file.monitoring.contacts = [];
    expect(summary(await check("staging", file))).toEqual([
      "mandatory monitoring-alert-contacts evalplatform-staging-cockpit",
    ]);
  });
});
