/**
 * A rollback interrupted by SIGTERM (a CI job cancelled) while the engine runs the old
 * commit's program in its temporary checkout: the checkout is removed and the lease freed.
 * The rollback runs as its own process (testing/interruptibleRollback.ts) on a small test
 * repository, so that the signal goes to it alone.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deployWithPolicies } from "../engine/deploy";
import { openStack, withLeasedStack } from "../engine/workspace";
import { ExitCode } from "../exitCodes";
import { repoRoot } from "../paths";
import { leaseName } from "../state/layout";
import { leaseStoreFor } from "../state/lease/forBackend";
import { verifyCheckpoint } from "../state/verify";
import { openStorage } from "../state/storage/open";

/**
 * A release of the test project. Run with SOVSTACK_TEST_RUNNING set, the program says so in
 * that file and then keeps the engine busy, as a long deployment would.
 */
function releaseCode(release: string): string {
  return [
    'import { writeFileSync } from "node:fs";',
    'import * as pulumi from "@pulumi/pulumi";',
    `new pulumi.ComponentResource("sovstack:test:Part", "part-${release}");`,
    `export const release = "${release}";`,
    "const running = process.env.SOVSTACK_TEST_RUNNING;",
    "if (running) writeFileSync(running, String(process.pid));",
    "export const finished = running ? new Promise((resolve) => setTimeout(() => resolve(true), 120_000)) : true;",
    "",
  ].join("\n");
}

let repo: string;
let backendUrl: string;
const address = { project: "rollbackcheck", stack: "dev" };
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const worktrees = () =>
  git("worktree", "list", "--porcelain")
    .split("\n")
    .filter((line) => line.startsWith("worktree "));

async function commitAndDeploy(release: string): Promise<void> {
  writeFileSync(join(repo, "proj", "index.ts"), releaseCode(release));
  git("add", "-A");
  git("commit", "-q", "-m", release);
  await withLeasedStack(
    { environment: "dev", backendUrl, projectDir: join(repo, "proj"), operation: "up" },
    (stack, run) => deployWithPolicies(stack, "dev", run),
  );
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "sovstack-rollback-interrupt-repo-"));
  backendUrl = `file://${mkdtempSync(join(tmpdir(), "sovstack-rollback-interrupt-state-"))}`;
  mkdirSync(join(repo, "proj"));
  symlinkSync(join(repoRoot, "node_modules"), join(repo, "node_modules"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n");
  writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "rollback-check", private: true, type: "module" }));
  writeFileSync(
    join(repo, "proj", "Pulumi.yaml"),
    "name: rollbackcheck\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\n",
  );
  writeFileSync(
    join(repo, "proj", "package.json"),
    JSON.stringify({ name: "rollbackcheck", version: "1.0.0", type: "module", main: "index.ts" }),
  );
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@sovstack.invalid");
  git("config", "user.name", "Rollback Interrupt Test");
  await openStack({ environment: "dev", backendUrl, projectDir: join(repo, "proj") }); // writes the stack's salt
  await commitAndDeploy("v1");
  await commitAndDeploy("v2");
}, 300_000);

/** The rollback to v1, as its own process; resolves once v1's program runs in the checkout. */
async function startRollback(): Promise<{
  pid: number;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}> {
  const running = join(mkdtempSync(join(tmpdir(), "sovstack-rollback-running-")), "pid");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "../testing/interruptibleRollback.ts"), repo, backendUrl],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SOVSTACK_TEST_RUNNING: running } },
  );
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let ended = false;
  void exited.then(() => (ended = true));
  while (!existsSync(running)) {
    if (ended) throw new Error(`the rollback ended before running v1's program:\n${output.stdout}\n${output.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  rmSync(running);
  return { pid: child.pid!, output, exited };
}

describe("an interrupted rollback", () => {
  it("SIGTERM: the engine stops safely, the checkout is removed, the lease freed, exit 130", async () => {
    const rollback = await startRollback();
    const [, checkout] = worktrees();
    const checkoutDir = checkout!.slice("worktree ".length);
    expect(existsSync(checkoutDir)).toBe(true);
    process.kill(rollback.pid, "SIGTERM");
    expect(await rollback.exited, rollback.output.stderr).toBe(ExitCode.interrupted);
    expect(rollback.output.stderr).toMatch(/stopping safely: the engine finishes the operations in flight/);
    expect(rollback.output.stderr).toMatch(/interrupted: dev stopped safely\. Its state is consistent/);
    expect(rollback.output.stdout).toMatch(/\^C received; cancelling/); // told by sovstack, the signal was its alone
    expect(worktrees()).toHaveLength(1);
    expect(existsSync(checkoutDir)).toBe(false);
    expect(await leaseStoreFor(backendUrl).inspect(leaseName(address))).toBeUndefined();
    const storage = openStorage(backendUrl);
    try {
      expect(verifyCheckpoint(await storage.get(".pulumi/stacks/rollbackcheck/dev.json"), "dev").ok).toBe(true);
    } finally {
      await storage.close();
    }
  }, 120_000);

  it("a second SIGTERM: exit 130 at once, the checkout is removed all the same, the lease stays", async () => {
    const rollback = await startRollback();
    const [, checkout] = worktrees();
    const checkoutDir = checkout!.slice("worktree ".length);
    process.kill(rollback.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const secondAt = Date.now();
    process.kill(rollback.pid, "SIGTERM");
    expect(await rollback.exited, rollback.output.stderr).toBe(ExitCode.interrupted);
    expect(Date.now() - secondAt).toBeLessThan(1500);
    expect(rollback.output.stderr).toMatch(/break it with `sovstack state unlock dev --force`/);
    expect(rollback.output.stderr).not.toMatch(/stopped safely/);
    expect(existsSync(checkoutDir)).toBe(false);
    expect(worktrees()).toHaveLength(1);
    const leases = leaseStoreFor(backendUrl);
    expect(await leases.inspect(leaseName(address))).toMatchObject({ operation: "rollback" });
    await leases.forceRelease(leaseName(address));
  }, 120_000);
});
