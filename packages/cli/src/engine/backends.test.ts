import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConcurrentUpdateError, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../testing/postgres";
import { ensureToolchain } from "./toolchain";
import { pulumiIn } from "./workspace";

/** A program with no cloud resource that takes a while, so that two runs overlap. */
const program = (delayMs: number) => async () => {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return { answer: 42, greeting: "hello from sovstack" };
};

async function stackOn(backendUrl: string, stackName: string, delayMs = 0): Promise<Stack> {
  const toolchain = await ensureToolchain();
  return LocalWorkspace.createOrSelectStack(
    { stackName, projectName: "backend-check", program: program(delayMs) },
    {
      pulumiCommand: await pulumiIn(toolchain.binDir),
      envVars: {
        ...toolchain.env,
        PULUMI_BACKEND_URL: backendUrl,
        PULUMI_CONFIG_PASSPHRASE: "backend-test",
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    },
  );
}

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => postgres?.stop());

const backends: Array<[string, () => string]> = [
  ["file://", () => `file://${mkdtempSync(join(tmpdir(), "sovstack-state-"))}`],
  ["postgres://", () => `${postgres.url}?sslmode=disable`],
];

describe.each(backends)("the %s state backend with the real engine", (_name, url) => {
  it("deploys, reads outputs back and keeps history", async () => {
    const stack = await stackOn(url(), `outputs-${Date.now()}`);
    await stack.up();
    await stack.up();
    const outputs = await stack.outputs();
    expect(outputs.answer?.value).toBe(42);
    expect(outputs.greeting?.value).toBe("hello from sovstack");
    const history = await stack.history();
    expect(history.map((entry) => [entry.kind, entry.result])).toEqual([
      ["update", "succeeded"],
      ["update", "succeeded"],
    ]);
  }, 120_000);

  it("lets only one of two concurrent deployments run, and keeps the state intact", async () => {
    const backendUrl = url();
    const name = `lock-${Date.now()}`;
    const first = await stackOn(backendUrl, name, 6000);
    await first.up(); // the stack exists before the race
    const second = await stackOn(backendUrl, name, 6000);
    const results = await Promise.allSettled([
      first.up(),
      new Promise((r) => setTimeout(r, 1500)).then(() => second.up()),
    ]);
    expect(results[0].status).toBe("fulfilled");
    expect(results[1].status).toBe("rejected");
    const error = (results[1] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect(error.message).toMatch(/locked/i);
    const outputs = await first.outputs();
    expect(outputs.answer?.value).toBe(42);
    expect((await first.history()).filter((entry) => entry.result === "succeeded")).toHaveLength(2);
  }, 180_000);
});
