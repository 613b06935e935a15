import { execFileSync } from "node:child_process";
import { hostname, userInfo } from "node:os";
import { repoRoot } from "../../paths";
import type { LeaseHolder } from "./lease";

/** Who is deploying: SOVSTACK_ACTOR, the CI job, or user@host. */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SOVSTACK_ACTOR) return env.SOVSTACK_ACTOR;
  if (env.GITHUB_ACTOR)
    return `${env.GITHUB_ACTOR}@github-actions${env.GITHUB_RUN_ID ? `/run-${env.GITHUB_RUN_ID}` : ""}`;
  let user = env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `${user}@${hostname()}`;
}

/** The commit checked out, when the code is a git work tree. */
export function currentCommit(dir = repoRoot): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

export function leaseHolder(
  operation: string,
  commit: string | undefined = currentCommit(),
  env: NodeJS.ProcessEnv = process.env,
): LeaseHolder {
  return { who: currentActor(env), operation, commit, pid: process.pid, host: hostname() };
}
