import { describe, expect, it } from "vitest";
import { iamApiKeyExpires, iamNoFullAccess, iamNoUserApiKeys, iamProjectScoped } from "./iam";
import { messages, type TestResource } from "./policyHarness";

const POLICY = "scaleway:iam/policy:Policy";
const API_KEY = "scaleway:iam/apiKey:ApiKey";
const PROJECT = "11111111-1111-4111-8111-111111111111";

const policy = (name: string, ...sets: string[][]): TestResource => ({
  type: POLICY,
  name,
  inputs: {
    name,
    applicationId: "app-1",
    rules: sets.map((permissionSetNames) => ({ projectIds: [PROJECT], permissionSetNames })),
  },
});
const apiKey = (inputs: Record<string, unknown>): TestResource => ({
  type: API_KEY,
  inputs: { defaultProjectId: PROJECT, description: "API key of evalplatform-dev-api", ...inputs },
});

describe("iam-no-full-access", () => {
  it("passes narrow permission sets", async () => {
    const narrow = policy("evalplatform-dev-api", ["ObjectStorageObjectsRead", "ObjectStorageBucketsRead"]);
    expect(await messages(iamNoFullAccess, narrow)).toEqual([]);
  });

  it("refuses a *FullAccess set, in every rule, on the legacy type too", async () => {
    const wide = policy("evalplatform-dev-api", ["ObjectStorageObjectsRead"], ["ObjectStorageFullAccess"]);
    const expected = [
      "must not grant ObjectStorageFullAccess: grant the narrow permission sets the principal needs " +
        "(e.g. ObjectStorageObjectsRead), or, if none is narrow enough, add the policy to fullAccessExceptions " +
        "in packages/policy/src/packConfig.ts, then run `npm run config -w @sovstack/policy` (a stack made by `sovstack init`: in its packages/policy/config/<stack>.json).",
    ];
    expect(await messages(iamNoFullAccess, wide)).toEqual(expected);
    expect(await messages(iamNoFullAccess, { ...wide, type: "scaleway:index/iamPolicy:IamPolicy" })).toEqual(expected);
  });

  it("lets the backup jobs hold RelationalDatabasesFullAccess, and nothing more", async () => {
    expect(
      await messages(
        iamNoFullAccess,
        policy("evalplatform-production-backups-jobs", ["RelationalDatabasesFullAccess"]),
      ),
    ).toEqual([]);
    expect(
      await messages(
        iamNoFullAccess,
        policy("evalplatform-production-backups-jobs", ["RelationalDatabasesFullAccess", "ObjectStorageFullAccess"]),
      ),
    ).toEqual([expect.stringMatching(/^must not grant ObjectStorageFullAccess:/)]);
    expect(
      await messages(iamNoFullAccess, policy("evalplatform-production-api", ["RelationalDatabasesFullAccess"])),
    ).toEqual([expect.stringMatching(/^must not grant RelationalDatabasesFullAccess:/)]);
  });

  it("takes its exceptions from the config, which replaces the default", async () => {
    const config = {
      [iamNoFullAccess.name]: {
        fullAccessExceptions: [{ policyName: "ops-*", permissionSets: ["InstancesFullAccess"] }],
      },
    };
    expect(await messages(iamNoFullAccess, policy("ops-admin", ["InstancesFullAccess"]), { config })).toEqual([]);
    expect(
      await messages(iamNoFullAccess, policy("x-backups-jobs", ["RelationalDatabasesFullAccess"]), { config }),
    ).toHaveLength(1);
  });
});

describe("iam-project-scoped", () => {
  it("passes rules scoped to projects", async () => {
    expect(await messages(iamProjectScoped, policy("evalplatform-dev-api", ["ObjectStorageObjectsRead"]))).toEqual([]);
  });

  it("refuses an organization-wide rule", async () => {
    const wide: TestResource = {
      type: POLICY,
      inputs: { rules: [{ organizationId: "org-1", permissionSetNames: ["ObjectStorageObjectsRead"] }] },
    };
    expect(await messages(iamProjectScoped, wide)).toEqual([
      "must scope rule 0 to projects, not the organization: replace organizationId with projectIds.",
    ]);
  });

  it("refuses a rule without projects", async () => {
    const unscoped: TestResource = {
      type: POLICY,
      inputs: { rules: [{ projectIds: [PROJECT], permissionSetNames: ["A"] }, { permissionSetNames: ["B"] }] },
    };
    expect(await messages(iamProjectScoped, unscoped)).toEqual([
      "must scope rule 1 to projects: set projectIds to the project(s) the principal works in.",
    ]);
  });
});

describe("iam-api-key-expires", () => {
  it("passes a key with an expiry date", async () => {
    expect(
      await messages(iamApiKeyExpires, apiKey({ applicationId: "app-1", expiresAt: "2027-06-30T00:00:00Z" })),
    ).toEqual([]);
  });

  it("refuses a key that never expires", async () => {
    expect(await messages(iamApiKeyExpires, apiKey({ applicationId: "app-1" }))).toEqual([
      "must expire: set expiresAt (sovstack: identity.apiKeyExpiresAt, e.g. 2027-06-30T00:00:00Z) " +
        "and rotate the key before that date.",
    ]);
  });

  it("refuses an expiry that is not a date", async () => {
    expect(await messages(iamApiKeyExpires, apiKey({ applicationId: "app-1", expiresAt: "next year" }))).toEqual([
      "must expire at a valid date: write expiresAt as an ISO 8601 date-time such as 2027-06-30T00:00:00Z.",
    ]);
  });
});

describe("iam-no-user-api-keys", () => {
  it("passes a key of an application", async () => {
    expect(await messages(iamNoUserApiKeys, apiKey({ applicationId: "app-1" }))).toEqual([]);
  });

  it("refuses a key of a user", async () => {
    expect(await messages(iamNoUserApiKeys, apiKey({ userId: "user-1" }))).toEqual([
      "must belong to an IAM application, not a user: create an application for the service " +
        "and set applicationId instead of userId.",
    ]);
  });
});
