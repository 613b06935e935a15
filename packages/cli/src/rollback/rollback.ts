import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { PreviewResult, UpResult } from "@pulumi/pulumi/automation";
import { deployWithPolicies } from "../engine/deploy";
import { onStopAtOnce, runEngine, throwIfInterrupted, withInterruptHandling } from "../engine/interrupt";
import { stackAddress } from "../engine/project";
import { policyOptions } from "../engine/policyPack";
import { defaultBackendUrl, withLeasedStack } from "../engine/workspace";
import { repoRoot } from "../paths";
import { redactedUrl } from "../state/backendUrl";
import { locateCurrentCheckpoint } from "../state/currentCheckpoint";
import { readHistory } from "../state/history";
import { openStorage } from "../state/storage/open";
import { rollbackTarget, type RollbackTarget } from "./target";
import { UsageError } from "../usageError";
import { checkoutCommit } from "./worktree";

export interface RollbackOptions {
  readonly environment: string;
  readonly backendUrl?: string;
  /** Version number, -n, or commit. @default the last deployment of other code */
  readonly to?: string;
  /** Apply it; without, only the preview runs. */
  readonly apply: boolean;
  /** The git repository and the Pulumi project inside it. @default this repository, infra */
  readonly repoDir?: string;
  readonly projectSubdir?: string;
  /** Installed npm packages to run the old code with. @default the repository's node_modules */
  readonly nodeModules?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
  readonly onOutput?: (text: string) => void;
  readonly color?: "always" | "never";
}

export interface RollbackResult {
  readonly target: RollbackTarget;
  readonly preview?: PreviewResult;
  readonly up?: UpResult;
}

/**
 * Returns an environment's infrastructure to an earlier deployment by deploying the code
 * and stack configuration of its commit (checked out aside), with today's policy pack,
 * inside the deployment lease. Without `apply` it stops after the preview. Ctrl-C or
 * SIGTERM stops the engine safely, then the lease is released and the checkout removed
 * (DeploymentInterrupted).
 */
export function rollback(options: RollbackOptions): Promise<RollbackResult> {
  return withInterruptHandling(options.environment, () => rollbackUninterrupted(options));
}

async function rollbackUninterrupted(options: RollbackOptions): Promise<RollbackResult> {
  const repoDir = options.repoDir ?? repoRoot;
  const projectSubdir = options.projectSubdir ?? "infra";
  const backendUrl = options.backendUrl ?? defaultBackendUrl();
  const log = options.log ?? (() => undefined);
  const storage = openStorage(backendUrl, { ...process.env, ...options.env });
  let target: RollbackTarget;
  try {
    const address = stackAddress(options.environment, join(repoDir, projectSubdir));
    // A wrong or empty backend is the likely cause, not a missing --to: said first, as outputs and drift say it.
    if (!(await locateCurrentCheckpoint(storage, address)))
      throw new UsageError(
        `${redactedUrl(backendUrl)} has no ${options.environment} stack. ` +
          `Fix: check --backend / SOVSTACK_BACKEND_URL, or deploy it first with \`sovstack up ${options.environment}\`.`,
      );
    const versions = await readHistory(storage, address, { countResources: false });
    target = rollbackTarget(versions, options.environment, options.to, isCommitOf(repoDir));
  } finally {
    await storage.close();
  }
  const label = `${target.commit.slice(0, 12)}${target.version ? ` (version ${target.version.version})` : ""}`;
  throwIfInterrupted();
  log(`checking out ${label}`);
  const checkout = await checkoutCommit(repoDir, target.commit, options.nodeModules ?? join(repoDir, "node_modules"));
  const forgetCheckout = onStopAtOnce(checkout.removeNow);
  try {
    return await withLeasedStack(
      {
        environment: options.environment,
        backendUrl,
        projectDir: join(checkout.dir, projectSubdir),
        env: options.env,
        log,
        operation: "rollback",
        create: false,
        commit: target.commit,
      },
      async (stack, run) => {
        const message = run.message.replace(/ at \S+$/, ` to ${label}`);
        if (!options.apply) {
          log(`previewing the rollback of ${options.environment} to ${label}`);
          const preview = await runEngine({ signal: run.signal, onOutput: options.onOutput }, (engine) =>
            stack.preview({
              ...policyOptions(options.environment),
              refresh: true,
              message,
              color: options.color ?? "never",
              ...engine,
            }),
          );
          return { target, preview };
        }
        log(`rolling ${options.environment} back to ${label}`);
        const up = await deployWithPolicies(stack, options.environment, {
          ...run,
          message,
          color: options.color,
          onOutput: options.onOutput,
          log,
        });
        return { target, up };
      },
    );
  } finally {
    await checkout.remove();
    forgetCheckout();
  }
}

/** Whether `reference` names a commit of the repository. */
function isCommitOf(repoDir: string): (reference: string) => boolean {
  return (reference) => {
    if (!/^[0-9a-f]{4,40}$/i.test(reference)) return false;
    try {
      execFileSync("git", ["rev-parse", "--verify", "--quiet", `${reference}^{commit}`], {
        cwd: repoDir,
        stdio: "ignore",
      });
      return true;
    } catch {
      return false;
    }
  };
}
