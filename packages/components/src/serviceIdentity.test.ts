import { describe, expect, it } from "vitest";
import { planProgram } from "./plan";
import { ServiceIdentity, type ServiceIdentityArgs } from "./serviceIdentity";
import { ofType, single } from "./testSupport";

const PROJECT = "11111111-1111-4111-8111-111111111111";

const plan = (args: Partial<ServiceIdentityArgs> = {}) =>
  planProgram(
    (opts) => {
      const identity = new ServiceIdentity(
        "api",
        {
          projectId: PROJECT,
          permissionSets: ["ObjectStorageObjectsRead"],
          secrets: { region: "fr-par", path: "/app/dev" },
          ...args,
        },
        opts,
      );
      return { applicationId: identity.applicationId, secretKey: identity.secretKey };
    },
    { project: "test", stack: "dev" },
  );

describe("ServiceIdentity", () => {
  it("scopes its policy to one project with explicit permission sets", async () => {
    const { resources } = await plan({ permissionSets: ["ObjectStorageObjectsWrite", "ObjectStorageObjectsRead"] });
    const policy = single(resources, "scaleway:iam/policy:Policy");
    expect(policy.inputs.rules).toEqual([
      { projectIds: [PROJECT], permissionSetNames: ["ObjectStorageObjectsRead", "ObjectStorageObjectsWrite"] },
    ]);
    expect(policy.inputs.organizationId).toBeUndefined();
  });

  it("stores the API key's secret in Secret Manager, as a secret", async () => {
    const { resources } = await plan({ apiKeyExpiresAt: "2027-06-30T00:00:00Z" });
    const key = single(resources, "scaleway:iam/apiKey:ApiKey");
    expect(key.inputs).toMatchObject({ defaultProjectId: PROJECT, expiresAt: "2027-06-30T00:00:00Z" });
    expect(key.inputs.userId).toBeUndefined();
    const version = single(resources, "scaleway:secrets/version:Version");
    expect(version.secretInputs).toContain("data");
    expect(version.inputs.data).toBe("planned-secret-key");
  });

  it("refuses full-access permission sets unless allowed", async () => {
    await expect(plan({ permissionSets: ["AllProductsFullAccess"] })).rejects.toThrow(
      /permissionSets\[0\]: "AllProductsFullAccess" is not valid.*allowFullAccess: true/,
    );
    const { resources } = await plan({ permissionSets: ["ContainersFullAccess"], allowFullAccess: true });
    expect(single(resources, "scaleway:iam/policy:Policy").inputs.rules).toEqual([
      { projectIds: [PROJECT], permissionSetNames: ["ContainersFullAccess"] },
    ]);
  });

  it("has neither policy nor key without permissions", async () => {
    const { resources } = await plan({ permissionSets: [] });
    expect(ofType(resources, "scaleway:iam/application:Application")).toHaveLength(1);
    expect(ofType(resources, "scaleway:iam/policy:Policy")).toHaveLength(0);
    expect(ofType(resources, "scaleway:iam/apiKey:ApiKey")).toHaveLength(0);
  });
});
