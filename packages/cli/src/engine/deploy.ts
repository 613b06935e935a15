import type { Stack, UpResult } from "@pulumi/pulumi/automation";
import { prepareDeployment } from "./beforeDeploy";
import { isInterrupted, runEngine, waitUnlessInterrupted } from "./interrupt";
import { policyOptions } from "./policyPack";

export interface DeployOptions {
  readonly onOutput?: (text: string) => void;
  readonly color?: "always" | "never";
  /**
   * Read the real resources before planning, so that changes made outside code (drift)
   * are planned back to what the code says. @default true
   */
  readonly refresh?: boolean;
  /** Whole runs retried after a transient API failure. @default 3 */
  readonly retries?: number;
  readonly log?: (message: string) => void;
  /** Recorded in the stack's history: "sovstack up by alice@laptop". */
  readonly message?: string;
  /** Stops the engine (the deployment lease was lost). Ctrl-C and SIGTERM stop it too (interrupt.ts). */
  readonly signal?: AbortSignal;
}

/**
 * What an engine run says when the provider gave up on a transient API failure (its own
 * retries exhausted): worth another run, which picks up where this one stopped.
 */
const TRANSIENT =
  /\b(429|500|502|503|504)\b|too many requests|service unavailable|SlowDown|InternalError|connection reset|EOF|timeout/i;

/**
 * `up` behind a full preview with the policy pack. The Automation API's `up` skips the
 * preview and checks policies resource by resource while it creates them; the preview
 * first means a mandatory violation stops the deployment before anything changes.
 * A run that failed on a transient API fault is run again: a failed call changed
 * nothing, and Pulumi's state records exactly what the run did create. Once interrupted,
 * no later run starts (neither the update after the preview nor a retry). Before all of it,
 * prepareDeployment settles what the state says was left behind (beforeDeploy.ts).
 */
export async function deployWithPolicies(
  stack: Stack,
  environment: string,
  options: DeployOptions = {},
): Promise<UpResult> {
  const policies = policyOptions(environment);
  const run = {
    ...policies,
    refresh: options.refresh ?? true,
    color: options.color ?? "never",
    message: options.message,
  };
  await prepareDeployment(stack, environment, options.log);
  await againOnTransientFailure((engine) => stack.preview({ ...run, ...engine }), options);
  return againOnTransientFailure((engine) => stack.up({ ...run, ...engine }), options);
}

async function againOnTransientFailure<T>(
  work: (engine: { signal: AbortSignal; onOutput: (text: string) => void }) => Promise<T>,
  options: DeployOptions,
): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await runEngine({ signal: options.signal, onOutput: options.onOutput }, work);
    } catch (error) {
      const text = String((error as Error).message ?? error);
      const errorLines = text.split("\n").filter((line) => /error/i.test(line));
      const transient = errorLines.some((line) => TRANSIENT.test(line)) && !/\[mandatory\]/.test(text);
      // Not again once stopped: interrupted, or the lease lost.
      if (attempt >= retries || !transient || isInterrupted() || options.signal?.aborted) throw error;
      options.log?.(`a Scaleway API call failed transiently; running again (${attempt + 1}/${retries})`);
      await waitUnlessInterrupted(2000 * 2 ** attempt);
    }
  }
}
