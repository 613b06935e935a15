import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type LifecycleRule,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  rulesExpiringState,
  retentionRule,
  sameRetention,
  withRetention,
  type RetentionSettings,
} from "./bucketLifecycle";
import { foreignStatements, operatorsOf, samePolicy, statePolicy } from "./bucketPolicy";
import type { BucketTarget } from "./plan";
import type { InitReport, InitStatus } from "./report";

export interface StateBucketSettings {
  readonly retention: RetentionSettings;
  /** Principals kept in full control, besides those the bucket's policy already names. */
  readonly operators: readonly string[];
  /** The CI identity, `application_id:<id>`. */
  readonly deployIdentity: string;
}

const PUBLIC_GROUPS = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/**
 * Makes `target` a state bucket: private, versioned, encrypted by default, with the
 * retention rule and the least-privilege policy. Each setting is read and written only
 * when it differs, so that a second run writes nothing. `s3` retries transient failures.
 */
export async function ensureStateBucket(
  s3: S3Client,
  target: BucketTarget,
  exists: boolean,
  settings: StateBucketSettings,
  report: InitReport,
): Promise<void> {
  const bucket = target.name;
  const label = `bucket ${bucket}`;
  const created = exists ? false : await createBucket(s3, target);
  report.add({ kind: "bucket", name: `${label} (${target.region})`, status: created ? "created" : "unchanged" });
  const setting = (name: string, status: InitStatus, detail?: string) =>
    report.add({ kind: "bucket-setting", name: `${label}: ${name}`, status, ...(detail ? { detail } : {}) });

  // Created private above; an existing bucket is made private if anyone may read it.
  if (created) setting("ACL private", "created");
  else {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const isPublic = (acl.Grants ?? []).some((grant) => PUBLIC_GROUPS.includes(grant.Grantee?.URI ?? ""));
    if (isPublic) await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "private" }));
    setting("ACL private", isPublic ? "updated" : "unchanged", isPublic ? "public grants removed" : undefined);
  }

  const versioning = created ? undefined : await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  const versioned = versioning?.Status === "Enabled";
  if (!versioned)
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  setting("versioning Enabled", statusOf(created, versioned));

  const encrypted = created ? false : await encryptedWithAes256(s3, bucket);
  if (!encrypted)
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        // AES256 with keys Scaleway manages; SSE-KMS would need a Key Manager key, and rights on it for every reader.
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      }),
    );
  setting("default encryption AES256", statusOf(created, encrypted));

  const rules = created ? [] : await lifecycleRules(s3, bucket);
  const desiredRule = retentionRule(settings.retention);
  const retained = sameRetention(
    rules.find((rule) => rule.ID === desiredRule.ID),
    desiredRule,
  );
  if (!retained)
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: withRetention(rules, desiredRule) },
      }),
    );
  const { keepDays, keepVersions, abortUploadsAfterDays } = settings.retention;
  setting(
    `lifecycle rule ${desiredRule.ID}`,
    statusOf(created, retained),
    `old versions kept ${keepDays} days${keepVersions !== undefined ? ` and at least ${keepVersions} of them` : ""}, ` +
      `unfinished uploads aborted after ${abortUploadsAfterDays} days`,
  );
  const expiring = rulesExpiringState(rules);
  if (expiring.length)
    report.warn(
      `${label}: lifecycle rule${expiring.length > 1 ? "s" : ""} ${expiring.join(", ")} expire current versions and would ` +
        "delete live state files. Fix: remove them or limit them to another prefix.",
    );

  const currentPolicy = created ? undefined : await bucketPolicy(s3, bucket);
  const desiredPolicy = statePolicy({
    bucket,
    operators: [...operatorsOf(currentPolicy), ...settings.operators],
    deployIdentity: settings.deployIdentity,
  });
  const samePolicyAlready = samePolicy(currentPolicy, desiredPolicy);
  if (!samePolicyAlready) {
    const removed = foreignStatements(currentPolicy);
    if (removed.length)
      report.warn(`${label}: the bucket policy's statements ${removed.join(", ")} were replaced by sovstack's.`);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(desiredPolicy) }));
  }
  const principals = (desiredPolicy.Statement as Array<{ Principal: { SCW: string | string[] } }>)[0]!.Principal.SCW;
  setting(
    "policy",
    statusOf(created, samePolicyAlready),
    `full control: ${[principals].flat().join(", ")}; read and write: ${settings.deployIdentity}`,
  );
}

function statusOf(created: boolean, alreadyRight: boolean): InitStatus {
  if (created) return "created";
  return alreadyRight ? "unchanged" : "updated";
}

/**
 * Whether the bucket exists and is ours, in the region asked; refuses a name someone else
 * holds. Asked for every bucket before anything is created.
 */
export async function bucketExists(s3: S3Client, target: BucketTarget): Promise<boolean> {
  let region: string | undefined;
  try {
    region = (await s3.send(new HeadBucketCommand({ Bucket: target.name }))).BucketRegion;
  } catch (error) {
    const status = statusCode(error);
    if (status === 404) return false;
    if (status === 403)
      throw new Error(
        `Bucket ${target.name} exists and belongs to someone else (or to another project than your API key's preferred one). ` +
          "Fix: choose another bucket name.",
        { cause: error },
      );
    throw error;
  }
  if (region && region !== target.region)
    throw new Error(
      `Bucket ${target.name} exists in ${region}, not in ${target.region}. Fix: pass --region ${region} ` +
        "(or --replica-region for the replica), or choose another bucket name.",
    );
  return true;
}

/** Creates the bucket, private, in its region. */
async function createBucket(s3: S3Client, target: BucketTarget): Promise<true> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: target.name,
        ACL: "private",
        CreateBucketConfiguration: { LocationConstraint: target.region as BucketLocationConstraint },
      }),
    );
  } catch (error) {
    // Ours already: a try that created it before its answer was lost, or a bucket of another
    // region, which this region's endpoint does not see.
    if (errorName(error) === "BucketAlreadyOwnedByYou") {
      if (await bucketExists(s3, target)) return true;
      throw new Error(
        `Bucket ${target.name} is yours but in another region than ${target.region}. Fix: pass that region, or choose another name.`,
        { cause: error },
      );
    }
    if (errorName(error) === "BucketAlreadyExists")
      throw new Error(`Bucket name ${target.name} is taken by another Scaleway customer. Fix: choose another name.`, {
        cause: error,
      });
    throw error;
  }
  return true;
}

async function encryptedWithAes256(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    const answer = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rules = answer.ServerSideEncryptionConfiguration?.Rules ?? [];
    return rules.some((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === "AES256");
  } catch (error) {
    if (errorName(error) === "ServerSideEncryptionConfigurationNotFoundError") return false;
    throw error;
  }
}

async function lifecycleRules(s3: S3Client, bucket: string): Promise<LifecycleRule[]> {
  try {
    return (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (error) {
    if (errorName(error) === "NoSuchLifecycleConfiguration") return [];
    throw error;
  }
}

async function bucketPolicy(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (error) {
    if (errorName(error) === "NoSuchBucketPolicy") return undefined;
    throw error;
  }
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string; Code?: string })?.Code ?? (error as { name?: string })?.name;
}

function statusCode(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
