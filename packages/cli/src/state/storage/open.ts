import { retryingS3Client, s3CredentialsFromEnv } from "../../resilience/s3Client";
import { parseBackendUrl, type BackendLocation } from "../backendUrl";
import { FileStorage } from "./fileStorage";
import { PostgresStorage } from "./postgresStorage";
import { S3Storage } from "./s3Storage";
import type { StateStorage } from "./storage";

/** The objects of the backend at `url` (file://, s3:// or postgres://). */
export function openStorage(url: string | BackendLocation, env: NodeJS.ProcessEnv = process.env): StateStorage {
  const location = typeof url === "string" ? parseBackendUrl(url) : url;
  switch (location.kind) {
    case "file":
      return new FileStorage(location);
    case "postgres":
      return new PostgresStorage(location);
    case "s3":
      return new S3Storage(
        location,
        retryingS3Client({
          endpoint: location.endpoint,
          region: location.region,
          forcePathStyle: location.forcePathStyle,
          credentials: s3CredentialsFromEnv(env),
        }),
      );
  }
}
