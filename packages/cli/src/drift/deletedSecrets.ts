import { nameOf, shortType, type DriftedResource, type DriftReport } from "./driftReport";
import { callScaleway, isNotFound, scalewayClients } from "../state/init/scalewayClients";
import { REGIONS, type Region } from "../state/init/plan";

/** Pulumi's type of a Secret Manager secret. */
export const SECRET_TYPE = "scaleway:secrets/secret:Secret";

/** A secret of the stack, as its state records it. */
export interface StackSecret {
  readonly urn: string;
  /** Pulumi's ID: `<region>/<uuid>`. */
  readonly id: string;
}

/** A secret of the stack that someone deleted outside code. */
export interface SecretScheduledForDeletion extends StackSecret {
  readonly region: Region;
  readonly secretId: string;
  /** When the deletion was asked for. */
  readonly deletionRequestedAt: string;
}

/**
 * The stack's secrets that were deleted outside code. Secret Manager does not delete a
 * secret at once: it schedules its deletion and goes on answering it as it was, so the
 * provider's refresh still sees it, and neither drift nor `up` would notice. Each secret
 * is asked for its `deletion_requested_at`; one already gone (404) is the refresh's business.
 */
export async function secretsScheduledForDeletion(
  secrets: readonly StackSecret[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretScheduledForDeletion[]> {
  const found: SecretScheduledForDeletion[] = [];
  for (const secret of secrets) {
    const [region, secretId] = secret.id.split("/");
    if (!secretId || !(REGIONS as readonly string[]).includes(region!)) continue;
    const api = secretApi(env, region as Region);
    try {
      const current = await callScaleway(`read secret ${secret.id}`, () =>
        api.getSecret({ region: region as Region, secretId }),
      );
      if (current.deletionRequestedAt)
        found.push({
          ...secret,
          region: region as Region,
          secretId,
          deletionRequestedAt: new Date(current.deletionRequestedAt).toISOString(),
        });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

/** Cancels the scheduled deletion of each secret: it comes back with all its versions. */
export async function restoreSecrets(
  secrets: readonly SecretScheduledForDeletion[],
  env: NodeJS.ProcessEnv = process.env,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  for (const secret of secrets) {
    await callScaleway(`restore secret ${secret.id}`, () =>
      secretApi(env, secret.region).restoreSecret({ region: secret.region, secretId: secret.secretId }),
    );
    log(`restored secret ${nameOf(secret.urn)} (${secret.id}), deleted outside code at ${secret.deletionRequestedAt}`);
  }
}

/** The secrets among the resources of a stack's state. */
export function stackSecrets(
  resources: ReadonlyArray<{ urn: string; type: string; id?: string; custom?: boolean }>,
): StackSecret[] {
  return resources
    .filter((resource) => resource.type === SECRET_TYPE && resource.custom !== false && resource.id)
    .map((resource) => ({ urn: resource.urn, id: resource.id! }));
}

function secretApi(env: NodeJS.ProcessEnv, region: Region) {
  const credentials = {
    accessKey: env.SCW_ACCESS_KEY ?? "",
    secretKey: env.SCW_SECRET_KEY ?? "",
    apiUrl: env.SCW_API_URL ?? "https://api.scaleway.com",
    organizationId: env.SCW_DEFAULT_ORGANIZATION_ID,
  };
  return scalewayClients(credentials, env.SCW_DEFAULT_PROJECT_ID ?? "", region).secret;
}

/** The report with secrets deleted outside code added, which a refresh does not see. */
export function withDeletedSecrets(
  report: DriftReport,
  secrets: ReadonlyArray<{ urn: string; id: string; deletionRequestedAt: string }>,
): DriftReport {
  if (secrets.length === 0) return report;
  const deleted = secrets.map((secret): DriftedResource => ({
    urn: secret.urn,
    type: shortType(SECRET_TYPE),
    name: nameOf(secret.urn),
    id: secret.id,
    change: "deleted",
    properties: [],
    deletionRequestedAt: secret.deletionRequestedAt,
  }));
  const resources = [...report.resources, ...deleted].sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  );
  return { ...report, drifted: true, resources };
}
