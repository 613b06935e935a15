/**
 * Ctrl-C and SIGTERM during `sovstack up dev`, as a user or a CI runner sends them: the real
 * CLI, the real engine and provider, the dev stack on a local Scaleway, a file:// backend.
 * One local Scaleway and one deployment for the whole file: each case continues the last.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../exitCodes";
import { repoRoot } from "../paths";

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** When it exited (Date.now()). */
  readonly at: number;
}

interface Running {
  readonly pid: number;
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<Finished>;
  /** Resolves once `pattern` was printed on `stream`; fails if the command ends first. */
  printed(pattern: RegExp, stream?: "stdout" | "stderr"): Promise<void>;
}

let local: LocalScaleway;
let env: NodeJS.ProcessEnv;
const started: Running[] = [];

beforeAll(async () => {
  local = await startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-interrupt-")) });
  env = {
    ...process.env,
    ...local.env(),
    NO_COLOR: "1",
    SOVSTACK_ACTOR: "tester",
    SOVSTACK_BACKEND_URL: `file://${mkdtempSync(join(tmpdir(), "sovstack-interrupt-state-"))}`,
  };
  delete env.FORCE_COLOR;
  delete env.PULUMI_BACKEND_URL;
}, 120_000);

afterAll(async () => {
  for (const run of started) signalGroup(run.pid, "SIGKILL"); // only if a case failed half-way
  await local?.stop();
});

/**
 * `sovstack ...args` in its own process group, as a shell runs a command in a terminal:
 * signalling the group (-pid) is what Ctrl-C does.
 */
function start(...args: string[]): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/cli/src/cli.ts", ...args], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  const waiters = new Set<() => void>();
  for (const stream of ["stdout", "stderr"] as const)
    child[stream].on("data", (chunk: Buffer) => {
      output[stream] += chunk.toString("utf8");
      for (const waiter of waiters) waiter();
    });
  const exited = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const printed = (pattern: RegExp, stream: "stdout" | "stderr" = "stdout") =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output[stream])) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      void exited.then((end) =>
        reject(
          new Error(
            `sovstack ${args.join(" ")} ended (${end.code ?? end.signal}) before printing ${pattern}:\n${output.stdout.slice(-3000)}\n${output.stderr}`,
          ),
        ),
      );
    });
  const running = { pid: child.pid!, output, exited, printed };
  started.push(running);
  return running;
}

/** A command that runs to its end: exit code and output. */
async function sovstack(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = start(...args);
  const { code } = await run.exited;
  return { code, ...run.output };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Whether any process of the command's group (sovstack, the engine) is still running, after waiting up to `ms`. */
async function groupAliveAfter(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    try {
      process.kill(-pid, 0);
    } catch {
      return false;
    }
  }
  return true;
}

/** The update (after the preview) has started creating Scaleway resources. */
const CREATING = /^Updating \(dev\):[\s\S]*^ \+ {2}scaleway:\S+ \S+ creating/m;
const STOPPING =
  /stopping safely: the engine finishes the operations in flight and saves the state; .* to stop at once/;
const STOPPED =
  /interrupted: dev stopped safely\. Its state is consistent.*the lease is released\. `sovstack up dev` again converges\./;

/** After a safe stop: the lease is free, the state verifies, nothing of the run is left running. The resources recorded. */
async function expectStoppedSafely(run: Running): Promise<number> {
  const end = await run.exited;
  expect(end.code, run.output.stderr).toBe(ExitCode.interrupted);
  expect(run.output.stderr).toMatch(STOPPING);
  expect(run.output.stderr).toMatch(STOPPED);
  expect(run.output.stdout).not.toMatch(/received; terminating/);
  expect(await groupAliveAfter(run.pid, 5000)).toBe(false);
  const lock = await sovstack("state", "lock", "dev");
  expect(lock.stdout).toBe("dev: not locked\n");
  const verify = await sovstack("state", "verify", "dev");
  expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);
  const verified = /✓ the current state of dev verifies \((\d+) resources\)/.exec(verify.stdout);
  expect(verified, verify.stdout).not.toBeNull();
  return Number(verified![1]);
}

describe("interrupting sovstack up", () => {
  it("Ctrl-C in a terminal: the engine stops after its operations in flight, exit 130, lease free, state verifies", async () => {
    const run = start("up", "dev");
    await run.printed(CREATING);
    signalGroup(run.pid, "SIGINT"); // the terminal sends it to sovstack and the engine alike
    // What was being created when the signal came is recorded.
    expect(await expectStoppedSafely(run)).toBeGreaterThan(0);
    // The engine got the terminal's signal once: sovstack did not send it a second one (which would terminate it).
    expect(run.output.stdout.match(/\^C received; cancelling/g)).toHaveLength(1);
  }, 240_000);

  it("SIGTERM to sovstack alone (a CI runner cancelling): sovstack stops the engine itself, same outcome", async () => {
    const run = start("up", "dev");
    await run.printed(CREATING);
    process.kill(run.pid, "SIGTERM");
    await expectStoppedSafely(run);
    // The engine heard of it from sovstack, not from the signal.
    expect(run.output.stdout).toMatch(/\^C received; cancelling/);
    expect(run.output.stderr).toMatch(/send SIGTERM again \(or press Ctrl-C\) to stop at once/);
  }, 240_000);

  it("then `sovstack up dev` converges: every resource created, nothing left to change", async () => {
    const up = await sovstack("up", "dev");
    expect(up.code, up.stderr).toBe(ExitCode.ok);
    const preview = await sovstack("preview", "dev", "--expect-no-changes", "--no-cost");
    expect(preview.code, preview.stdout).toBe(ExitCode.ok);
  }, 300_000);

  it("a second Ctrl-C stops at once: exit 130, the lease stays, the message says how to break it", async () => {
    // Slow Serverless Containers calls keep the engine's refresh busy after the first Ctrl-C.
    local.faults.set([{ product: "containers", latencyMs: 4000 }]);
    try {
      const run = start("up", "dev");
      await run.printed(/^ ~ {2}scaleway:containers:\S+ \S+ refreshing/m); // a read of a container is in flight
      signalGroup(run.pid, "SIGINT");
      await run.printed(STOPPING, "stderr");
      await run.printed(/\^C received; cancelling/);
      const secondAt = Date.now();
      signalGroup(run.pid, "SIGINT");
      const end = await run.exited;
      expect(end.code, run.output.stderr).toBe(ExitCode.interrupted);
      expect(end.at - secondAt).toBeLessThan(1500);
      expect(run.output.stderr).toMatch(/stopping at once/);
      expect(run.output.stderr).toMatch(
        /The deployment lease of dev stays until it expires \(60 s after its last renewal\); to deploy again sooner, break it with `sovstack state unlock dev --force`/,
      );
      expect(await groupAliveAfter(run.pid, 5000)).toBe(false); // the engine terminated too
      const lock = await sovstack("state", "lock", "dev");
      expect(lock.stdout).toMatch(/^dev: locked by tester \(up/);
    } finally {
      local.faults.set([]);
    }
    const unlock = await sovstack("state", "unlock", "dev", "--force");
    expect(unlock.code, unlock.stderr).toBe(ExitCode.ok);
    const verify = await sovstack("state", "verify", "dev");
    expect(verify.code, verify.stdout + verify.stderr).toBe(ExitCode.ok);
  }, 120_000);
});
