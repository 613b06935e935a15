/**
 * Which signals reach the engine, and which engine runs start, when a deployment is
 * interrupted: deployWithPolicies on a stand-in for the Automation API's Stack, in this
 * process, with real signals sent to it while the handlers are installed.
 */
import type { Stack } from "@pulumi/pulumi/automation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deployWithPolicies } from "./deploy";
import { DeploymentInterrupted, withInterruptHandling } from "./interrupt";

interface EngineOptions {
  readonly signal: AbortSignal;
  readonly onOutput: (text: string) => void;
}

/**
 * A stack whose preview runs `script` and goes on until the Automation API would stop it
 * (its signal aborts) or `script` ends it, then fails as a cancelled engine run does; `up`
 * would succeed at once.
 */
function scriptedStack(script: (engine: EngineOptions, end: (error: Error) => void) => void) {
  const calls: string[] = [];
  const aborts: number[] = [];
  const engineRun = (kind: string) => (engine: EngineOptions) => {
    calls.push(kind);
    if (kind === "up") return Promise.resolve({ summary: {}, outputs: {} });
    return new Promise((_, reject) => {
      engine.signal.addEventListener("abort", () => {
        aborts.push(Date.now());
        // Worded as a transient failure: it must not be run again all the same.
        reject(new Error("error: update canceled: 503 Service Unavailable"));
      });
      script(engine, reject);
    });
  };
  // An empty state: nothing for prepareDeployment to settle before the preview.
  const exportStack = async () => ({ version: 3, deployment: {} });
  const stack = { preview: engineRun("preview"), up: engineRun("up"), exportStack } as unknown as Stack;
  return { stack, calls, aborts };
}

const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
afterEach(() => stderr.mockClear());

describe("an interrupted deployment", () => {
  it("SIGTERM to sovstack alone: the engine is told after the grace period, the update never starts", async () => {
    let sentAt = 0;
    const { stack, calls, aborts } = scriptedStack(() => {
      sentAt = Date.now();
      process.kill(process.pid, "SIGTERM");
    });
    const deployment = withInterruptHandling("dev", () => deployWithPolicies(stack, "dev", { retries: 3 }));
    await expect(deployment).rejects.toBeInstanceOf(DeploymentInterrupted);
    expect(calls).toEqual(["preview"]);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]! - sentAt).toBeGreaterThanOrEqual(1900);
    expect(aborts[0]! - sentAt).toBeLessThan(5000);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/stopping safely: .* send SIGTERM again \(or press Ctrl-C\)/);
    expect(process.listenerCount("SIGTERM")).toBe(0); // Node's default again once the deployment ended
  }, 20_000);

  it("Ctrl-C that reached the engine too: sovstack does not send it a second one, which would terminate it", async () => {
    const { stack, calls, aborts } = scriptedStack(({ onOutput }, end) => {
      process.kill(process.pid, "SIGINT");
      // The engine got the terminal's signal: it says so (in two chunks), finishes what is in flight, then ends.
      onOutput("^C received; cancel");
      onOutput("ling. If you would like to terminate immediately, press ^C again.\n");
      setTimeout(() => end(new Error("error: update canceled")), 3000);
    });
    const deployment = withInterruptHandling("dev", () => deployWithPolicies(stack, "dev"));
    await expect(deployment).rejects.toBeInstanceOf(DeploymentInterrupted);
    expect(aborts).toEqual([]);
    expect(calls).toEqual(["preview"]);
  }, 20_000);

  it("a lost lease still stops the engine, and a run does not start once it is lost", async () => {
    const lease = new AbortController();
    const { stack, calls, aborts } = scriptedStack(() => lease.abort(new Error("The lease was taken")));
    await expect(deployWithPolicies(stack, "dev", { signal: lease.signal, retries: 3 })).rejects.toThrow(/503/);
    expect(aborts).toHaveLength(1);
    await expect(deployWithPolicies(stack, "dev", { signal: lease.signal })).rejects.toThrow(/The lease was taken/);
    expect(calls).toEqual(["preview"]);
  });
});
