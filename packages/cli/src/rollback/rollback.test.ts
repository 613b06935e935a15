import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deployWithPolicies } from "../engine/deploy";
import { openStack, withLeasedStack } from "../engine/workspace";
import { repoRoot } from "../paths";
import { readHistory } from "../state/history";
import { openStorage } from "../state/storage/open";
import { UsageError } from "../usageError";
import { rollback } from "./rollback";

/** A git repository with a small Pulumi project whose code says which release it is. */
function releaseCode(release: string): string {
  return [
    'import * as pulumi from "@pulumi/pulumi";',
    `new pulumi.ComponentResource("sovstack:test:Part", "part-${release}");`,
    `export const release = "${release}";`,
    "",
  ].join("\n");
}

let repo: string;
let backendUrl: string;
const projectDir = () => join(repo, "proj");
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

async function deployCheckedOut(): Promise<void> {
  await withLeasedStack({ environment: "dev", backendUrl, projectDir: projectDir(), operation: "up" }, (stack, run) =>
    deployWithPolicies(stack, "dev", run),
  );
}

function commit(release: string): string {
  writeFileSync(join(projectDir(), "index.ts"), releaseCode(release));
  git("add", "-A");
  git("commit", "-q", "-m", release);
  return git("rev-parse", "HEAD");
}

const commits: Record<string, string> = {};

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "sovstack-rollback-repo-"));
  backendUrl = `file://${mkdtempSync(join(tmpdir(), "sovstack-rollback-state-"))}`;
  mkdirSync(projectDir());
  symlinkSync(join(repoRoot, "node_modules"), join(repo, "node_modules"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n");
  writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "rollback-check", private: true, type: "module" }));
  writeFileSync(
    join(projectDir(), "Pulumi.yaml"),
    "name: rollbackcheck\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\n",
  );
  writeFileSync(
    join(projectDir(), "package.json"),
    JSON.stringify({ name: "rollbackcheck", version: "1.0.0", type: "module", main: "index.ts" }),
  );
  writeFileSync(join(projectDir(), "index.ts"), releaseCode("v1"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@sovstack.invalid");
  git("config", "user.name", "Rollback Test");
  await openStack({ environment: "dev", backendUrl, projectDir: projectDir() }); // writes the stack's salt
  commits.v1 = commit("v1");
  await deployCheckedOut();
  commits.v2 = commit("v2");
  await deployCheckedOut();
}, 300_000);

describe("sovstack rollback", () => {
  it("previews the return to the last deployment of other code, changing nothing", async () => {
    const result = await rollback({
      environment: "dev",
      backendUrl,
      apply: false,
      repoDir: repo,
      projectSubdir: "proj",
    });
    expect(result.target.commit).toBe(commits.v1);
    expect(result.target.version?.version).toBe(1);
    expect(result.preview?.changeSummary).toMatchObject({ create: 1, delete: 1 });
    const stack = await openStack({ environment: "dev", backendUrl, projectDir: projectDir() });
    expect((await stack.outputs()).release?.value).toBe("v2");
    expect(git("worktree", "list").split("\n")).toHaveLength(1); // the checkout is gone
  }, 300_000);

  it("redeploys the code of that commit, recorded in the history as a rollback", async () => {
    const result = await rollback({
      environment: "dev",
      backendUrl,
      apply: true,
      repoDir: repo,
      projectSubdir: "proj",
    });
    expect(result.up?.summary.result).toBe("succeeded");
    expect(result.up?.outputs.release?.value).toBe("v1");
    const storage = openStorage(backendUrl);
    try {
      const latest = (await readHistory(storage, { project: "rollbackcheck", stack: "dev" })).at(-1)!;
      expect(latest.commit).toBe(commits.v1);
      expect(latest.message).toMatch(/^sovstack rollback by \S+ to [0-9a-f]{12} \(version 1\)$/);
    } finally {
      await storage.close();
    }
  }, 300_000);

  it("goes to a named commit, and refuses one the repository does not have", async () => {
    const result = await rollback({
      environment: "dev",
      backendUrl,
      apply: true,
      to: commits.v2!.slice(0, 10),
      repoDir: repo,
      projectSubdir: "proj",
    });
    expect(result.up?.outputs.release?.value).toBe("v2");
    const error = await rollback({
      environment: "dev",
      backendUrl,
      apply: false,
      to: "deadbeef",
      repoDir: repo,
      projectSubdir: "proj",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/--to "deadbeef" is neither a version of dev nor a commit/);
  }, 300_000);

  it("on a backend without the stack, says so and names --backend, before choosing a target or locking", async () => {
    const empty = `file://${mkdtempSync(join(tmpdir(), "sovstack-rollback-empty-"))}`;
    for (const to of [undefined, commits.v1]) {
      const error = await rollback({
        environment: "dev",
        backendUrl: empty,
        apply: false,
        to,
        repoDir: repo,
        projectSubdir: "proj",
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `${empty} has no dev stack. Fix: check --backend / SOVSTACK_BACKEND_URL, or deploy it first with \`sovstack up dev\`.`,
      );
    }
    expect(git("worktree", "list").split("\n")).toHaveLength(1); // nothing was checked out
  }, 120_000);
});
