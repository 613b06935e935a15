import { retryingS3Client, s3CredentialsFromEnv } from "../../resilience/s3Client";
import { parseBackendUrl, type BackendLocation } from "../backendUrl";
import { FileLeaseStore } from "./fileLease";
import type { LeaseStore } from "./lease";
import { PostgresLeaseStore } from "./postgresLease";
import { S3LeaseStore } from "./s3Lease";

export interface LeaseStoreOptions {
  /** How long a lease lasts without renewal. @default 60 s */
  readonly ttlMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The lease store of a state backend, kept in the backend itself: lease objects in the
 * state bucket, an advisory lock in the state database, lease files in the state folder.
 */
export function leaseStoreFor(url: string | BackendLocation, options: LeaseStoreOptions = {}): LeaseStore {
  const location = typeof url === "string" ? parseBackendUrl(url) : url;
  switch (location.kind) {
    case "file":
      return new FileLeaseStore(location.dir, { ttlMs: options.ttlMs });
    case "postgres":
      return new PostgresLeaseStore(location.connectionString, { ttlMs: options.ttlMs });
    case "s3":
      return new S3LeaseStore(
        retryingS3Client({
          endpoint: location.endpoint,
          region: location.region,
          forcePathStyle: location.forcePathStyle,
          credentials: s3CredentialsFromEnv(options.env),
        }),
        location.bucket,
        { ttlMs: options.ttlMs, prefix: `${location.prefix}.sovstack/locks` },
      );
  }
}
