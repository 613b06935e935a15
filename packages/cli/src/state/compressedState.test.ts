/**
 * `sovstack state ...` on a stack the engine keeps gzip-compressed (PULUMI_DIY_BACKEND_GZIP=true),
 * on file:// and on the local Scaleway's Object Storage: the commands run as a user runs them (a
 * separate process), the stack is deployed by the real engine with an inline program, and the
 * engine itself says what it reads after each command.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../testing/runCli";
import { ExitCode } from "../exitCodes";
import { inlineStack, LOCAL_S3_CREDENTIALS, LOCAL_S3_ENV, localBucket } from "../testing/inlineStack";
import { compressionOfBytes, decompress } from "./compression";
import { locateCurrentCheckpoint } from "./currentCheckpoint";
import { checkpointKey, historyPrefix, type StackAddress } from "./layout";
import { openStorage } from "./storage/open";
import type { StateStorage } from "./storage/storage";

/** The CLI reads the project name from infra/Pulumi.yaml. */
const address: StackAddress = { project: "evalplatform", stack: "compressed" };
const PLAIN = checkpointKey(address);
const GZIP = `${PLAIN}.gz`;
/** Components of deployment i (1-based); each deployment also outputs its number. */
const PARTS = [2, 4, 3, 5, 1];
const programAt = (i: number) => async () => {
  for (let part = 0; part < PARTS[i - 1]!; part++) new pulumi.ComponentResource("sovstack:test:Part", `part-${part}`);
  return { deployment: i };
};

const env: NodeJS.ProcessEnv = {
  ...process.env,
  ...LOCAL_S3_ENV,
  SCW_ACCESS_KEY: LOCAL_S3_CREDENTIALS.accessKeyId,
  SCW_SECRET_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  NO_COLOR: "1",
  SOVSTACK_ACTOR: "tester",
};
delete env.FORCE_COLOR;
delete env.PULUMI_DIY_BACKEND_GZIP;

/** `sovstack state ...args --backend <backend>` from the repository root. */
function state(backend: string, ...args: string[]): Promise<CliRun> {
  return runCli(["state", ...args, "--backend", backend], env);
}

async function ok(run: Promise<CliRun>): Promise<string> {
  const result = await run;
  expect(result, result.stderr).toMatchObject({ code: ExitCode.ok });
  return result.stdout;
}

type History = Array<{
  version: number;
  kind: string;
  who?: string;
  resourceCount?: number;
  historyKey: string;
  checkpointKey: string;
}>;

/** What the engine reads as the stack's outputs: the deployment number its current state holds. */
async function deploymentTheEngineReads(stack: Stack): Promise<unknown> {
  return (await stack.outputs()).deployment?.value;
}

/** The stack's current-state objects, `.bak` copies left out. */
async function stateObjects(storage: StateStorage): Promise<string[]> {
  return (await storage.list(PLAIN)).map((object) => object.key).filter((key) => !key.endsWith(".bak"));
}

/** Object Storage dates objects to the second: a write meant to be newer waits for the next one. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

let local: LocalScaleway;
beforeAll(async () => {
  local = await startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-gzip-")) });
}, 120_000);
afterAll(async () => {
  await local?.stop();
});

const backends: Record<string, () => Promise<string>> = {
  "file://": async () => `file://${mkdtempSync(join(tmpdir(), "sovstack-gzip-state-"))}`,
  "the local Scaleway's Object Storage": async () => (await localBucket(local.s3Url, { versioned: true })).url,
};

describe.each(Object.keys(backends))("a gzip-compressed stack on %s", (kind) => {
  let backend: string;
  let stack: Stack;
  let storage: StateStorage;
  const work = mkdtempSync(join(tmpdir(), "sovstack-gzip-work-"));

  beforeAll(async () => {
    backend = await backends[kind]!();
    storage = openStorage(backend, env);
    stack = await inlineStack({
      backendUrl: backend,
      stackName: address.stack,
      projectName: address.project,
      program: programAt(1),
    });
    stack.workspace.envVars.PULUMI_DIY_BACKEND_GZIP = "true";
    for (const i of [1, 2, 3]) {
      stack.workspace.program = programAt(i);
      await stack.up({ message: "sovstack up by tester" });
    }
  }, 300_000);
  afterAll(async () => {
    await storage?.close();
  });

  it("is kept by the engine as .json.gz, with compressed history", async () => {
    expect(await stateObjects(storage)).toEqual([GZIP]);
    expect(compressionOfBytes((await storage.get(GZIP))!)).toBe("gzip");
    const history = (await storage.list(historyPrefix(address))).map((object) => object.key);
    expect(history).toHaveLength(6);
    for (const key of history) expect(key).toMatch(/\.(history|checkpoint)\.json\.gz$/);
  });

  it("history and diff read the compressed versions", async () => {
    const history = JSON.parse(await ok(state(backend, "history", address.stack, "--json"))) as History;
    expect(history.map(({ version, kind, who, resourceCount }) => ({ version, kind, who, resourceCount }))).toEqual(
      [1, 2, 3].map((i) => ({ version: i, kind: "update", who: "tester", resourceCount: PARTS[i - 1] })),
    );
    expect(await ok(state(backend, "diff", address.stack, "1", "3"))).toBe("+ sovstack:test:Part::part-2\n");
    expect(await ok(state(backend, "diff", address.stack, "-2", "-1"))).toBe("- sovstack:test:Part::part-3\n");
  }, 120_000);

  it("verify reads it, and finds a corrupted compressed state that the engine refuses too", async () => {
    const verified = JSON.parse(await ok(state(backend, "verify", address.stack, "--json")));
    expect(verified).toMatchObject({ key: GZIP, ok: true, resourceCount: 3 });
    expect(await ok(state(backend, "verify", address.stack, "--version", "1"))).toMatch(
      /✓ the version 1 of compressed verifies \(2 resources\)/,
    );

    const good = (await storage.get(GZIP))!;
    await storage.put(GZIP, good.subarray(0, good.length - 20));
    const bad = await state(backend, "verify", address.stack);
    expect(bad.code).toBe(ExitCode.failure);
    expect(bad.stdout).toMatch(/✗ the checkpoint is gzip-compressed but does not decompress/);
    await expect(stack.outputs()).rejects.toThrow();

    expect(await ok(state(backend, "restore", address.stack, "-1", "--yes"))).toMatch(
      /restored version 3 of compressed \(3 resources\); the state it replaced is kept at \.sovstack\/replaced\/evalplatform\/compressed\/\S+\.json\.gz/,
    );
    expect(await stateObjects(storage)).toEqual([GZIP]);
    expect(compressionOfBytes((await storage.get(GZIP))!)).toBe("gzip");
    expect(await deploymentTheEngineReads(stack)).toBe(3);
  }, 180_000);

  it("restores an earlier version compressed, which the engine reads and deploys on from", async () => {
    expect(await ok(state(backend, "restore", address.stack, "1", "--yes"))).toMatch(
      /^restored version 1 of compressed \(2 resources\)/,
    );
    expect(await stateObjects(storage)).toEqual([GZIP]);
    expect(await deploymentTheEngineReads(stack)).toBe(1);
    const history = JSON.parse(await ok(state(backend, "history", address.stack, "--json"))) as History;
    expect(history.slice(3).map(({ kind, who, resourceCount }) => ({ kind, who, resourceCount }))).toEqual([
      { kind: "import", who: "tester", resourceCount: 3 },
      { kind: "import", who: "tester", resourceCount: 2 },
    ]);
    for (const version of history.slice(3)) expect(version.historyKey).toMatch(/\.history\.json\.gz$/);
    // The engine reads sovstack's compressed history entries too.
    expect((await stack.history()).map((entry) => entry.kind).slice(0, 2)).toEqual(["import", "import"]);

    stack.workspace.program = programAt(4);
    const up = await stack.up({ message: "sovstack up by tester" });
    expect(up.summary.resourceChanges).toMatchObject({ create: 3, same: 3 }); // from version 1: the stack and two parts
    expect(await deploymentTheEngineReads(stack)).toBe(4);
    expect(JSON.parse(await ok(state(backend, "verify", address.stack, "--json")))).toMatchObject({
      key: GZIP,
      resourceCount: PARTS[3],
    });
  }, 180_000);

  it("backs up to a file and restores from it, staying compressed", async () => {
    const file = join(work, "backup.json");
    expect(await ok(state(backend, "backup", address.stack, "--to", file))).toMatch(/^backed up compressed to /);
    const keys = (JSON.parse(readFileSync(file, "utf8")) as { objects: Array<{ key: string }> }).objects.map(
      (object) => object.key,
    );
    expect(keys).toContain(GZIP);
    expect(keys).not.toContain(PLAIN);

    await storage.put(GZIP, Buffer.from("not gzip, not JSON"));
    expect((await state(backend, "verify", address.stack)).code).toBe(ExitCode.failure);
    expect(await ok(state(backend, "restore", address.stack, "--from", file, "--yes"))).toMatch(
      /^restored compressed from \S+backup\.json \(\d+ object\(s\) written, 5 resources\); the state it replaced is kept at \S+\.json\.gz/,
    );
    expect(await stateObjects(storage)).toEqual([GZIP]);
    expect(compressionOfBytes((await storage.get(GZIP))!)).toBe("gzip");
    expect(await deploymentTheEngineReads(stack)).toBe(4);
    const history = JSON.parse(await ok(state(backend, "history", address.stack, "--json"))) as History;
    expect(history.at(-1)).toMatchObject({ kind: "import", who: "tester", resourceCount: PARTS[3] });
    expect(history.at(-1)!.historyKey).toMatch(/\.history\.json\.gz$/);
  }, 180_000);

  it("with both .json and .json.gz, reads and restores the one the engine reads: the newer", async () => {
    const versionTwo = (JSON.parse(await ok(state(backend, "history", address.stack, "--json"))) as History)[1]!;
    const olderState = decompress((await storage.get(versionTwo.checkpointKey))!);
    const current = (await storage.get(GZIP))!;

    await storage.put(PLAIN, olderState);
    await nextSecond();
    await storage.put(GZIP, current);
    expect(await locateCurrentCheckpoint(storage, address)).toEqual({ key: GZIP, compression: "gzip" });
    expect(await deploymentTheEngineReads(stack)).toBe(4);

    await nextSecond();
    await storage.put(PLAIN, olderState);
    expect(JSON.parse(await ok(state(backend, "verify", address.stack, "--json")))).toMatchObject({
      key: PLAIN,
      resourceCount: PARTS[1],
    });
    expect(await deploymentTheEngineReads(stack)).toBe(2);

    // A restore writes the form the engine reads, here the uncompressed one.
    await nextSecond();
    await ok(state(backend, "restore", address.stack, "-1", "--yes"));
    expect(await locateCurrentCheckpoint(storage, address)).toEqual({ key: PLAIN, compression: "none" });
    expect(await deploymentTheEngineReads(stack)).toBe(4);

    // The engine, set to gzip, writes .json.gz and moves the .json it read aside.
    stack.workspace.program = programAt(5);
    await stack.up({ message: "sovstack up by tester" });
    expect(await stateObjects(storage)).toEqual([GZIP]);
    expect(await storage.get(`${PLAIN}.bak`)).toBeDefined();
    expect(JSON.parse(await ok(state(backend, "verify", address.stack, "--json")))).toMatchObject({
      key: GZIP,
      ok: true,
      resourceCount: PARTS[4],
    });
  }, 240_000);

  it("migrates to a backend whose engine writes uncompressed state", async () => {
    const to = await backends[kind]!();
    const before = await ok(state(backend, "history", address.stack, "--json"));
    expect(await ok(state(backend, "migrate", address.stack, "--to", to))).toMatch(
      /^migrated compressed \(\d+ object\(s\), 1 resources\)/,
    );
    expect(await ok(state(to, "history", address.stack, "--json"))).toBe(before);

    const moved = await inlineStack({
      backendUrl: to,
      stackName: address.stack,
      projectName: address.project,
      program: programAt(5),
    });
    expect(await deploymentTheEngineReads(moved)).toBe(5);
    moved.workspace.program = programAt(2);
    await moved.up({ message: "sovstack up by after-migration" });

    const destination = openStorage(to, env);
    try {
      expect(await stateObjects(destination)).toEqual([PLAIN]);
      expect(compressionOfBytes((await destination.get(PLAIN))!)).toBe("none");
    } finally {
      await destination.close();
    }
    expect(JSON.parse(await ok(state(to, "verify", address.stack, "--json")))).toMatchObject({
      key: PLAIN,
      ok: true,
      resourceCount: PARTS[1],
    });
    const history = JSON.parse(await ok(state(to, "history", address.stack, "--json"))) as History;
    expect(history).toHaveLength((JSON.parse(before) as History).length + 1);
    expect(history.at(-2)!.historyKey).toMatch(/\.history\.json\.gz$/);
    expect(history.at(-1)).toMatchObject({ kind: "update", who: "after-migration", resourceCount: PARTS[1] });
    expect(history.at(-1)!.historyKey).toMatch(/\.history\.json$/);
    // And a restore there of a version written compressed keeps the stack uncompressed.
    await ok(state(to, "restore", address.stack, "-2", "--yes"));
    expect(await deploymentTheEngineReads(moved)).toBe(5);
    const after = openStorage(to, env);
    try {
      expect(await stateObjects(after)).toEqual([PLAIN]);
    } finally {
      await after.close();
    }
  }, 240_000);
});
