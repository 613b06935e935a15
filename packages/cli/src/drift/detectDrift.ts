import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { SECRET_TYPE, secretsScheduledForDeletion, stackSecrets, withDeletedSecrets } from "./deletedSecrets";
import { driftedResource, driftFromEvents, isCloudResource, nameOf, shortType, type DriftReport } from "./driftReport";

export interface DetectDriftOptions {
  /** Progress messages (stderr in the CLI). */
  readonly log?: (message: string) => void;
  /** How many resources read between two progress messages. @default 10 */
  readonly progressEvery?: number;
  /** Scaleway credentials (SCW_*), to ask Secret Manager about the stack's secrets. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The stack has no resource in its state: there is nothing to compare with Scaleway. */
export class NothingDeployedError extends Error {
  constructor(environment: string) {
    super(
      `The ${environment} stack has no deployed resource in this backend, so there is nothing to compare. ` +
        `Fix: deploy it first (\`sovstack up ${environment}\`), or pass the --backend that holds its state.`,
    );
    this.name = "NothingDeployedError";
  }
}

/**
 * Reads every resource of the stack back from Scaleway and compares it with the state,
 * without writing anything: a refresh in preview mode. Changes made outside code
 * (console, scw, another tool) come back as drift, property by property.
 */
export async function detectDrift(
  stack: Pick<Stack, "previewRefresh">,
  environment: string,
  options: DetectDriftOptions = {},
): Promise<DriftReport> {
  const log = options.log ?? (() => undefined);
  const every = options.progressEvery ?? 10;
  const events: EngineEvent[] = [];
  let read = 0;
  const started = Date.now();
  log(`reading the resources of ${environment} back from Scaleway (a refresh preview: nothing is changed)`);
  await stack.previewRefresh({
    color: "never",
    onEvent: (event) => {
      events.push(event);
      const step = event.resOutputsEvent?.metadata;
      if (!step || !isCloudResource(step)) return;
      const drifted = driftedResource(step);
      if (drifted) log(`drift: ${drifted.type} ${drifted.name} ${drifted.change}`);
      if (++read % every === 0) log(`${read} resources read`);
    },
  });
  const refreshed = driftFromEvents(environment, events);
  if (refreshed.resourcesChecked === 0) throw new NothingDeployedError(environment);
  const secrets = stackSecrets(events.flatMap((event) => event.resOutputsEvent?.metadata.old ?? []));
  // The refresh has read everything: a Secret Manager failure only leaves deleted secrets unchecked.
  const deleted = await secretsScheduledForDeletion(secrets, options.env).catch((error: Error) => {
    log(`could not ask Secret Manager about the stack's secrets (${error.message}); deleted secrets are not reported`);
    return [];
  });
  for (const secret of deleted)
    log(`drift: ${shortType(SECRET_TYPE)} ${nameOf(secret.urn)} deleted at ${secret.deletionRequestedAt}`);
  const report = withDeletedSecrets(refreshed, deleted);
  log(`${report.resourcesChecked} resources read in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return report;
}
