import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  isExpired,
  LeaseHeldError,
  LeaseLostError,
  newLeaseRecord,
  renewedLeaseRecord,
  type Lease,
  type LeaseHolder,
  type LeaseRecord,
  type LeaseStore,
} from "./lease";

/**
 * Leases as objects in the state bucket, written with S3 conditional writes, which
 * Scaleway Object Storage supports: `If-None-Match: *` creates the lease only if there
 * is none, and `If-Match: <etag>` renews, takes over or releases only the version the
 * writer read. Two deployments can never both succeed.
 */
export class S3LeaseStore implements LeaseStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: { readonly prefix?: string; readonly ttlMs?: number; readonly now?: () => number } = {},
  ) {}

  private key(stack: string): string {
    return `${this.options.prefix ?? ".sovstack/locks"}/${stack}.json`;
  }

  private get ttlMs(): number {
    return this.options.ttlMs ?? 60_000;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async acquire(stack: string, holder: LeaseHolder, attempt = 1): Promise<Lease> {
    const record = newLeaseRecord(stack, holder, this.now(), this.ttlMs);
    try {
      const etag = await this.write(stack, record, { IfNoneMatch: "*" });
      return this.lease(stack, record, etag);
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
    }
    const current = await this.read(stack);
    if (!current) {
      // Released between our two calls: try again, a few times at most.
      if (attempt < 5) return this.acquire(stack, holder, attempt + 1);
      throw new Error(`Could not take the lease of ${stack}: it keeps changing under us. Fix: run again.`);
    }
    // Our own write, answered too late and retried: the lease is ours.
    if (current.record.leaseId === record.leaseId) return this.lease(stack, record, current.etag);
    if (!current.record.releasedAt && !isExpired(current.record, this.now())) throw new LeaseHeldError(current.record);
    // The holder stopped renewing (killed?): take over exactly the version we read.
    try {
      const etag = await this.write(stack, record, { IfMatch: current.etag });
      return this.lease(stack, record, etag);
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      const winner = await this.read(stack);
      // Our own takeover, answered too late and retried: the lease is ours.
      if (winner?.record.leaseId === record.leaseId) return this.lease(stack, record, winner.etag);
      throw new LeaseHeldError(winner?.record ?? current.record);
    }
  }

  async inspect(stack: string): Promise<LeaseRecord | undefined> {
    const record = (await this.read(stack))?.record;
    return record?.releasedAt ? undefined : record;
  }

  async forceRelease(stack: string): Promise<LeaseRecord | undefined> {
    const current = await this.read(stack);
    if (current) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(stack) }));
    return current?.record.releasedAt ? undefined : current?.record;
  }

  private lease(stack: string, first: LeaseRecord, firstEtag: string): Lease {
    let record = first;
    let etag = firstEtag;
    return {
      get record() {
        return record;
      },
      renew: async () => {
        const next = renewedLeaseRecord(record, this.now(), this.ttlMs);
        try {
          etag = await this.write(stack, next, { IfMatch: etag });
          record = next;
        } catch (error) {
          if (!isPreconditionFailed(error) && !isNotFound(error)) throw error;
          // A renewal whose answer was lost and retried meets its own write: still ours.
          const current = await this.read(stack);
          if (current?.record.leaseId !== record.leaseId) throw new LeaseLostError(stack);
          etag = current.etag;
          record = current.record;
        }
      },
      release: async () => {
        // A conditional write, not a delete: Scaleway documents conditions for writes,
        // and an unconditional delete could remove the lease of whoever took ours over.
        const now = new Date(this.now()).toISOString();
        try {
          etag = await this.write(stack, { ...record, releasedAt: now, expiresAt: now }, { IfMatch: etag });
        } catch (error) {
          // Taken over or broken: nothing of ours to release.
          if (!isPreconditionFailed(error) && !isNotFound(error)) throw error;
        }
      },
    };
  }

  private async write(
    stack: string,
    record: LeaseRecord,
    condition: { IfNoneMatch?: string; IfMatch?: string },
  ): Promise<string> {
    const result = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(stack),
        Body: JSON.stringify(record, null, 2),
        ContentType: "application/json",
        ...condition,
      }),
    );
    return result.ETag ?? "";
  }

  private async read(stack: string): Promise<{ record: LeaseRecord; etag: string } | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(stack) }));
      const text = (await result.Body?.transformToString()) ?? "";
      return { record: JSON.parse(text) as LeaseRecord, etag: result.ETag ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 412 || e?.name === "PreconditionFailed";
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === "NoSuchKey";
}
