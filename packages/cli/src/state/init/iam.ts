import { randomUUID } from "node:crypto";
import type { InitReport } from "./report";
import { callScaleway, getOrCreate, type IamApi, type ScalewayClients } from "./scalewayClients";
import { SOVSTACK_SECRET_PATH, addVersion, createSecret, findSecret } from "./secretStore";

/**
 * What the CI identity may do, in its project only: read and write state objects, see the
 * bucket's settings, and read the passphrases. Its rights to deploy the stack itself are
 * granted apart (they are not the state backend's business). SecretManagerReadOnly shows
 * secrets' names and paths, not their data, so that it can find the passphrase by path.
 */
export const CI_PERMISSION_SETS = [
  "ObjectStorageBucketsRead",
  "ObjectStorageObjectsDelete",
  "ObjectStorageObjectsRead",
  "ObjectStorageObjectsWrite",
  "SecretManagerReadOnly",
  "SecretManagerSecretAccess",
] as const;

type ApiKey = Awaited<ReturnType<IamApi["getAPIKey"]>>;
type Application = Awaited<ReturnType<IamApi["getApplication"]>>;
type Rule = Awaited<ReturnType<IamApi["listRules"]>>["rules"][number];
type RuleSpecs = NonNullable<Parameters<IamApi["setRules"]>[0]["rules"]>[number];

export interface CiIdentity {
  readonly applicationId: string;
  /** As bucket policies name it. */
  readonly principal: string;
}

export interface Caller {
  /** `user_id:<id>` or `application_id:<id>`. */
  readonly principal: string;
  /** The project Object Storage works in with the caller's key (its "preferred project"). */
  readonly objectStorageProject: string;
}

/** Who runs init, from its own API key, so that the bucket policy keeps them in control. */
export async function whoIsCalling(clients: ScalewayClients): Promise<Caller> {
  let key: ApiKey;
  try {
    key = await callScaleway("read your own API key", () => clients.iam.getAPIKey({ accessKey: clients.accessKey }));
  } catch (error) {
    throw new Error(
      `Could not read your own API key ${clients.accessKey} (${(error as Error).message}), which says who you are. ` +
        "Fix: give it IAMReadOnly (or IAMManager), or name yourself with --operator user_id:<your user ID>.",
      { cause: error },
    );
  }
  const principal = key.applicationId ? `application_id:${key.applicationId}` : `user_id:${key.userId}`;
  return { principal, objectStorageProject: key.defaultProjectId };
}

/** The CI application, its least-privilege policy and one API key, each created when missing. */
export async function ensureCiIdentity(
  clients: ScalewayClients,
  name: string,
  report: InitReport,
): Promise<CiIdentity> {
  const organizationId = await organizationOf(clients);
  const application = await ensureApplication(clients, name, organizationId, report);
  await ensurePolicy(clients, application, organizationId, report);
  await ensureApiKey(clients, application, report);
  return { applicationId: application.id, principal: `application_id:${application.id}` };
}

async function organizationOf(clients: ScalewayClients): Promise<string> {
  if (clients.organizationId) return clients.organizationId;
  const project = await callScaleway(`read project ${clients.projectId}`, () =>
    clients.projects.getProject({ projectId: clients.projectId }),
  );
  return project.organizationId;
}

async function ensureApplication(
  clients: ScalewayClients,
  name: string,
  organizationId: string,
  report: InitReport,
): Promise<Application> {
  const find = async () => {
    const found = await clients.iam.listApplications({ name, organizationId }).all();
    return found.find((application) => application.name === name);
  };
  const existing = await callScaleway(`look for IAM application ${name}`, find);
  const application =
    existing ??
    (await getOrCreate(`create IAM application ${name}`, find, () =>
      clients.iam.createApplication({
        name,
        organizationId,
        description: `sovstack CI: reads and writes the Pulumi state of project ${clients.projectId}`,
        tags: ["sovstack"],
      }),
    ));
  report.add({
    kind: "iam-application",
    name: `IAM application ${name}`,
    status: existing ? "unchanged" : "created",
    detail: application.id,
  });
  return application;
}

async function ensurePolicy(
  clients: ScalewayClients,
  application: Application,
  organizationId: string,
  report: InitReport,
): Promise<void> {
  const name = `${application.name}-state`;
  const rules: RuleSpecs[] = [
    { permissionSetNames: [...CI_PERMISSION_SETS], projectIds: [clients.projectId], condition: "" },
  ];
  const detail = `${CI_PERMISSION_SETS.join(", ")} on project ${clients.projectId}`;
  const find = async () => {
    const found = await clients.iam.listPolicies({ applicationIds: [application.id], organizationId }).all();
    return found.find((policy) => policy.name === name);
  };
  const existing = await callScaleway(`look for IAM policy ${name}`, find);
  if (!existing) {
    await getOrCreate(`create IAM policy ${name}`, find, () =>
      clients.iam.createPolicy({
        name,
        organizationId,
        applicationId: application.id,
        description: "sovstack CI: state backend access only (sovstack state init)",
        rules,
        tags: ["sovstack"],
      }),
    );
    report.add({ kind: "iam-policy", name: `IAM policy ${name}`, status: "created", detail });
    return;
  }
  const current = await callScaleway(`read the rules of IAM policy ${name}`, () =>
    clients.iam.listRules({ policyId: existing.id }).all(),
  );
  const same = sameRules(current, rules);
  if (!same)
    await callScaleway(`set the rules of IAM policy ${name}`, () =>
      clients.iam.setRules({ policyId: existing.id, rules }),
    );
  report.add({ kind: "iam-policy", name: `IAM policy ${name}`, status: same ? "unchanged" : "updated", detail });
}

/** Rules compared by what they grant where, whatever their order. */
function sameRules(current: readonly Rule[], desired: readonly RuleSpecs[]): boolean {
  const key = (rule: Rule | RuleSpecs) =>
    JSON.stringify([
      [...(rule.permissionSetNames ?? [])].sort(),
      [...(rule.projectIds ?? [])].sort(),
      rule.projectIds?.length ? null : (rule.organizationId ?? null),
      rule.condition ?? "",
    ]);
  return JSON.stringify(current.map(key).sort()) === JSON.stringify(desired.map(key).sort());
}

/** Where the CI key's secret is kept: the only copy after the API answered it once. */
export function ciKeySecretName(applicationName: string): string {
  return `${applicationName}-api-key`;
}

/**
 * One API key for the CI application, created only when it has none. Its secret is shown
 * once by the API: it goes straight to Secret Manager. If that fails, the key is deleted
 * again, so that the next run makes a new one rather than leave a key nobody can use.
 */
async function ensureApiKey(clients: ScalewayClients, application: Application, report: InitReport): Promise<void> {
  const secretName = ciKeySecretName(application.name);
  const secretLabel = `secret ${SOVSTACK_SECRET_PATH}/${secretName}`;
  const keys = await callScaleway(`list the API keys of ${application.name}`, () =>
    clients.iam.listAPIKeys({ applicationId: application.id }).all(),
  );
  const live = keys.filter((key) => !key.expiresAt || key.expiresAt.getTime() > Date.now());
  if (live.length > 0) {
    report.add({
      kind: "api-key",
      name: `API key of ${application.name}`,
      status: "unchanged",
      detail: live.map((key) => key.accessKey).join(", "),
    });
    if (!(await findSecret(clients, secretName)))
      report.warn(
        `${secretLabel} is missing: the secret key of ${live[0]!.accessKey} is not kept by sovstack. ` +
          `Fix: if your CI has no copy, delete that key (scw iam api-key delete ${live[0]!.accessKey}) and run init again.`,
      );
    return;
  }

  // A marker in the description finds a key whose creation answer was lost, to replace it.
  const marker = `sovstack init ${randomUUID()}`;
  const find = async () => {
    const all = await clients.iam.listAPIKeys({ applicationId: application.id }).all();
    const lost = all.find((key) => key.description.includes(marker));
    if (lost) await clients.iam.deleteAPIKey({ accessKey: lost.accessKey });
    return undefined;
  };
  const key = await getOrCreate(`create an API key for ${application.name}`, find, () =>
    clients.iam.createAPIKey({
      applicationId: application.id,
      defaultProjectId: clients.projectId,
      description: `sovstack CI state access (${marker})`,
    }),
  );
  const secretKey = key.secretKey!;
  const value = JSON.stringify({
    SCW_ACCESS_KEY: key.accessKey,
    SCW_SECRET_KEY: secretKey,
    SCW_DEFAULT_PROJECT_ID: clients.projectId,
  });
  let replaced: boolean;
  try {
    const existing = await findSecret(clients, secretName);
    replaced = existing !== undefined;
    if (existing) await addVersion(clients, existing, value);
    else
      await createSecret(clients, {
        name: secretName,
        description: `API key of the IAM application ${application.name} (sovstack state init)`,
        type: "key_value",
        value,
        protected: false,
      });
  } catch (error) {
    await callScaleway(`delete API key ${key.accessKey}`, () => clients.iam.deleteAPIKey({ accessKey: key.accessKey }));
    throw new Error(
      `Could not store the secret of the new CI API key in Secret Manager (${(error as Error).message}); the key was ` +
        "deleted again. Fix: check your Secret Manager rights and run init again.",
      { cause: error },
    );
  }
  report.add({ kind: "api-key", name: `API key of ${application.name}`, status: "created", detail: key.accessKey });
  report.add({
    kind: "secret",
    name: secretLabel,
    status: replaced ? "updated" : "created",
    detail: "the API key's secret, never printed",
  });
  report.newApiKey = { accessKey: key.accessKey, secretKey };
}
