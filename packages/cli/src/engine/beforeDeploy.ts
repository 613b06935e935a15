import type { Stack } from "@pulumi/pulumi/automation";
import { restoreSecrets, secretsScheduledForDeletion, stackSecrets } from "../drift/deletedSecrets";
import { nameOf, shortType } from "../drift/driftReport";

interface PendingOperation {
  readonly type: string;
  readonly resource: { readonly urn: string; readonly type: string };
}

/**
 * A deployment stopped at once (SIGKILL, a second Ctrl-C) may have created resources it
 * never recorded. Deploying over them would create them again: the API refuses the
 * duplicate name, or a second copy appears and the first is forgotten.
 */
export class PendingCreatesError extends Error {
  constructor(
    readonly environment: string,
    readonly pending: readonly PendingOperation[],
  ) {
    const listed = pending.map(
      ({ resource }) => `  ${shortType(resource.type)} ${nameOf(resource.urn)}\n    ${resource.urn}`,
    );
    super(
      `${environment} has ${pending.length === 1 ? "a resource" : `${pending.length} resources`} that a stopped deployment ` +
        `was creating, which may exist in Scaleway without being recorded in the state:\n${listed.join("\n")}\n` +
        "Nothing was deployed. Fix: look each one up in the console (or with scw); record it with " +
        `\`pulumi refresh --stack ${environment} --yes --import-pending-creates '<urn>' --import-pending-creates '<id>'\` ` +
        "(the flag once for the URN, once for the provider's ID: <region or zone>/<uuid>), or, if none exists, " +
        `drop them with \`pulumi refresh --stack ${environment} --yes --clear-pending-creates\`; then deploy again ` +
        "(docs/runbooks/stuck-lock.md, step 5).",
    );
    this.name = "PendingCreatesError";
  }
}

/**
 * What `up` settles before planning, from the stack's state: it refuses to run over
 * creates a stopped deployment left pending, and it restores the stack's secrets someone
 * deleted outside code (Secret Manager only schedules a deletion, which a refresh does not
 * see, and refuses new versions of such a secret). A failure to ask Secret Manager is a
 * warning: the refresh that follows reports real credential problems.
 */
export async function prepareDeployment(
  stack: Stack,
  environment: string,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  const { deployment } = await stack.exportStack();
  const pending = ((deployment?.pending_operations ?? []) as PendingOperation[]).filter(
    (operation) => operation.type === "creating",
  );
  if (pending.length > 0) throw new PendingCreatesError(environment, pending);

  const secrets = stackSecrets(deployment?.resources ?? []);
  if (secrets.length === 0) return;
  // The credentials the engine and the provider get (openStack's env over this process's).
  const env = { ...process.env, ...(stack.workspace as { envVars?: Record<string, string> }).envVars };
  try {
    await restoreSecrets(await secretsScheduledForDeletion(secrets, env), env, log);
  } catch (error) {
    log(`could not check the stack's secrets in Secret Manager (${(error as Error).message}); deploying anyway`);
  }
}
