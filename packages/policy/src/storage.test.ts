import { describe, expect, it } from "vitest";
import { messages, urnOf, type TestResource } from "./policyHarness";
import {
  storageBucketEncryption,
  storageBucketLifecycle,
  storageBucketPrivate,
  storageBucketVersioning,
  storageNoPublicBucketPolicy,
} from "./storage";

const BUCKET = "scaleway:object/bucket:Bucket";
const ACL = "scaleway:object/bucketAcl:BucketAcl";
const SSE = "scaleway:object/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const POLICY = "scaleway:object/bucketPolicy:BucketPolicy";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A bucket as sovstack's Bucket component writes it. */
const bucket = (inputs: Record<string, unknown> = {}, name = "assets"): TestResource => ({
  type: BUCKET,
  name,
  inputs: {
    name: `evalplatform-${name}-dev`,
    region: "fr-par",
    versioning: { enabled: true },
    lifecycleRules: [
      { id: "abort-incomplete-uploads", enabled: true, abortIncompleteMultipartUploadDays: 7 },
      { id: "expire-noncurrent-versions", enabled: true, noncurrentVersionExpiration: { noncurrentDays: 30 } },
    ],
    tags: { environment: "dev", owner: "platform-team", "cost-center": "eval-platform" },
    ...inputs,
  },
});
const encryption = (bucketName: string, inputs: Record<string, unknown> = {}): TestResource => ({
  type: SSE,
  name: bucketName,
  inputs: {
    bucket: bucketName,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    ...inputs,
  },
});
const bucketPolicy = (statement: unknown): TestResource => ({
  type: POLICY,
  inputs: {
    bucket: "evalplatform-assets-dev",
    policy: JSON.stringify({ Version: "2023-04-17", Statement: statement }),
  },
});

describe("storage-bucket-private", () => {
  it("passes a bucket without ACL and a private BucketAcl", async () => {
    expect(await messages(storageBucketPrivate, [bucket(), { type: ACL, inputs: { acl: "private" } }])).toEqual([]);
  });

  it.each(["public-read", "public-read-write", "authenticated-read"])("refuses acl %s", async (acl) => {
    const expected = `must be private: set acl to "private" (it is "${acl}"); give access through IAM or a bucket policy.`;
    expect(await messages(storageBucketPrivate, { type: ACL, inputs: { acl } })).toEqual([expected]);
    expect(await messages(storageBucketPrivate, bucket({ acl }))).toEqual([expected]);
  });

  it("refuses a grant to everyone in an access control policy", async () => {
    const grants = [
      { grantee: { type: "CanonicalUser", id: "owner" }, permission: "FULL_CONTROL" },
      { grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" },
    ];
    expect(await messages(storageBucketPrivate, { type: ACL, inputs: { accessControlPolicy: { grants } } })).toEqual([
      "must not grant READ to AllUsers: remove that grant from accessControlPolicy.",
    ]);
  });
});

describe("storage-bucket-versioning", () => {
  it("passes a versioned bucket", async () => {
    expect(await messages(storageBucketVersioning, bucket())).toEqual([]);
    expect(await messages(storageBucketVersioning, bucket({ versioning: { enabled: UNKNOWN } }))).toEqual([]);
  });

  it.each([{ enabled: false }, undefined])("refuses versioning %j", async (versioning) => {
    expect(await messages(storageBucketVersioning, bucket({ versioning }))).toEqual([
      "must keep object versions: set versioning: { enabled: true }.",
    ]);
  });
});

describe("storage-bucket-lifecycle", () => {
  it("passes a bucket with enabled rules", async () => {
    expect(await messages(storageBucketLifecycle, bucket())).toEqual([]);
  });

  it("refuses a bucket without rules", async () => {
    expect(await messages(storageBucketLifecycle, bucket({ lifecycleRules: [] }))).toEqual([
      "must have lifecycle rules: add lifecycleRules that expire noncurrent versions " +
        "(noncurrentVersionExpiration) and abort incomplete uploads (abortIncompleteMultipartUploadDays).",
    ]);
  });

  it("refuses a bucket whose rules are all disabled", async () => {
    const lifecycleRules = [{ id: "expire", enabled: false, expiration: { days: 30 } }];
    expect(await messages(storageBucketLifecycle, bucket({ lifecycleRules }))).toEqual([
      "must enable at least one lifecycle rule: set enabled: true on the rules of lifecycleRules.",
    ]);
  });
});

describe("storage-no-public-bucket-policy", () => {
  const allow = (principal: unknown) => ({
    Sid: "read",
    Effect: "Allow",
    Principal: principal,
    Action: ["s3:GetObject"],
    Resource: ["evalplatform-assets-dev/*"],
  });

  it("passes statements that name their principals", async () => {
    const statement = [allow({ SCW: ["application_id:11111111-1111-4111-8111-111111111111"] })];
    expect(await messages(storageNoPublicBucketPolicy, bucketPolicy(statement))).toEqual([]);
    expect(await messages(storageNoPublicBucketPolicy, bucketPolicy([{ ...allow("*"), Effect: "Deny" }]))).toEqual([]);
  });

  it.each([["*"], [{ SCW: "*" }], [{ SCW: ["*"] }], [{ AWS: "*" }]])("refuses Principal %j", async (principal) => {
    expect(await messages(storageNoPublicBucketPolicy, bucketPolicy(allow(principal)))).toEqual([
      'must not allow everyone: statement read has Principal "*"; name the principals instead, ' +
        'e.g. { "SCW": "application_id:<id>" }.',
    ]);
  });

  it("refuses a document it cannot read", async () => {
    expect(await messages(storageNoPublicBucketPolicy, { type: POLICY, inputs: { policy: "{ not json" } })).toEqual([
      "must be a valid JSON policy document: fix the syntax of policy so that it can be checked.",
    ]);
  });
});

describe("storage-bucket-encryption", () => {
  it("passes when each bucket has an encryption configuration, by name or by dependency", async () => {
    const assets = bucket();
    const logs = bucket({}, "logs");
    // In a preview the bucket's name may be unknown; the engine still says where it comes from.
    const byDependency = { ...encryption(UNKNOWN), name: "logs", propertyDependencies: { bucket: [urnOf(logs)] } };
    expect(
      await messages(storageBucketEncryption, [assets, logs, encryption("evalplatform-assets-dev"), byDependency]),
    ).toEqual([]);
    expect(await messages(storageBucketEncryption, [assets, encryption("fr-par/evalplatform-assets-dev")])).toEqual([]);
  });

  it("waits for the update when a configuration's bucket is not known at all", async () => {
    expect(await messages(storageBucketEncryption, [bucket(), encryption(UNKNOWN)])).toEqual([]);
  });

  it("refuses a bucket that no configuration encrypts", async () => {
    const logs = bucket({}, "logs");
    const forLogs = { ...encryption(UNKNOWN), name: "logs", propertyDependencies: { bucket: [urnOf(logs)] } };
    expect(await messages(storageBucketEncryption, [bucket(), logs, forLogs])).toEqual([
      'must be encrypted server-side: add a BucketServerSideEncryptionConfiguration for bucket evalplatform-assets-dev with sseAlgorithm "AES256".',
    ]);
  });

  it("refuses a configuration without a default algorithm", async () => {
    expect(
      await messages(storageBucketEncryption, [bucket(), encryption("evalplatform-assets-dev", { rules: [] })]),
    ).toEqual([
      'must set a default encryption: add rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }].',
    ]);
  });
});
