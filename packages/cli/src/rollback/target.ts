import type { StateVersion } from "../state/history";
import { findVersion } from "../state/history";
import { UsageError } from "../usageError";

export interface RollbackTarget {
  readonly commit: string;
  /** The history version deployed from that commit, when there is one. */
  readonly version?: StateVersion;
}

/**
 * What a rollback returns to: `--to <version|commit>`, or by default the last successful
 * deployment of code other than what is deployed now.
 */
export function rollbackTarget(
  versions: readonly StateVersion[],
  environment: string,
  to?: string,
  isCommit: (reference: string) => boolean = () => false,
): RollbackTarget {
  const deployments = versions.filter((version) => version.kind === "update" && version.result === "succeeded");
  if (to) {
    const version = findVersion(versions, to);
    if (version) {
      if (!version.commit)
        throw new UsageError(
          `version ${version.version} of ${environment} has no recorded commit (deployed from outside a git work tree), so its code cannot be redeployed. Fix: pick a version with a commit in \`sovstack state history ${environment}\`, or --to <commit>.`,
        );
      return { commit: version.commit, version };
    }
    if (isCommit(to)) return { commit: to };
    throw new UsageError(
      `--to ${JSON.stringify(to)} is neither a version of ${environment} nor a commit of this repository. Allowed: a version number, -n (n back from the latest), or a commit. Fix: see \`sovstack state history ${environment}\`.`,
    );
  }
  if (!deployments.length)
    throw new UsageError(
      `${environment} has no successful deployment in its history (${versions.length} version(s)), so there is nothing to ` +
        `roll back to. Fix: check --backend / SOVSTACK_BACKEND_URL (\`sovstack state history ${environment}\` lists ` +
        `what this backend holds), or name a commit with --to <commit>.`,
    );
  const current = deployments.at(-1)?.commit;
  const previous = [...deployments].reverse().find((version) => version.commit && version.commit !== current);
  if (!previous)
    throw new UsageError(
      `${environment} has no earlier successful deployment of other code to roll back to: its ${deployments.length} ` +
        `successful deployment(s) were all of ${current ? `commit ${current.slice(0, 12)}` : "code without a recorded commit"}. ` +
        `Fix: name a version or commit with --to <version|commit> (see \`sovstack state history ${environment}\`).`,
    );
  return { commit: previous.commit!, version: previous };
}
