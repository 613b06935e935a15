import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
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

describe("buckets", () => {
  it("creates a bucket in the endpoint's region, with a Location, and heads it", async () => {
    const created = await client.send(
      new CreateBucketCommand({
        Bucket: "bucket-one",
        CreateBucketConfiguration: { LocationConstraint: "fr-par" as BucketLocationConstraint },
      }),
    );
    expect(created.Location).toBe("/bucket-one");
    const head = await client.send(new HeadBucketCommand({ Bucket: "bucket-one" }));
    expect(head.BucketRegion).toBe("fr-par");
    expect((await client.send(new GetBucketLocationCommand({ Bucket: "bucket-one" }))).LocationConstraint).toBe(
      "fr-par",
    );
    const list = await client.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain("bucket-one");
    expect(list.Owner?.ID).toBe(`${s3.local.defaultProjectId}:${s3.local.defaultProjectId}`);
  });

  it("is reached by path as well as by hostname", async () => {
    const pathStyle = s3.client({ forcePathStyle: true });
    await pathStyle.send(new CreateBucketCommand({ Bucket: "bucket-path" }));
    await client.send(new HeadBucketCommand({ Bucket: "bucket-path" }));
  });

  it("lives in one region: another region's endpoint does not know it", async () => {
    const amsterdam = s3.client({ region: "nl-ams" });
    await amsterdam.send(new CreateBucketCommand({ Bucket: "bucket-ams" }));
    expect((await amsterdam.send(new HeadBucketCommand({ Bucket: "bucket-ams" }))).BucketRegion).toBe("nl-ams");
    expect(await rejection(client.send(new HeadBucketCommand({ Bucket: "bucket-ams" })))).toMatchObject({
      status: 404,
    });
    const paris = (await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(paris).not.toContain("bucket-ams");
  });

  it("refuses a LocationConstraint that is not the endpoint's, and invalid names", async () => {
    expect(
      await rejection(
        client.send(
          new CreateBucketCommand({
            Bucket: "bucket-wrong",
            CreateBucketConfiguration: { LocationConstraint: "nl-ams" as BucketLocationConstraint },
          }),
        ),
      ),
    ).toEqual({ name: "InvalidLocationConstraint", status: 400 });
    expect(await rejection(client.send(new CreateBucketCommand({ Bucket: "Not_Valid" })))).toEqual({
      name: "InvalidBucketName",
      status: 400,
    });
  });

  it("answers 409 BucketAlreadyOwnedByYou to a second creation", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "bucket-twice" }));
    expect(await rejection(client.send(new CreateBucketCommand({ Bucket: "bucket-twice" })))).toEqual({
      name: "BucketAlreadyOwnedByYou",
      status: 409,
    });
  });

  it("deletes only an empty bucket: 409 BucketNotEmpty otherwise", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "bucket-full" }));
    await client.send(new PutObjectCommand({ Bucket: "bucket-full", Key: "k", Body: "v" }));
    expect(await rejection(client.send(new DeleteBucketCommand({ Bucket: "bucket-full" })))).toEqual({
      name: "BucketNotEmpty",
      status: 409,
    });
    await client.send(new CreateBucketCommand({ Bucket: "bucket-empty" }));
    expect((await client.send(new DeleteBucketCommand({ Bucket: "bucket-empty" }))).$metadata.httpStatusCode).toBe(204);
    expect(await rejection(client.send(new HeadBucketCommand({ Bucket: "bucket-empty" })))).toMatchObject({
      status: 404,
    });
  });

  it("answers NoSuchBucket in S3's XML for a bucket that does not exist", async () => {
    const response = await s3.raw("https://missing-bucket.s3.fr-par.scw.cloud/?versioning");
    expect(response.status).toBe(404);
    expect(response.text).toMatch(
      /^<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><RequestId>txg[0-9a-f]{21}-[0-9a-f]{10}<\/RequestId><HostId>txg[0-9a-f]{21}-[0-9a-f]{10}<\/HostId><Resource>\/missing-bucket<\/Resource><\/Error>$/,
    );
    expect(response.headers.get("content-type")).toBe("application/xml");
    expect(response.headers.get("x-amz-request-id")).toMatch(/^txg/);
  });
});
