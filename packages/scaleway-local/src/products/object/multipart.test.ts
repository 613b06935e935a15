import { createHash } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startS3, type S3Fixture } from "./testing";

let s3: S3Fixture;
let client: S3Client;
const BUCKET = "multipart-bucket";
const MiB = 1024 * 1024;
beforeAll(async () => {
  s3 = await startS3();
  client = s3.client();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => s3.stop());

const md5 = (data: Buffer) => createHash("md5").update(data).digest();

describe("multipart uploads", () => {
  it("assembles parts into one object with S3's multipart ETag", async () => {
    const first = Buffer.alloc(5 * MiB, "a");
    const second = Buffer.from("the end");
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "big.bin",
        ContentType: "application/x-big",
        Metadata: { m: "1" },
      }),
    );
    const one = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: "big.bin", UploadId, PartNumber: 1, Body: first }),
    );
    const two = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: "big.bin", UploadId, PartNumber: 2, Body: second }),
    );
    const parts = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: "big.bin", UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, first.length, one.ETag],
      [2, second.length, two.ETag],
    ]);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toContain(UploadId);
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "big.bin",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: one.ETag },
            { PartNumber: 2, ETag: two.ETag },
          ],
        },
      }),
    );
    const expected = `"${createHash("md5")
      .update(Buffer.concat([md5(first), md5(second)]))
      .digest("hex")}-2"`;
    expect(done.ETag).toBe(expected);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "big.bin" }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat([first, second]))).toBe(true);
    expect(got).toMatchObject({ ContentType: "application/x-big", Metadata: { m: "1" }, ETag: expected });
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toHaveLength(0);
  });

  it("refuses parts too small, out of order, or unknown", async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "small" }));
    const a = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: "small", UploadId, PartNumber: 1, Body: "a" }),
    );
    const b = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: "small", UploadId, PartNumber: 2, Body: "b" }),
    );
    const complete = (parts: Array<{ PartNumber: number; ETag?: string }>) =>
      rejection(
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: "small",
            UploadId,
            MultipartUpload: { Parts: parts },
          }),
        ),
      );
    expect(
      await complete([
        { PartNumber: 1, ETag: a.ETag },
        { PartNumber: 2, ETag: b.ETag },
      ]),
    ).toEqual({ name: "EntityTooSmall", status: 400 });
    expect(
      await complete([
        { PartNumber: 2, ETag: b.ETag },
        { PartNumber: 1, ETag: a.ETag },
      ]),
    ).toEqual({ name: "InvalidPartOrder", status: 400 });
    expect(await complete([{ PartNumber: 3, ETag: b.ETag }])).toEqual({ name: "InvalidPart", status: 400 });
    const single = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "small",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }] },
      }),
    );
    expect(single.ETag).toMatch(/-1"$/);
  });

  it("aborts an upload: its ID is then unknown", async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "aborted" }));
    await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: "aborted", UploadId, PartNumber: 1, Body: "x" }));
    expect(
      (await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: "aborted", UploadId }))).$metadata
        .httpStatusCode,
    ).toBe(204);
    expect(await rejection(client.send(new ListPartsCommand({ Bucket: BUCKET, Key: "aborted", UploadId })))).toEqual({
      name: "NoSuchUpload",
      status: 404,
    });
  });

  it("copies parts from existing objects, whole or by range", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "source", Body: "0123456789" }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "copied" }));
    const part = await client.send(
      new UploadPartCopyCommand({
        Bucket: BUCKET,
        Key: "copied",
        UploadId,
        PartNumber: 1,
        CopySource: `${BUCKET}/source`,
        CopySourceRange: "bytes=3-6",
      }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "copied",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "copied" }));
    expect(await got.Body!.transformToString()).toBe("3456");
  });

  it("completes conditionally: If-None-Match: * fails when the key exists", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "taken", Body: "first" }));
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "taken" }));
    const part = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: "taken", UploadId, PartNumber: 1, Body: "second" }),
    );
    expect(
      await rejection(
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: "taken",
            UploadId,
            IfNoneMatch: "*",
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          }),
        ),
      ),
    ).toEqual({ name: "PreconditionFailed", status: 412 });
    expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "taken" }))).ContentLength).toBe(5);
  });

  it("keeps a full-object CRC32 when the upload asks for checksums", async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "crc", ChecksumAlgorithm: "CRC32" }),
    );
    const part = await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: "crc",
        UploadId,
        PartNumber: 1,
        Body: "checked bytes",
        ChecksumAlgorithm: "CRC32",
      }),
    );
    expect(part.ChecksumCRC32).toBeDefined();
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "crc",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] },
      }),
    );
    expect(done.ChecksumCRC32).toBe(part.ChecksumCRC32);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "crc", ChecksumMode: "ENABLED" }));
    expect(await got.Body!.transformToString()).toBe("checked bytes");
    expect(got.ChecksumCRC32).toBe(part.ChecksumCRC32);
  });
});
