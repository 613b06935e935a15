import { join } from "node:path";
import { deployWithPolicies } from "../packages/cli/src/engine/deploy";
import { withLeasedStack } from "../packages/cli/src/engine/workspace";
import { localDataDir } from "../packages/cli/src/paths";
import { startLocalScaleway, type FaultRule, type LocalScaleway } from "../packages/scaleway-local/src";
import type { Stack } from "@pulumi/pulumi/automation";

export interface LocalDeployment {
  readonly local: LocalScaleway;
  readonly stack: Stack;
  readonly outputs: Record<string, unknown>;
  readonly databasePassword?: string;
}

export interface LocalDeployOptions {
  /** Start from nothing: the local Scaleway's data and the local state. */
  readonly reset?: boolean;
  /** Folder of the local Scaleway's data and of the local stacks' state. @default .sovstack/scaleway-local */
  readonly dataDir?: string;
  readonly environment?: string;
  /** Faults the local Scaleway injects from the start (resilience tests). */
  readonly faults?: readonly FaultRule[];
  readonly onOutput?: (text: string) => void;
  readonly log?: (message: string) => void;
}

/**
 * Starts the local Scaleway and deploys an environment to it with the real engine and
 * provider. The Pulumi state lives beside the local Scaleway's data, so `--reset`
 * forgets both together and they never disagree.
 */
export async function deployLocally(options: LocalDeployOptions = {}): Promise<LocalDeployment> {
  const dataDir = options.dataDir ?? join(localDataDir, "scaleway-local");
  const log = options.log ?? (() => undefined);
  log(`starting the local Scaleway (data in ${dataDir}${options.reset ? ", reset" : ""})`);
  const local = await startLocalScaleway({ dataDir, reset: options.reset, faults: options.faults });
  try {
    const environment = options.environment ?? "dev";
    const settings = { environment, backendUrl: `file://${join(dataDir, "pulumi-state")}`, env: local.env(), log };
    const stack = await withLeasedStack({ ...settings, operation: "up" }, async (stack, run) => {
      log(`deploying ${environment} to the local Scaleway`);
      await deployWithPolicies(stack, environment, { ...run, onOutput: options.onOutput, log });
      return stack;
    });
    const raw = await stack.outputs();
    const outputs = Object.fromEntries(Object.entries(raw).map(([key, output]) => [key, output.value]));
    return { local, stack, outputs, databasePassword: outputs.databasePassword as string | undefined };
  } catch (error) {
    await local.stop();
    throw error;
  }
}
