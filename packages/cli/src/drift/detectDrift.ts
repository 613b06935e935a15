import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { driftedResource, driftFromEvents, isCloudResource, type DriftReport } from "./driftReport";

export interface DetectDriftOptions {
  /** Progress messages (stderr in the CLI). */
  readonly log?: (message: string) => void;
  /** How many resources read between two progress messages. @default 10 */
  readonly progressEvery?: number;
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
  const report = driftFromEvents(environment, events);
  if (report.resourcesChecked === 0) throw new NothingDeployedError(environment);
  log(`${report.resourcesChecked} resources read in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return report;
}
