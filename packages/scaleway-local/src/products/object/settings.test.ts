import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startS3, type S3Fixture } from "./testing";

let s3: S3Fixture;
let client: S3Client;
beforeAll(async () => {
  s3 = await startS3();
  client = s3.client();
});
afterAll(() => s3.stop());

const bucket = (name: string, lock = false) =>
  client.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: lock || undefined }));

describe("bucket settings", () => {
  it("lifecycle: 404 NoSuchLifecycleConfiguration when absent, then rules as set", async () => {
    await bucket("lifecycle-bucket");
    expect(
      await rejection(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-bucket" }))),
    ).toEqual({
      name: "NoSuchLifecycleConfiguration",
      status: 404,
    });
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "lifecycle-bucket",
        LifecycleConfiguration: {
          Rules: [
            {
              ID: "expire-logs",
              Status: "Enabled",
              Filter: { Prefix: "logs/" },
              Expiration: { Days: 30 },
              Transitions: [{ Days: 7, StorageClass: "GLACIER" }],
            },
            {
              ID: "abort-uploads",
              Status: "Enabled",
              Filter: {},
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
            },
          ],
        },
      }),
    );
    const rules = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-bucket" }))).Rules;
    expect(rules).toMatchObject([
      {
        ID: "expire-logs",
        Status: "Enabled",
        Filter: { Prefix: "logs/" },
        Expiration: { Days: 30 },
        Transitions: [{ Days: 7, StorageClass: "GLACIER" }],
      },
      { ID: "abort-uploads", AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
    ]);
    expect(
      await rejection(
        client.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket: "lifecycle-bucket",
            LifecycleConfiguration: { Rules: [{ ID: "bad", Status: "Enabled", Filter: {}, Expiration: { Days: 0 } }] },
          }),
        ),
      ),
    ).toEqual({ name: "InvalidArgument", status: 400 });
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: "lifecycle-bucket" }));
    expect(
      (await rejection(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lifecycle-bucket" })))).status,
    ).toBe(404);
  });

  it("policy: JSON kept normalised as Scaleway does, MalformedPolicy for nonsense", async () => {
    await bucket("policy-bucket");
    expect(await rejection(client.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" })))).toEqual({
      name: "NoSuchBucketPolicy",
      status: 404,
    });
    const policy = {
      Version: "2023-04-17",
      Id: "MyPolicy",
      Statement: [
        {
          Sid: "Everyone",
          Effect: "Allow",
          Principal: { SCW: "*" },
          Action: ["s3:GetObject"],
          Resource: ["policy-bucket/*"],
        },
      ],
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: JSON.stringify(policy) }));
    const stored = JSON.parse((await client.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" }))).Policy!);
    expect(stored).toEqual({
      Id: "MyPolicy",
      Statement: [
        {
          Action: "s3:GetObject",
          Effect: "Allow",
          Principal: { SCW: "*" },
          Resource: "policy-bucket/*",
          Sid: "Everyone",
        },
      ],
      Version: "2023-04-17",
    });
    expect(
      await rejection(client.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: "not json" }))),
    ).toEqual({
      name: "MalformedPolicy",
      status: 400,
    });
    await client.send(new DeleteBucketPolicyCommand({ Bucket: "policy-bucket" }));
    expect((await rejection(client.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" })))).status).toBe(404);
  });

  it("CORS: rules as set, and preflight requests answered from them", async () => {
    await bucket("cors-bucket");
    expect(await rejection(client.send(new GetBucketCorsCommand({ Bucket: "cors-bucket" })))).toEqual({
      name: "NoSuchCORSConfiguration",
      status: 404,
    });
    await client.send(
      new PutBucketCorsCommand({
        Bucket: "cors-bucket",
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ["https://www.example.com"],
              AllowedMethods: ["GET", "PUT"],
              AllowedHeaders: ["*"],
              ExposeHeaders: ["ETag"],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
    expect((await client.send(new GetBucketCorsCommand({ Bucket: "cors-bucket" }))).CORSRules).toEqual([
      {
        AllowedOrigins: ["https://www.example.com"],
        AllowedMethods: ["GET", "PUT"],
        AllowedHeaders: ["*"],
        ExposeHeaders: ["ETag"],
        MaxAgeSeconds: 3000,
      },
    ]);
    const allowed = await s3.raw("https://cors-bucket.s3.fr-par.scw.cloud/file", {
      method: "OPTIONS",
      anonymous: true,
      headers: { origin: "https://www.example.com", "access-control-request-method": "PUT" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://www.example.com");
    const refused = await s3.raw("https://cors-bucket.s3.fr-par.scw.cloud/file", {
      method: "OPTIONS",
      anonymous: true,
      headers: { origin: "https://evil.example.org", "access-control-request-method": "GET" },
    });
    expect(refused.status).toBe(403);
    await client.send(new DeleteBucketCorsCommand({ Bucket: "cors-bucket" }));
    expect((await rejection(client.send(new GetBucketCorsCommand({ Bucket: "cors-bucket" })))).status).toBe(404);
  });

  it("website: index and error documents", async () => {
    await bucket("website-bucket");
    expect((await rejection(client.send(new GetBucketWebsiteCommand({ Bucket: "website-bucket" })))).name).toBe(
      "NoSuchWebsiteConfiguration",
    );
    await client.send(
      new PutBucketWebsiteCommand({
        Bucket: "website-bucket",
        WebsiteConfiguration: { ErrorDocument: { Key: "error.html" }, IndexDocument: { Suffix: "index.html" } },
      }),
    );
    expect(await client.send(new GetBucketWebsiteCommand({ Bucket: "website-bucket" }))).toMatchObject({
      IndexDocument: { Suffix: "index.html" },
      ErrorDocument: { Key: "error.html" },
    });
    await client.send(new DeleteBucketWebsiteCommand({ Bucket: "website-bucket" }));
  });

  it("tagging: NoSuchTagSet until set; objects answer an empty set", async () => {
    await bucket("tagging-bucket");
    expect(await rejection(client.send(new GetBucketTaggingCommand({ Bucket: "tagging-bucket" })))).toEqual({
      name: "NoSuchTagSet",
      status: 404,
    });
    await client.send(
      new PutBucketTaggingCommand({ Bucket: "tagging-bucket", Tagging: { TagSet: [{ Key: "env", Value: "dev" }] } }),
    );
    expect((await client.send(new GetBucketTaggingCommand({ Bucket: "tagging-bucket" }))).TagSet).toEqual([
      { Key: "env", Value: "dev" },
    ]);
    await client.send(new DeleteBucketTaggingCommand({ Bucket: "tagging-bucket" }));
    expect((await rejection(client.send(new GetBucketTaggingCommand({ Bucket: "tagging-bucket" })))).status).toBe(404);

    await client.send(new PutObjectCommand({ Bucket: "tagging-bucket", Key: "plain", Body: "x" }));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: "tagging-bucket", Key: "plain" }))).TagSet).toEqual(
      [],
    );
    await client.send(
      new PutObjectCommand({ Bucket: "tagging-bucket", Key: "tagged", Body: "x", Tagging: "a=1&b=two" }),
    );
    expect(
      (await client.send(new GetObjectTaggingCommand({ Bucket: "tagging-bucket", Key: "tagged" }))).TagSet,
    ).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "two" },
    ]);
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: "tagging-bucket",
        Key: "plain",
        Tagging: { TagSet: [{ Key: "k", Value: "v" }] },
      }),
    );
    expect((await client.send(new GetObjectCommand({ Bucket: "tagging-bucket", Key: "plain" }))).TagCount).toBe(1);
  });

  it("encryption: AES256 by default on new objects, and customer keys required to read SSE-C objects", async () => {
    await bucket("encryption-bucket");
    expect((await rejection(client.send(new GetBucketEncryptionCommand({ Bucket: "encryption-bucket" })))).name).toBe(
      "ServerSideEncryptionConfigurationNotFoundError",
    );
    await client.send(
      new PutBucketEncryptionCommand({
        Bucket: "encryption-bucket",
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      }),
    );
    const rules = (await client.send(new GetBucketEncryptionCommand({ Bucket: "encryption-bucket" })))
      .ServerSideEncryptionConfiguration?.Rules;
    expect(rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
    ]);
    const put = await client.send(new PutObjectCommand({ Bucket: "encryption-bucket", Key: "sse", Body: "secret" }));
    expect(put.ServerSideEncryption).toBe("AES256");

    const key = Buffer.alloc(32, 7);
    const customer = {
      SSECustomerAlgorithm: "AES256",
      SSECustomerKey: key.toString("base64"),
      SSECustomerKeyMD5: createHash("md5").update(key).digest("base64"),
    };
    await client.send(new PutObjectCommand({ Bucket: "encryption-bucket", Key: "ssec", Body: "mine", ...customer }));
    expect(await rejection(client.send(new GetObjectCommand({ Bucket: "encryption-bucket", Key: "ssec" })))).toEqual({
      name: "InvalidRequest",
      status: 400,
    });
    const got = await client.send(new GetObjectCommand({ Bucket: "encryption-bucket", Key: "ssec", ...customer }));
    expect(await got.Body!.transformToString()).toBe("mine");
    expect(got.SSECustomerKeyMD5).toBe(customer.SSECustomerKeyMD5);
    expect(
      await rejection(
        client.send(
          new PutBucketEncryptionCommand({
            Bucket: "encryption-bucket",
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }],
            },
          }),
        ),
      ),
    ).toEqual({ name: "InvalidArgument", status: 400 });
    await client.send(new DeleteBucketEncryptionCommand({ Bucket: "encryption-bucket" }));
  });

  it("object lock: 404 when off; on at creation with versioning; retention protects versions", async () => {
    await bucket("unlocked-bucket");
    expect(await rejection(client.send(new GetObjectLockConfigurationCommand({ Bucket: "unlocked-bucket" })))).toEqual({
      name: "ObjectLockConfigurationNotFoundError",
      status: 404,
    });
    await bucket("locked-bucket", true);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: "locked-bucket" }))).Status).toBe("Enabled");
    expect(
      (await client.send(new GetObjectLockConfigurationCommand({ Bucket: "locked-bucket" }))).ObjectLockConfiguration,
    ).toEqual({
      ObjectLockEnabled: "Enabled",
    });
    await client.send(
      new PutObjectLockConfigurationCommand({
        Bucket: "locked-bucket",
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } },
        },
      }),
    );
    const put = await client.send(new PutObjectCommand({ Bucket: "locked-bucket", Key: "kept", Body: "x" }));
    const head = await client.send(new HeadObjectCommand({ Bucket: "locked-bucket", Key: "kept" }));
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
    expect(
      await rejection(
        client.send(new DeleteObjectCommand({ Bucket: "locked-bucket", Key: "kept", VersionId: put.VersionId })),
      ),
    ).toEqual({ name: "AccessDenied", status: 403 });
    const bypass = await client.send(
      new DeleteObjectCommand({
        Bucket: "locked-bucket",
        Key: "kept",
        VersionId: put.VersionId,
        BypassGovernanceRetention: true,
      }),
    );
    expect(bypass.$metadata.httpStatusCode).toBe(204);
    expect(
      await rejection(
        client.send(
          new PutObjectLockConfigurationCommand({
            Bucket: "unlocked-bucket",
            ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" },
          }),
        ),
      ),
    ).toEqual({ name: "InvalidBucketState", status: 409 });
  });
});

describe("access control lists", () => {
  it("applies canned ACLs and grants, owner first", async () => {
    await bucket("acl-bucket");
    const owner = `${s3.local.defaultProjectId}:${s3.local.defaultProjectId}`;
    const initial = await client.send(new GetBucketAclCommand({ Bucket: "acl-bucket" }));
    expect(initial.Owner?.ID).toBe(owner);
    expect(initial.Grants).toEqual([
      { Grantee: { Type: "CanonicalUser", ID: owner, DisplayName: owner }, Permission: "FULL_CONTROL" },
    ]);
    await client.send(new PutBucketAclCommand({ Bucket: "acl-bucket", ACL: "public-read" }));
    expect((await client.send(new GetBucketAclCommand({ Bucket: "acl-bucket" }))).Grants?.[1]).toEqual({
      Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" },
      Permission: "READ",
    });
    await client.send(
      new PutBucketAclCommand({
        Bucket: "acl-bucket",
        AccessControlPolicy: {
          Owner: { ID: owner },
          Grants: [
            {
              Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" },
              Permission: "READ_ACP",
            },
            { Grantee: { Type: "CanonicalUser", ID: owner }, Permission: "FULL_CONTROL" },
          ],
        },
      }),
    );
    const grants = (await client.send(new GetBucketAclCommand({ Bucket: "acl-bucket" }))).Grants;
    expect(grants?.map((grant) => grant.Permission)).toEqual(["READ_ACP", "FULL_CONTROL"]);
  });

  it("lets anyone read a public-read object, and nobody a private one, without credentials", async () => {
    await bucket("public-bucket");
    await client.send(
      new PutObjectCommand({ Bucket: "public-bucket", Key: "public.html", Body: "<p>hi</p>", ACL: "public-read" }),
    );
    await client.send(new PutObjectCommand({ Bucket: "public-bucket", Key: "private.html", Body: "secret" }));
    const acl = await client.send(new GetObjectAclCommand({ Bucket: "public-bucket", Key: "public.html" }));
    expect(acl.Grants?.map((grant) => grant.Grantee?.URI ?? grant.Grantee?.ID)).toContain(
      "http://acs.amazonaws.com/groups/global/AllUsers",
    );
    const open = await s3.raw("https://public-bucket.s3.fr-par.scw.cloud/public.html", { anonymous: true });
    expect(open).toMatchObject({ status: 200, text: "<p>hi</p>" });
    const closed = await s3.raw("https://public-bucket.s3.fr-par.scw.cloud/private.html", { anonymous: true });
    expect(closed.status).toBe(403);
    expect(closed.text).toContain("<Code>AccessDenied</Code>");
  });
});
