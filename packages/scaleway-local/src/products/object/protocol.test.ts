import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallCounter, HostRegistry, type LocalContext } from "../../context";
import { Faults } from "../../faults/faults";
import { LOCAL_ACCESS_KEY, LOCAL_DEFAULT_PROJECT_ID, LOCAL_ORGANIZATION_ID, LOCAL_SECRET_KEY } from "../../server";
import { Lifecycle } from "../../state/lifecycle";
import { Store } from "../../state/store";
import { object, startPlainS3Endpoint } from ".";
import { startS3, type S3Fixture } from "./testing";

let s3: S3Fixture;
let client: S3Client;
const BUCKET = "protocol-bucket";
const base = `https://${BUCKET}.s3.fr-par.scw.cloud`;
beforeAll(async () => {
  s3 = await startS3();
  client = s3.client();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "file.txt", Body: "content" }));
});
afterAll(() => s3.stop());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("the call succeeded"),
    (error: any) => ({
      name: error.name as string,
      status: error.$metadata?.httpStatusCode as number,
      attempts: error.$metadata?.attempts as number,
    }),
  );

describe("authentication", () => {
  it("answers 403 AccessDenied in S3's XML without credentials", async () => {
    const response = await s3.raw(`${base}/file.txt`, { anonymous: true });
    expect(response.status).toBe(403);
    expect(response.text).toMatch(
      /^<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><RequestId>(txg[^<]+)<\/RequestId><HostId>\1<\/HostId><Resource>\/protocol-bucket\/file.txt<\/Resource><\/Error>$/,
    );
    expect(response.headers.get("x-amz-request-id")).toBe(/<RequestId>([^<]+)/.exec(response.text)?.[1]);
  });

  it("accepts any well-formed credential without checking signatures, and refuses malformed ones", async () => {
    const signed = await s3.raw(`${base}/file.txt`, {
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=SCWANYKEYATALL000000/20200101/fr-par/s3/aws4_request, SignedHeaders=host, Signature=bad",
      },
    });
    expect(signed).toMatchObject({ status: 200, text: "content" });
    const malformed = await s3.raw(`${base}/file.txt`, {
      headers: { authorization: "AWS4-HMAC-SHA256 Credential=nope" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain("<Code>AuthorizationHeaderMalformed</Code>");
  });

  it("accepts presigned URLs until they expire", async () => {
    const presigned = (date: string) =>
      `${base}/file.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(
        `${LOCAL_ACCESS_KEY}/20260101/fr-par/s3/aws4_request`,
      )}&X-Amz-Date=${date}&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=00`;
    const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    expect(await s3.raw(presigned(now), { anonymous: true })).toMatchObject({ status: 200, text: "content" });
    const expired = await s3.raw(presigned("20200101T000000Z"), { anonymous: true });
    expect(expired.status).toBe(403);
    expect(expired.text).toContain("Request has expired");
  });
});

describe("the S3 protocol", () => {
  it("answers errors with their recorded codes, and HEAD errors without a body", async () => {
    const missing = await s3.raw(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>");
    expect(missing.text).toContain("<Resource>/protocol-bucket/nothing-here</Resource>");
    const head = await s3.raw(`${base}/nothing-here`, { method: "HEAD" });
    expect(head).toMatchObject({ status: 404, text: "" });
    const tags = await s3.raw(`${base}/?tagging`);
    expect(tags.text).toMatch(
      /^<Error><Code>NoSuchTagSet<\/Code><Message>The TagSet does not exist<\/Message><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><Resource>\/protocol-bucket<\/Resource><BucketName>protocol-bucket<\/BucketName><\/Error>$/,
    );
    const lock = await s3.raw(`${base}/?object-lock`);
    expect(lock.status).toBe(404);
    expect(lock.text).toContain("<Code>ObjectLockConfigurationNotFoundError</Code>");
  });

  it("ignores the x-id parameter the Go SDK adds", async () => {
    const response = await s3.raw(`${base}/file.txt?x-id=GetObject`);
    expect(response).toMatchObject({ status: 200, text: "content" });
  });

  it("decodes signed aws-chunked payloads, with and without trailers, and checks trailing checksums", async () => {
    const signedChunks =
      "7;chunk-signature=aaaa\r\nchunked\r\n6;chunk-signature=bbbb\r\n bytes\r\n0;chunk-signature=cccc\r\n\r\n";
    const put = await s3.raw(`${base}/signed-chunks`, {
      method: "PUT",
      body: signedChunks,
      headers: {
        "content-encoding": "aws-chunked",
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "x-amz-decoded-content-length": "13",
      },
    });
    expect(put.status).toBe(200);
    expect((await s3.raw(`${base}/signed-chunks`)).text).toBe("chunked bytes");
    const trailer = (crc: string) =>
      s3.raw(`${base}/with-trailer`, {
        method: "PUT",
        body: `5;chunk-signature=aaaa\r\nhello\r\n0;chunk-signature=bbbb\r\nx-amz-checksum-crc32:${crc}\r\nx-amz-trailer-signature:cccc\r\n\r\n`,
        headers: {
          "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
          "x-amz-decoded-content-length": "5",
          "x-amz-trailer": "x-amz-checksum-crc32",
        },
      });
    const good = await trailer("NhCmhg==");
    expect(good.status).toBe(200);
    expect(good.headers.get("x-amz-checksum-crc32")).toBe("NhCmhg==");
    const bad = await trailer("AAAAAA==");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("<Code>BadDigest</Code>");
    const short = await s3.raw(`${base}/short`, {
      method: "PUT",
      body: "5\r\nhello\r\n0\r\n\r\n",
      headers: { "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "9" },
    });
    expect(short.status).toBe(400);
    expect(short.text).toContain("<Code>IncompleteBody</Code>");
  });
});

describe("faults and call counts", () => {
  it("counts calls per operation", async () => {
    s3.local.calls.reset();
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "file.txt" }));
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "file.txt" }));
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(s3.local.calls.snapshot()).toMatchObject({ "object.HeadObject": 2, "object.ListObjectsV2": 1 });
  });

  it("fails operations with 503 SlowDown (retried by the SDK), 429 with Retry-After, or dropped connections", async () => {
    s3.local.faults.set([{ product: "object", operation: "PutObject", rate: 1, statuses: [503] }]);
    const retried = s3.client({ maxAttempts: 3, retryStrategy: undefined });
    expect(
      await rejection(retried.send(new PutObjectCommand({ Bucket: BUCKET, Key: "faulty", Body: "x" }))),
    ).toMatchObject({
      name: "SlowDown",
      status: 503,
      attempts: 3,
    });
    expect(
      (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "file.txt" }))).$metadata.httpStatusCode,
    ).toBe(200);

    s3.local.faults.set([
      { product: "object", operation: "GetObject", rate: 1, statuses: [429], retryAfterSeconds: 7 },
    ]);
    const limited = await s3.raw(`${base}/file.txt`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.text).toContain("<Code>TooManyRequests</Code>");

    s3.local.faults.set([{ product: "object", operation: "HeadObject", dropRate: 1 }]);
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "file.txt" }))).rejects.toThrow();
    s3.local.faults.set([]);
  });
});

describe("persistence", () => {
  it("keeps buckets, versions and bytes across a restart with a data folder", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-s3-"));
    const first = await startS3({ dataDir });
    const writer = first.client();
    await writer.send(new CreateBucketCommand({ Bucket: "kept-bucket" }));
    await writer.send(
      new PutBucketVersioningCommand({ Bucket: "kept-bucket", VersioningConfiguration: { Status: "Enabled" } }),
    );
    await writer.send(new PutObjectCommand({ Bucket: "kept-bucket", Key: "state.json", Body: '{"v":1}' }));
    await writer.send(new PutObjectCommand({ Bucket: "kept-bucket", Key: "state.json", Body: '{"v":2}' }));
    await first.stop();
    expect(readdirSync(join(dataDir, "objects")).length).toBeGreaterThan(0);

    const second = await startS3({ dataDir });
    try {
      const reader = second.client();
      const got = await reader.send(new GetObjectCommand({ Bucket: "kept-bucket", Key: "state.json" }));
      expect(await got.Body!.transformToString()).toBe('{"v":2}');
      const versions = await reader.send(new ListObjectVersionsCommand({ Bucket: "kept-bucket" }));
      expect(versions.Versions).toHaveLength(2);
      const next = await reader.send(
        new PutObjectCommand({ Bucket: "kept-bucket", Key: "state.json", Body: '{"v":3}' }),
      );
      expect(Number(next.VersionId)).toBeGreaterThan(Number(versions.Versions![0]!.VersionId));
    } finally {
      await second.stop();
    }
  });
});

describe("the plain-HTTP endpoint", () => {
  function localContext(dataDir?: string) {
    const tasks: Array<() => void | Promise<void>> = [];
    const context: LocalContext = {
      store: new Store(dataDir ? join(dataDir, "state.json") : undefined),
      lifecycle: new Lifecycle(0),
      faults: new Faults(),
      calls: new CallCounter(),
      hosts: new HostRegistry(),
      organizationId: LOCAL_ORGANIZATION_ID,
      defaultProjectId: LOCAL_DEFAULT_PROJECT_ID,
      dataDir,
      onStop: (task) => tasks.push(task),
    };
    return { context, stop: async () => Promise.all(tasks.map((task) => task())) };
  }

  it("serves path-style S3 over HTTP on loopback, for Pulumi's s3:// backend", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-s3-plain-"));
    const { context, stop } = localContext(dataDir);
    await object.register(undefined as never, context);
    expect(context.hosts.handles("bucket.s3.fr-par.scw.cloud")).toBe(true);
    const endpoint = await startPlainS3Endpoint(context);
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const plain = new S3Client({
      region: "fr-par",
      endpoint: endpoint.url,
      forcePathStyle: true,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_SECRET_KEY },
    });
    try {
      await plain.send(
        new CreateBucketCommand({
          Bucket: "state-bucket",
          CreateBucketConfiguration: { LocationConstraint: "nl-ams" as BucketLocationConstraint },
        }),
      );
      expect((await plain.send(new HeadBucketCommand({ Bucket: "state-bucket" }))).BucketRegion).toBe("nl-ams");
      await plain.send(
        new PutObjectCommand({ Bucket: "state-bucket", Key: ".pulumi/stacks/dev.json", Body: "{}", IfNoneMatch: "*" }),
      );
      const listed = await plain.send(new ListObjectsV2Command({ Bucket: "state-bucket", Prefix: ".pulumi/" }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual([".pulumi/stacks/dev.json"]);
      expect(context.calls.snapshot()).toMatchObject({ "object.PutObject": 1 });
      expect(existsSync(join(dataDir, "objects"))).toBe(true);
    } finally {
      plain.destroy();
      await stop();
    }
  });
});
