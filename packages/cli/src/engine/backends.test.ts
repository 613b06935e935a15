import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConcurrentUpdateError, type Stack } from "@pulumi/pulumi/automation";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../testing/postgres";
import { inlineStack, localBucket } from "../testing/inlineStack";

/** A program with no cloud resource that takes a while, so that two runs overlap. */
const program = (delayMs: number) => async () => {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return { answer: 42, greeting: "hello from sovstack" };
};

function stackOn(backendUrl: string, stackName: string, delayMs = 0): Promise<Stack> {
  return inlineStack({ backendUrl, stackName, projectName: "backend-check", program: program(delayMs) });
}

let postgres: TestPostgres;
let local: LocalScaleway;
beforeAll(async () => {
  postgres = await startTestPostgres();
  local = await startLocalScaleway();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  await local?.stop();
});

const backends: Array<[string, () => string | Promise<string>]> = [
  ["file://", () => `file://${mkdtempSync(join(tmpdir(), "sovstack-state-"))}`],
  ["postgres://", () => `${postgres.url}?sslmode=disable`],
  ["s3:// (the local Scaleway's Object Storage)", async () => (await localBucket(local.s3Url)).url],
];

describe.each(backends)("the %s state backend with the real engine", (_name, url) => {
  it("deploys, reads outputs back and keeps history", async () => {
    const stack = await stackOn(await url(), `outputs-${Date.now()}`);
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
    const backendUrl = await url();
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
