import { describe, expect, it } from "vitest";
import { Bucket } from "./bucket";
import { planProgram } from "./plan";
import { single } from "./testSupport";
import { ComponentValidationError } from "./validation";

const plan = (args: Partial<ConstructorParameters<typeof Bucket>[1]> = {}) =>
  planProgram(
    (opts) => {
      const bucket = new Bucket("assets", { bucketName: "evalplatform-assets-dev", region: "fr-par", ...args }, opts);
      return { name: bucket.bucketName };
    },
    { project: "test", stack: "dev" },
  );

describe("Bucket", () => {
  it("is private, versioned, encrypted and has lifecycle rules", async () => {
    const { resources } = await plan();
    const bucket = single(resources, "scaleway:object/bucket:Bucket");
    expect(bucket.inputs.name).toBe("evalplatform-assets-dev");
    expect(bucket.inputs.versioning).toEqual({ enabled: true });
    expect(bucket.inputs.forceDestroy).toBe(false);
    const rules = bucket.inputs.lifecycleRules as Array<Record<string, unknown>>;
    expect(rules).toContainEqual(expect.objectContaining({ noncurrentVersionExpiration: { noncurrentDays: 30 } }));
    expect(rules).toContainEqual(expect.objectContaining({ abortIncompleteMultipartUploadDays: 7 }));
    expect(single(resources, "scaleway:object/bucketAcl:BucketAcl").inputs.acl).toBe("private");
    const sse = single(
      resources,
      "scaleway:object/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("grants least privilege in its bucket policy", async () => {
    const { resources } = await plan({
      access: {
        admins: ["application_id:11111111-1111-4111-8111-111111111111"],
        readers: ["application_id:22222222-2222-4222-8222-222222222222"],
      },
    });
    const policy = JSON.parse(single(resources, "scaleway:object/bucketPolicy:BucketPolicy").inputs.policy as string);
    const readers = policy.Statement.find((s: { Sid: string }) => s.Sid === "readers");
    expect(readers.Principal.SCW).toEqual(["application_id:22222222-2222-4222-8222-222222222222"]);
    expect(readers.Action).not.toContain("s3:PutObject");
    expect(readers.Action).toContain("s3:GetObject");
    expect(JSON.stringify(policy)).not.toContain('"SCW":"*"');
  });

  it("has no bucket policy unless access is given", async () => {
    const { resources } = await plan();
    expect(resources.some((r) => r.type === "scaleway:object/bucketPolicy:BucketPolicy")).toBe(false);
  });

  it.each([
    ["ab", /3 to 63/],
    ["my_bucket", /underscore/],
    ["10.0.0.1", /IP address/],
    ["MyBucket", /uppercase/],
  ])("refuses the name %s before creating anything", async (bucketName, reason) => {
    await expect(plan({ bucketName })).rejects.toThrow(ComponentValidationError);
    await expect(plan({ bucketName })).rejects.toThrow(reason);
  });

  it("refuses a policy without admins, which would lock everyone out", async () => {
    await expect(plan({ access: { admins: [] } })).rejects.toThrow(/access.admins.*at least one principal/);
  });

  it("parents its children to itself", async () => {
    const { resources } = await plan();
    for (const resource of resources.filter((r) => r.type.startsWith("scaleway:"))) {
      expect(resource.parentUrn).toMatch(/sovstack:object:Bucket::assets$/);
    }
  });
});
