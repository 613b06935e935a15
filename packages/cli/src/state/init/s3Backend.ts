import type { S3Client } from "@aws-sdk/client-s3";
import { retryingS3Client } from "../../resilience/s3Client";
import { ciKeySecretName, ensureCiIdentity, whoIsCalling, type Caller } from "./iam";
import { ensurePassphrases } from "./passphrases";
import { INIT_DEFAULTS, type BucketTarget, type S3InitPlan } from "./plan";
import type { InitReport } from "./report";
import { scalewayClients, type ScalewayClients } from "./scalewayClients";
import { SOVSTACK_SECRET_PATH } from "./secretStore";
import { bucketExists, ensureStateBucket } from "./stateBucket";

/**
 * Prepares an s3:// backend: the state bucket and its replica in another region, the CI
 * identity that may read and write them, and the environments' passphrases. Who runs it
 * and whether the bucket names are free is checked before anything is created.
 */
export async function initS3Backend(
  plan: S3InitPlan,
  report: InitReport,
  clients: ScalewayClients = scalewayClients(plan.credentials, plan.projectId, plan.region),
): Promise<void> {
  const caller = await callerOrOperators(clients, plan, report);
  if (caller && caller.objectStorageProject !== plan.projectId)
    throw new Error(
      `Your API key ${plan.credentials.accessKey} works in project ${caller.objectStorageProject} for Object Storage (its ` +
        `preferred project), so the buckets would not be in project ${plan.projectId}. Fix: use an API key whose preferred ` +
        `project is ${plan.projectId}, or pass --project-id ${caller.objectStorageProject}.`,
    );
  // The replica is a second bucket in another region, not replication: Scaleway Object
  // Storage has no cross-region replication API, so `sovstack state backup` copies to it.
  const targets = [plan.bucket, plan.replica];
  const s3 = new Map<BucketTarget, S3Client>(targets.map((target) => [target, s3ClientFor(target, plan)]));
  const existing = new Map<BucketTarget, boolean>();
  for (const target of targets) existing.set(target, await bucketExists(s3.get(target)!, target));

  const ci = await ensureCiIdentity(clients, plan.ciApplicationName, report);
  const settings = {
    retention: {
      keepDays: plan.keepDays,
      keepVersions: plan.keepVersions,
      abortUploadsAfterDays: INIT_DEFAULTS.abortUploadsAfterDays,
    },
    operators: [...(caller ? [caller.principal] : []), ...plan.operators],
    deployIdentity: ci.principal,
  };
  for (const target of targets)
    await ensureStateBucket(s3.get(target)!, target, existing.get(target)!, settings, report);
  await ensurePassphrases(clients, plan.environments, report);

  const replicaUrl = stateBackendUrl(plan.replica);
  report.ciVariables.SOVSTACK_BACKEND_URL = stateBackendUrl(plan.bucket);
  report.ciVariables.SOVSTACK_REPLICA_URL = replicaUrl;
  report.note(
    `Scaleway has no cross-region replication API: ${plan.replica.name} (${plan.replica.region}) is filled by ` +
      `\`sovstack state backup <env>\` with SOVSTACK_REPLICA_URL=${replicaUrl}; the deploy and rollback workflows run it after each run when that secret is set.`,
  );
  report.note(
    `CI: SCW_ACCESS_KEY and SCW_SECRET_KEY from ${SOVSTACK_SECRET_PATH}/${ciKeySecretName(plan.ciApplicationName)} in ` +
      "Secret Manager; the CI identity's rights to deploy the stack itself are granted apart.",
  );
}

/**
 * Who runs init, kept in control of the buckets. A key that may not read itself is fine
 * when --operator names who keeps control; the check of its preferred project is then
 * left to the first bucket call.
 */
async function callerOrOperators(
  clients: ScalewayClients,
  plan: S3InitPlan,
  report: InitReport,
): Promise<Caller | undefined> {
  try {
    return await whoIsCalling(clients);
  } catch (error) {
    if (plan.operators.length === 0) throw error;
    report.warn(
      `${(error as Error).message.split(". Fix:")[0]}. The buckets keep ${plan.operators.join(", ")} in control.`,
    );
    return undefined;
  }
}

/** The URL Pulumi and sovstack use for this bucket. */
export function stateBackendUrl(bucket: BucketTarget): string {
  const endpoint = bucket.endpoint.replace(/^https:\/\//, "");
  return `s3://${bucket.name}?endpoint=${endpoint}&region=${bucket.region}${bucket.forcePathStyle ? "&use_path_style=true" : ""}`;
}

function s3ClientFor(target: BucketTarget, plan: S3InitPlan): S3Client {
  return retryingS3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: target.forcePathStyle,
    credentials: { accessKeyId: plan.credentials.accessKey, secretAccessKey: plan.credentials.secretKey },
  });
}
