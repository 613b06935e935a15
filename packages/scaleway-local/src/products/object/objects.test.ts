import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startS3, type S3Fixture } from "./testing";

let s3: S3Fixture;
let client: S3Client;
const BUCKET = "objects-bucket";
beforeAll(async () => {
  s3 = await startS3();
  client = s3.client();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => s3.stop());

const md5 = (text: string | Buffer) => `"${createHash("md5").update(text).digest("hex")}"`;

describe("objects", () => {
  it("stores bytes with their content type and metadata, and answers them on GET and HEAD", async () => {
    const put = await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "docs/hello.txt",
        Body: "hello world",
        ContentType: "text/plain",
        CacheControl: "max-age=60",
        Metadata: { owner: "team-a" },
      }),
    );
    expect(put.ETag).toBe(md5("hello world"));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "docs/hello.txt" }));
    expect(await got.Body!.transformToString()).toBe("hello world");
    expect(got).toMatchObject({ ContentType: "text/plain", CacheControl: "max-age=60", Metadata: { owner: "team-a" } });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "docs/hello.txt" }));
    expect(head).toMatchObject({ ContentLength: 11, ETag: md5("hello world"), AcceptRanges: "bytes" });
    expect(head.LastModified).toBeInstanceOf(Date);
    expect(head.VersionId).toBeUndefined();
  });

  it("decodes aws-chunked streaming uploads so that the stored bytes are the payload", async () => {
    const payload = Buffer.alloc(300_000, "abcdefghij");
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "streamed.bin",
        Body: Readable.from([payload.subarray(0, 100_000), payload.subarray(100_000)]),
        ContentLength: payload.length,
      }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: "streamed.bin", ChecksumMode: "ENABLED" }),
    );
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(payload)).toBe(true);
    expect(got.ETag).toBe(md5(payload));
    expect(got.ChecksumCRC32).toBeDefined();
  });

  it("answers byte ranges with 206 and Content-Range, and 416 past the end", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "range.txt", Body: "0123456789" }));
    const part = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "range.txt", Range: "bytes=2-5" }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe("bytes 2-5/10");
    expect(await part.Body!.transformToString()).toBe("2345");
    const tail = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "range.txt", Range: "bytes=-3" }));
    expect(await tail.Body!.transformToString()).toBe("789");
    expect(
      await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "range.txt", Range: "bytes=20-" }))),
    ).toEqual({ name: "InvalidRange", status: 416 });
  });

  it("honours If-Match, If-None-Match and If-Modified-Since on reads", async () => {
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "cond.txt", Body: "v1" }));
    const notModified = await rejection(
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "cond.txt", IfNoneMatch: ETag })),
    );
    expect(notModified.status).toBe(304);
    expect(
      await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "cond.txt", IfMatch: '"stale"' }))),
    ).toEqual({ name: "PreconditionFailed", status: 412 });
    const later = new Date(Date.now() + 60_000);
    expect(
      (await rejection(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "cond.txt", IfModifiedSince: later }))))
        .status,
    ).toBe(304);
    const matched = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "cond.txt", IfMatch: ETag }));
    expect(await matched.Body!.transformToString()).toBe("v1");
  });

  it("writes conditionally: If-None-Match: * creates once, If-Match needs the current ETag", async () => {
    const first = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "lock", Body: "a", IfNoneMatch: "*" }));
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(
      await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "lock", Body: "b", IfNoneMatch: "*" }))),
    ).toEqual({
      name: "PreconditionFailed",
      status: 412,
    });
    expect(
      await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "lock", Body: "c", IfMatch: '"0000"' }))),
    ).toEqual({
      name: "PreconditionFailed",
      status: 412,
    });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "lock", Body: "d", IfMatch: first.ETag }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "lock" }));
    expect(await got.Body!.transformToString()).toBe("d");
    expect(
      await rejection(
        client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "absent", Body: "e", IfMatch: first.ETag })),
      ),
    ).toEqual({
      name: "NoSuchKey",
      status: 404,
    });
  });

  it("lets one of many concurrent If-None-Match: * writers win", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "race", Body: `writer ${i}`, IfNoneMatch: "*" })),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
  });

  it("deletes objects, one or many; a missing key is no error", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "gone-1", Body: "x" }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "gone-2", Body: "x" }));
    expect(
      (await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "gone-1" }))).$metadata.httpStatusCode,
    ).toBe(204);
    expect(await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "gone-1" })))).toEqual({
      name: "NoSuchKey",
      status: 404,
    });
    const many = await client.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: "gone-2" }, { Key: "never-was" }] } }),
    );
    expect(many.Deleted?.map((d) => d.Key)).toEqual(["gone-2", "never-was"]);
    expect(await rejection(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "gone-2" })))).toMatchObject({
      status: 404,
    });
  });

  it("copies objects, keeping or replacing metadata, with copy-source conditions", async () => {
    const source = await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "copy/source",
        Body: "payload",
        ContentType: "text/x-a",
        Metadata: { a: "1" },
      }),
    );
    const copied = await client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: "copy/kept", CopySource: `${BUCKET}/copy/source` }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(source.ETag);
    const kept = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "copy/kept" }));
    expect(kept).toMatchObject({ ContentType: "text/x-a", Metadata: { a: "1" } });
    await client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: "copy/replaced",
        CopySource: `${BUCKET}/copy/source`,
        MetadataDirective: "REPLACE",
        ContentType: "text/x-b",
        Metadata: { b: "2" },
      }),
    );
    const replaced = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "copy/replaced" }));
    expect(replaced).toMatchObject({ ContentType: "text/x-b", Metadata: { b: "2" } });
    expect(await replaced.Body!.transformToString()).toBe("payload");
    expect(
      await rejection(
        client.send(
          new CopyObjectCommand({
            Bucket: BUCKET,
            Key: "copy/no",
            CopySource: `${BUCKET}/copy/source`,
            CopySourceIfMatch: '"nope"',
          }),
        ),
      ),
    ).toEqual({ name: "PreconditionFailed", status: 412 });
  });

  it("checks Content-MD5 against the payload", async () => {
    const response = await s3.raw(`https://${BUCKET}.s3.fr-par.scw.cloud/md5.txt`, {
      method: "PUT",
      body: "some bytes",
      headers: { "content-md5": createHash("md5").update("other bytes").digest("base64") },
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain("<Code>BadDigest</Code>");
  });
});

describe("listing", () => {
  const LIST = "listing-bucket";
  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: LIST }));
    for (const key of ["a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d.txt", "e/4.txt"])
      await client.send(new PutObjectCommand({ Bucket: LIST, Key: key, Body: key }));
  });

  it("lists v2 with prefix and delimiter as files and folders", async () => {
    const root = await client.send(new ListObjectsV2Command({ Bucket: LIST, Delimiter: "/" }));
    expect(root.Contents?.map((c) => c.Key)).toEqual(["a.txt", "d.txt"]);
    expect(root.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["b/", "e/"]);
    expect(root.KeyCount).toBe(4);
    const folder = await client.send(new ListObjectsV2Command({ Bucket: LIST, Prefix: "b/", Delimiter: "/" }));
    expect(folder.Contents?.map((c) => c.Key)).toEqual(["b/1.txt", "b/2.txt"]);
    expect(folder.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["b/c/"]);
    expect(folder.Contents?.[0]).toMatchObject({ Size: 7, StorageClass: "STANDARD", ETag: md5("b/1.txt") });
  });

  it("pages v2 with continuation tokens and v1 with markers", async () => {
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: LIST, MaxKeys: 2, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
      pages++;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(pages).toBe(3);
    expect(keys).toEqual(["a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d.txt", "e/4.txt"]);
    const first = await client.send(new ListObjectsCommand({ Bucket: LIST, MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    const next = await client.send(new ListObjectsCommand({ Bucket: LIST, Marker: "b/1.txt" }));
    expect(next.Contents?.map((c) => c.Key)).toEqual(["b/2.txt", "b/c/3.txt", "d.txt", "e/4.txt"]);
    expect(next.Contents?.[0]?.Owner?.ID).toBeDefined();
  });

  it("starts after a key, and encodes keys on request", async () => {
    const after = await client.send(new ListObjectsV2Command({ Bucket: LIST, StartAfter: "b/c/3.txt" }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(["d.txt", "e/4.txt"]);
    const raw = await s3.raw(`https://${LIST}.s3.fr-par.scw.cloud/?list-type=2&prefix=b%2F&encoding-type=url`);
    expect(raw.text).toContain("<EncodingType>url</EncodingType>");
  });
});
