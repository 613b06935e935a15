import { randomBytes } from "node:crypto";
import type { InitReport } from "./report";
import { callScaleway, isNotFound, scalewayClientsFromEnv, type ScalewayClients } from "./scalewayClients";
import { SOVSTACK_SECRET_PATH, addVersion, createSecret, findSecret } from "./secretStore";

/** The Secret Manager secret holding an environment's Pulumi secrets passphrase. */
export function passphraseSecretName(environment: string): string {
  return `pulumi-passphrase-${environment}`;
}

/**
 * One passphrase per environment (32 random bytes), created only when missing and never
 * printed. Secrets are protected: losing a passphrase makes the stack's secrets unreadable.
 */
export async function ensurePassphrases(
  clients: ScalewayClients,
  environments: readonly string[],
  report: InitReport,
): Promise<void> {
  for (const environment of environments) {
    const name = passphraseSecretName(environment);
    const label = `secret ${SOVSTACK_SECRET_PATH}/${name}`;
    const existing = await findSecret(clients, name);
    if (existing && existing.versionCount > 0) {
      report.add({ kind: "secret", name: label, status: "unchanged", detail: `${clients.region}, never printed` });
      continue;
    }
    const passphrase = randomBytes(32).toString("base64url");
    if (existing) await addVersion(clients, existing, passphrase);
    else
      await createSecret(clients, {
        name,
        description: `Pulumi secrets passphrase of the ${environment} stack (sovstack state init)`,
        type: "opaque",
        value: passphrase,
        protected: true,
      });
    report.add({
      kind: "secret",
      name: label,
      status: existing ? "updated" : "created",
      detail: `${clients.region}, never printed`,
    });
  }
}

/**
 * The secrets passphrase of `environment` from Secret Manager, for commands run without
 * PULUMI_CONFIG_PASSPHRASE. Its latest enabled version; retried on transient failures.
 */
export async function readPassphrase(environment: string, clients: ScalewayClients): Promise<string> {
  const secretName = passphraseSecretName(environment);
  try {
    const answer = await callScaleway(`read the ${environment} passphrase from Secret Manager`, () =>
      clients.secret.accessSecretVersionByPath({
        region: clients.region,
        projectId: clients.projectId,
        secretPath: SOVSTACK_SECRET_PATH,
        secretName,
        revision: "latest_enabled",
      }),
    );
    return Buffer.from(answer.data, "base64").toString("utf8");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new Error(
      `No secrets passphrase for ${environment} in Secret Manager (${SOVSTACK_SECRET_PATH}/${secretName}, ` +
        `project ${clients.projectId}, ${clients.region}). Fix: run \`sovstack state init\`, or export PULUMI_CONFIG_PASSPHRASE.`,
      { cause: error },
    );
  }
}

/**
 * The passphrase a command gives Pulumi for `environment`: PULUMI_CONFIG_PASSPHRASE when
 * set, else the one in Secret Manager, read with the credentials in the environment.
 */
export async function passphraseFor(
  environment: string,
  env: NodeJS.ProcessEnv = process.env,
  clients: () => ScalewayClients = () => scalewayClientsFromEnv(env),
): Promise<string> {
  if (env.PULUMI_CONFIG_PASSPHRASE) return env.PULUMI_CONFIG_PASSPHRASE;
  return readPassphrase(environment, clients());
}
