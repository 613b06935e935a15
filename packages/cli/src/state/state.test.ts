import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withStackLease } from "../engine/leasedRun";
import { retryingS3Client } from "../resilience/s3Client";
import { inlineStack, LOCAL_S3_CREDENTIALS, LOCAL_S3_ENV, localBucket } from "../testing/inlineStack";
import { startTestPostgres, type TestPostgres } from "../testing/postgres";
import { declaredResources, parseCheckpoint } from "./checkpoint";
import { copyStack } from "./copy";
import { diffCheckpoints } from "./diff";
import { initPostgresBackend } from "./init/postgresBackend";
import { InitReport } from "./init/report";
import { readHistory } from "./history";
import { checkpointKey, leaseName, pulumiLockPrefix, type StackAddress } from "./layout";
import { leaseStoreFor } from "./lease/forBackend";
import { LeaseHeldError } from "./lease/lease";
import { restoreVersion } from "./restore";
import { openStorage } from "./storage/open";
import { verifyCheckpoint } from "./verify";

const PROJECT = "state-check";
const env = { ...process.env, ...LOCAL_S3_ENV };

/** Version i of the program: i % 7 + 1 parts, and i as an output. */
const programAt = (i: number) => async () => {
  for (let part = 0; part <= i % 7; part++) new pulumi.ComponentResource("sovstack:test:Part", `part-${part}`);
  return { deployment: i };
};

let local: LocalScaleway;
let postgres: TestPostgres;
beforeAll(async () => {
  [local, postgres] = await Promise.all([
    startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-state-")) }),
    startTestPostgres(),
  ]);
}, 120_000);
afterAll(async () => {
  await local?.stop();
  await postgres?.stop();
});

/** A fresh versioned bucket of the local Scaleway as an s3:// backend. */
async function s3Backend(): Promise<string> {
  return (await localBucket(local.s3Url, { versioned: true })).url;
}

/** One deployment as sovstack runs it: inside the lease, with who in the message. */
function leasedUp(backendUrl: string, stack: Stack, who: string) {
  const address: StackAddress = { project: PROJECT, stack: stack.name };
  return withStackLease({ backendUrl, address, operation: "up", env: { ...env, SOVSTACK_ACTOR: who } }, (signal) =>
    stack.up({ signal, message: `sovstack up by ${who}` }),
  );
}

describe("a stack's state on the local Scaleway's Object Storage", () => {
  it("keeps 100 deployments in history, restores version N-3, and repairs a corrupted latest state", async () => {
    const backendUrl = await s3Backend();
    const stack = await inlineStack({ backendUrl, stackName: "hundred", projectName: PROJECT, program: programAt(1) });
    const address = { project: PROJECT, stack: "hundred" };
    for (let i = 1; i <= 100; i++) {
      stack.workspace.program = programAt(i);
      await leasedUp(backendUrl, stack, `deployer-${i % 3}`);
    }
    const storage = openStorage(backendUrl, env);
    try {
      const history = await readHistory(storage, address);
      expect(history).toHaveLength(100);
      expect(history.map((v) => v.version)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      for (const [index, version] of history.entries()) {
        const i = index + 1;
        expect(version).toMatchObject({ kind: "update", result: "succeeded", who: `deployer-${i % 3}` });
        expect(version.resourceCount).toBe((i % 7) + 1);
      }
      expect(history[0]!.changes).toMatchObject({ create: 3 }); // the stack and two parts
      expect(history[1]!.changes).toMatchObject({ create: 1, same: 3 });

      // Every write of the checkpoint is also an object version of the versioned bucket.
      const location = storage.location as Extract<typeof storage.location, { kind: "s3" }>;
      const s3 = retryingS3Client({ endpoint: local.s3Url, region: "fr-par", credentials: LOCAL_S3_CREDENTIALS });
      const objectVersions = await s3.send(
        new ListObjectVersionsCommand({ Bucket: location.bucket, Prefix: checkpointKey(address) }),
      );
      expect((objectVersions.Versions ?? []).length).toBeGreaterThanOrEqual(100);

      const diff = diffCheckpoints(
        parseCheckpoint((await storage.get(history[95]!.checkpointKey))!),
        parseCheckpoint((await storage.get(history[96]!.checkpointKey))!),
      );
      expect(diff.added).toHaveLength(1); // 96 % 7 + 1 = 6 parts, 97 % 7 + 1 = 7

      const restored = await withStackLease({ backendUrl, address, operation: "restore", env }, () =>
        restoreVersion(storage, address, "97", "tester"),
      );
      expect(restored.restored.version).toBe(97);
      const current = verifyCheckpoint(await storage.get(checkpointKey(address)), "hundred");
      expect(current.ok).toBe(true);
      expect(declaredResources(current.checkpoint!)).toHaveLength((97 % 7) + 1);
      expect((await stack.outputs()).deployment?.value).toBe(97);
      const afterRestore = await readHistory(storage, address);
      expect(afterRestore.at(-1)).toMatchObject({ version: 101, kind: "import", who: "tester" });
      expect((await stack.history(200, 1)).length).toBe(101); // Pulumi reads sovstack's entry too

      // The latest state object corrupted on purpose: verify says so, restore repairs it.
      await storage.put(checkpointKey(address), Buffer.from('{"version": 3, "checkpoint": {"stack": "hun'));
      const corrupted = verifyCheckpoint(await storage.get(checkpointKey(address)), "hundred");
      expect(corrupted.ok).toBe(false);
      expect(corrupted.problems[0]!.message).toMatch(/not valid JSON/);
      await expect(stack.outputs()).rejects.toThrow();
      await restoreVersion(storage, address, "-1", "tester");
      expect(verifyCheckpoint(await storage.get(checkpointKey(address)), "hundred").ok).toBe(true);
      expect((await stack.outputs()).deployment?.value).toBe(97);
      // And the stack deploys again from there.
      stack.workspace.program = programAt(102);
      await leasedUp(backendUrl, stack, "after-repair");
      expect((await stack.outputs()).deployment?.value).toBe(102);
    } finally {
      await storage.close();
    }
  }, 900_000);

  it("lets exactly one of 50 concurrent deployments run; the others fail fast naming it", async () => {
    const backendUrl = await s3Backend();
    const address = { project: PROJECT, stack: "contended" };
    const stack = await inlineStack({
      backendUrl,
      stackName: "contended",
      projectName: PROJECT,
      program: programAt(1),
    });
    await leasedUp(backendUrl, stack, "first");
    stack.workspace.program = programAt(2);
    const winnerDone: number[] = [];
    const loserDone: number[] = [];
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        leasedUp(backendUrl, stack, `racer-${i}`).then(
          (result) => (winnerDone.push(Date.now()), result),
          (error: unknown) => {
            loserDone.push(Date.now());
            throw error;
          },
        ),
      ),
    );
    const succeeded = attempts.filter((attempt) => attempt.status === "fulfilled");
    const failed = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === "rejected");
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(49);
    for (const attempt of failed) {
      expect(attempt.reason).toBeInstanceOf(LeaseHeldError);
      expect((attempt.reason as Error).message).toMatch(/locked by racer-\d+ \(up/);
    }
    // Fail fast: every refused attempt ended before the one deployment did.
    expect(Math.max(...loserDone)).toBeLessThan(winnerDone[0]!);
    const storage = openStorage(backendUrl, env);
    try {
      for (const version of await readHistory(storage, address))
        expect(verifyCheckpoint(await storage.get(version.checkpointKey), "contended").ok).toBe(true);
      expect(verifyCheckpoint(await storage.get(checkpointKey(address)), "contended").ok).toBe(true);
      expect(await readHistory(storage, address)).toHaveLength(2);
    } finally {
      await storage.close();
    }
  }, 300_000);

  it("survives a deployment killed with SIGKILL: its lease expires and a re-run converges", async () => {
    const backendUrl = await s3Backend();
    const address = { project: PROJECT, stack: "killed" };
    const marker = join(mkdtempSync(join(tmpdir(), "sovstack-kill-")), "started");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "../testing/killableDeploy.ts"), backendUrl, "killed", marker],
      {
        detached: true,
        stdio: "ignore",
        env: { ...env, SOVSTACK_LEASE_TTL_SECONDS: "3", SOVSTACK_ACTOR: "the-killed-one" },
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    for (let waited = 0; !existsSync(marker); waited += 200) {
      if (waited > 120_000) throw new Error("the deployment to kill never started");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    process.kill(-child.pid!, "SIGKILL"); // the whole group: sovstack, the engine, the language host
    await exited;

    const leases = leaseStoreFor(backendUrl, { env, ttlMs: 3000 });
    expect(await leases.inspect(leaseName(address))).toMatchObject({ who: "the-killed-one" });
    const storage = openStorage(backendUrl, env);
    try {
      expect((await storage.list(pulumiLockPrefix(address))).length).toBe(1); // Pulumi's lock, left behind
      const stack = await inlineStack({ backendUrl, stackName: "killed", projectName: PROJECT, program: programAt(3) });
      // While the dead lease has not expired, the next deployment is refused, naming it.
      const early = await leasedUp(backendUrl, stack, "too-early").catch((error: unknown) => error);
      if (early instanceof LeaseHeldError) expect(early.message).toMatch(/the-killed-one/);
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await leasedUp(backendUrl, stack, "rescuer");
      expect((await stack.outputs()).deployment?.value).toBe(3);
      expect(verifyCheckpoint(await storage.get(checkpointKey(address)), "killed").ok).toBe(true);
      expect(await storage.list(pulumiLockPrefix(address))).toEqual([]);
      expect(await leases.inspect(leaseName(address))).toBeUndefined();
    } finally {
      await storage.close();
    }
  }, 300_000);
});

describe("state commands when Object Storage fails transiently", () => {
  it("retries 5xx, 429 (with Retry-After) and dropped connections: history, backup, restore and leases all succeed", async () => {
    const backendUrl = await s3Backend();
    const replicaUrl = await s3Backend();
    const address = { project: PROJECT, stack: "flaky" };
    const stack = await inlineStack({ backendUrl, stackName: "flaky", projectName: PROJECT, program: programAt(1) });
    for (let i = 1; i <= 3; i++) {
      stack.workspace.program = programAt(i);
      await leasedUp(backendUrl, stack, "before-faults");
    }
    const injectedBefore = local.faults.injected;
    local.faults.set([
      { product: "object", rate: 0.15, statuses: [500, 503, 429], retryAfterSeconds: 1 },
      { product: "object", dropRate: 0.05 },
    ]);
    const [storage, replica] = [openStorage(backendUrl, env), openStorage(replicaUrl, env)];
    try {
      expect(await readHistory(storage, address)).toHaveLength(3);
      const copied = await copyStack(storage, replica, address);
      expect(copied.copied).toBe(7); // three history pairs and the current checkpoint
      const leases = leaseStoreFor(backendUrl, { env });
      const lease = await leases.acquire(leaseName(address), { who: "flaky", operation: "restore", pid: 1, host: "t" });
      await restoreVersion(storage, address, "1", "flaky");
      await lease.release();
      expect(await leases.inspect(leaseName(address))).toBeUndefined();
    } finally {
      local.faults.set([]);
      await Promise.all([storage.close(), replica.close()]);
    }
    expect(local.faults.injected - injectedBefore).toBeGreaterThan(0);
    expect((await stack.outputs()).deployment?.value).toBe(1);
  }, 300_000);
});

describe("stacks on a real PostgreSQL", () => {
  it("deploys 10 different stacks concurrently, each inside its own lease", async () => {
    const backendUrl = `${postgres.url}?sslmode=disable`;
    // Prepared as `sovstack state init` prepares it: the tables exist before the first deployments.
    await initPostgresBackend(
      {
        kind: "postgres",
        backend: backendUrl,
        connectionString: backendUrl,
        table: "pulumi_state",
        region: "fr-par",
        environments: [],
        secrets: undefined,
      },
      new InitReport(backendUrl),
    );
    const names = Array.from({ length: 10 }, (_, i) => `team-${i}`);
    const stacks = await Promise.all(
      names.map((stackName, i) => inlineStack({ backendUrl, stackName, projectName: PROJECT, program: programAt(i) })),
    );
    const results = await Promise.allSettled(stacks.map((stack, i) => leasedUp(backendUrl, stack, `team-${i}`)));
    expect(
      results
        .filter((result) => result.status === "rejected")
        .map((result) => String((result as PromiseRejectedResult).reason)),
    ).toEqual([]);
    const storage = openStorage(backendUrl);
    try {
      for (const [i, name] of names.entries()) {
        const report = verifyCheckpoint(await storage.get(checkpointKey({ project: PROJECT, stack: name })), name);
        expect(report.ok).toBe(true);
        expect(declaredResources(report.checkpoint!)).toHaveLength((i % 7) + 1);
      }
    } finally {
      await storage.close();
    }
  }, 600_000);

  it("migrates a stack with its history to Object Storage, where the engine carries on", async () => {
    const from = `${postgres.url}?sslmode=disable`;
    const to = await s3Backend();
    const address = { project: PROJECT, stack: "moving" };
    const stack = await inlineStack({
      backendUrl: from,
      stackName: "moving",
      projectName: PROJECT,
      program: programAt(1),
    });
    await leasedUp(from, stack, "before");
    stack.workspace.program = programAt(2);
    await leasedUp(from, stack, "before");
    const [source, destination] = [openStorage(from), openStorage(to, env)];
    try {
      await copyStack(source, destination, address);
      expect(await readHistory(destination, address)).toHaveLength(2);
      const moved = await inlineStack({
        backendUrl: to,
        stackName: "moving",
        projectName: PROJECT,
        program: programAt(4),
      });
      expect((await moved.outputs()).deployment?.value).toBe(2);
      await leasedUp(to, moved, "after");
      expect((await moved.history(10, 1)).length).toBe(3);
      // A repeated copy (a backup) only copies what is new.
      const again = await copyStack(destination, source, address);
      expect(again.skipped).toBe(4);
      const body = await destination.get(checkpointKey(address));
      expect(body && JSON.parse(body.toString()).checkpoint.latest.resources.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([source.close(), destination.close()]);
    }
  }, 300_000);
});
