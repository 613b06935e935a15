/**
 * Names sovstack gives to what it wires between components, shared by the schema's
 * cross-checks and by AppStack so that the two cannot disagree.
 */
export const DATABASE_PASSWORD_SECRET = "database-password";

export const databaseEnv = {
  host: "DATABASE_HOST",
  port: "DATABASE_PORT",
  name: "DATABASE_NAME",
  user: "DATABASE_USER",
  password: "DATABASE_PASSWORD",
} as const;

export const identityEnv = {
  accessKey: "SCALEWAY_ACCESS_KEY",
  secretKey: "SCALEWAY_SECRET_KEY",
  projectId: "SCALEWAY_PROJECT_ID",
  region: "SCALEWAY_REGION",
} as const;

/** BUCKET_<KEY>_NAME: where a service finds the name of a bucket it may use. */
export function bucketEnvName(bucketKey: string): string {
  return `BUCKET_${bucketKey.toUpperCase().replace(/-/g, "_")}_NAME`;
}

/** IAM permission sets that a bucket access level grants, scoped to the project. */
export const bucketAccessPermissions = {
  read: ["ObjectStorageObjectsRead", "ObjectStorageBucketsRead"],
  "read-write": [
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
    "ObjectStorageObjectsDelete",
    "ObjectStorageBucketsRead",
  ],
} as const;

export function isFullAccessPermissionSet(name: string): boolean {
  return /FullAccess$/.test(name);
}
