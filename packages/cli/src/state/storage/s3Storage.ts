import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { BackendLocation } from "../backendUrl";
import type { StateStorage, StoredObject } from "./storage";

/** An s3:// backend: a bucket of Scaleway Object Storage (versioned, so every write is kept). */
export class S3Storage implements StateStorage {
  constructor(
    readonly location: Extract<BackendLocation, { kind: "s3" }>,
    readonly s3: S3Client,
  ) {}

  private key(key: string): string {
    return `${this.location.prefix}${key}`;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return Buffer.from((await result.Body?.transformToByteArray()) ?? []);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.key(key),
        Body: body,
        ContentType: key.endsWith(".json") ? "application/json" : "application/octet-stream",
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.key(prefix), ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        found.push({
          key: item.Key.slice(this.location.prefix.length),
          size: item.Size ?? 0,
          modified: item.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async close(): Promise<void> {
    this.s3.destroy();
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === "NoSuchKey" || e?.name === "NotFound";
}
