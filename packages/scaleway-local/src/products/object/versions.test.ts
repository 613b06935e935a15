import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
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

async function bucket(name: string, versioned: boolean) {
  await client.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned)
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
}

describe("versioning", () => {
  it("answers an empty status until enabled, then Enabled and Suspended", async () => {
    await bucket("versioning-status", false);
    const raw = await s3.raw("https://versioning-status.s3.fr-par.scw.cloud/?versioning");
    expect(raw.text).toContain("<Status></Status>");
    await client.send(
      new PutBucketVersioningCommand({ Bucket: "versioning-status", VersioningConfiguration: { Status: "Enabled" } }),
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: "versioning-status" }))).Status).toBe("Enabled");
    await client.send(
      new PutBucketVersioningCommand({ Bucket: "versioning-status", VersioningConfiguration: { Status: "Suspended" } }),
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: "versioning-status" }))).Status).toBe(
      "Suspended",
    );
  });

  it("keeps every version, reads any by ID, and lists them newest first", async () => {
    await bucket("versions-kept", true);
    const v1 = await client.send(new PutObjectCommand({ Bucket: "versions-kept", Key: "state.json", Body: "one" }));
    const v2 = await client.send(new PutObjectCommand({ Bucket: "versions-kept", Key: "state.json", Body: "two" }));
    expect(v1.VersionId).toMatch(/^\d{16}$/);
    expect(Number(v2.VersionId)).toBeGreaterThan(Number(v1.VersionId));
    const old = await client.send(
      new GetObjectCommand({ Bucket: "versions-kept", Key: "state.json", VersionId: v1.VersionId }),
    );
    expect(await old.Body!.transformToString()).toBe("one");
    expect(old.VersionId).toBe(v1.VersionId);
    const latest = await client.send(new GetObjectCommand({ Bucket: "versions-kept", Key: "state.json" }));
    expect(await latest.Body!.transformToString()).toBe("two");
    const list = await client.send(new ListObjectVersionsCommand({ Bucket: "versions-kept" }));
    expect(list.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2.VersionId, true],
      [v1.VersionId, false],
    ]);
    expect(
      await rejection(
        client.send(new GetObjectCommand({ Bucket: "versions-kept", Key: "state.json", VersionId: "1" })),
      ),
    ).toEqual({ name: "NoSuchVersion", status: 404 });
  });

  it("hides a deleted object behind a delete marker; removing the marker brings it back", async () => {
    await bucket("versions-marker", true);
    const put = await client.send(new PutObjectCommand({ Bucket: "versions-marker", Key: "k", Body: "kept" }));
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: "versions-marker", Key: "k" }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toBeDefined();
    expect(await rejection(client.send(new GetObjectCommand({ Bucket: "versions-marker", Key: "k" })))).toEqual({
      name: "NoSuchKey",
      status: 404,
    });
    const list = await client.send(new ListObjectVersionsCommand({ Bucket: "versions-marker" }));
    expect(list.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[deleted.VersionId, true]]);
    expect(list.Versions?.map((v) => v.IsLatest)).toEqual([false]);
    const onMarker = await s3.raw(`https://versions-marker.s3.fr-par.scw.cloud/k?versionId=${deleted.VersionId}`);
    expect(onMarker.status).toBe(405);
    expect(onMarker.headers.get("x-amz-delete-marker")).toBe("true");
    await client.send(new DeleteObjectCommand({ Bucket: "versions-marker", Key: "k", VersionId: deleted.VersionId }));
    const back = await client.send(new HeadObjectCommand({ Bucket: "versions-marker", Key: "k" }));
    expect(back.VersionId).toBe(put.VersionId);
  });

  it("deletes versions for good, after which the bucket can go", async () => {
    await bucket("versions-purge", true);
    await client.send(new PutObjectCommand({ Bucket: "versions-purge", Key: "a", Body: "1" }));
    await client.send(new PutObjectCommand({ Bucket: "versions-purge", Key: "a", Body: "2" }));
    await client.send(new DeleteObjectCommand({ Bucket: "versions-purge", Key: "a" }));
    expect(await rejection(client.send(new DeleteBucketCommand({ Bucket: "versions-purge" })))).toEqual({
      name: "BucketNotEmpty",
      status: 409,
    });
    const list = await client.send(new ListObjectVersionsCommand({ Bucket: "versions-purge" }));
    for (const entry of [...(list.Versions ?? []), ...(list.DeleteMarkers ?? [])]) {
      const gone = await client.send(
        new DeleteObjectCommand({ Bucket: "versions-purge", Key: entry.Key, VersionId: entry.VersionId }),
      );
      expect(gone.VersionId).toBe(entry.VersionId);
    }
    expect((await client.send(new DeleteBucketCommand({ Bucket: "versions-purge" }))).$metadata.httpStatusCode).toBe(
      204,
    );
  });

  it("writes the null version while suspended, replacing the previous null version", async () => {
    await bucket("versions-suspended", true);
    const kept = await client.send(new PutObjectCommand({ Bucket: "versions-suspended", Key: "k", Body: "versioned" }));
    await client.send(
      new PutBucketVersioningCommand({
        Bucket: "versions-suspended",
        VersioningConfiguration: { Status: "Suspended" },
      }),
    );
    const first = await client.send(new PutObjectCommand({ Bucket: "versions-suspended", Key: "k", Body: "null 1" }));
    expect(first.VersionId).toBe("null");
    await client.send(new PutObjectCommand({ Bucket: "versions-suspended", Key: "k", Body: "null 2" }));
    const list = await client.send(new ListObjectVersionsCommand({ Bucket: "versions-suspended" }));
    expect(list.Versions?.map((v) => v.VersionId)).toEqual(["null", kept.VersionId]);
    const got = await client.send(new GetObjectCommand({ Bucket: "versions-suspended", Key: "k", VersionId: "null" }));
    expect(await got.Body!.transformToString()).toBe("null 2");
  });

  it("pages versions with key and version-id markers", async () => {
    await bucket("versions-pages", true);
    for (const body of ["1", "2", "3"])
      await client.send(new PutObjectCommand({ Bucket: "versions-pages", Key: "a", Body: body }));
    await client.send(new PutObjectCommand({ Bucket: "versions-pages", Key: "b", Body: "4" }));
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: "versions-pages",
          MaxKeys: 2,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      seen.push(...(page.Versions ?? []).map((v) => `${v.Key}:${v.IsLatest}`));
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    expect(seen).toEqual(["a:true", "a:false", "a:false", "b:true"]);
  });
});
