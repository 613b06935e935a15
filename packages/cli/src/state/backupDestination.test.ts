/**
 * Backups to another backend bring the destination forward along the source's history,
 * and never replace a newer or different state there; restores from a backend append to
 * the history without renumbering it. Stacks deployed by the real engine (inline program)
 * on file:// backends.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { describe, expect, it, vi } from "vitest";
import { inlineStack } from "../testing/inlineStack";
import { BackupRefusedError } from "./backupDestination";
import { copyStack } from "./copy";
import { decompress } from "./compression";
import { readCurrentCheckpoint } from "./currentCheckpoint";
import { readHistory } from "./history";
import type { StackAddress } from "./layout";
import { restoreFromBackup, restoreVersion } from "./restore";
import { openStorage } from "./storage/open";
import type { StateStorage } from "./storage/storage";

const PROJECT = "backup-check";

/** Deployment i: i % 4 + 1 parts, and i as an output. */
const programAt = (i: number) => async () => {
  for (let part = 0; part <= i % 4; part++) new pulumi.ComponentResource("sovstack:test:Part", `part-${part}`);
  return { deployment: i };
};

const fileBackend = () => `file://${mkdtempSync(join(tmpdir(), "sovstack-backup-"))}`;

async function deploy(stack: Stack, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    stack.workspace.program = programAt(i);
    await stack.up({ message: `sovstack up by deployer-${i}` });
  }
}

/** A stack of the test project on `backendUrl`, deployed `count` times (deployments 1 to count). */
async function deployedStack(backendUrl: string, stackName: string, count: number): Promise<Stack> {
  const stack = await inlineStack({ backendUrl, stackName, projectName: PROJECT, program: programAt(1) });
  await deploy(stack, 1, count);
  return stack;
}

async function withStorages<T>(urls: string[], work: (...storages: StateStorage[]) => Promise<T>): Promise<T> {
  const storages = urls.map((url) => openStorage(url));
  try {
    return await work(...storages);
  } finally {
    await Promise.all(storages.map((storage) => storage.close()));
  }
}

/** Every object of a backend with its bytes: what "changes nothing" compares. */
async function contentOf(storage: StateStorage): Promise<Map<string, string>> {
  const objects = await storage.list("");
  return new Map(
    await Promise.all(
      objects.map(async ({ key }) => [key, (await storage.get(key))!.toString("base64")] as [string, string]),
    ),
  );
}

/** The versions as `state history` numbers them: number and history key. */
async function numbered(storage: StateStorage, address: StackAddress) {
  return (await readHistory(storage, address, { countResources: false })).map(({ version, historyKey }) => ({
    version,
    historyKey,
  }));
}

const stateJson = async (storage: StateStorage, address: StackAddress) =>
  decompress((await readCurrentCheckpoint(storage, address))!.bytes).toString("utf8");

describe("state backup to a backend", () => {
  it("copies only what is new, keeping the version numbers, and the latest version matches the state", async () => {
    const [main, replica] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "incremental" };
    const stack = await deployedStack(main, address.stack, 3);
    await withStorages([main, replica], async (source, destination) => {
      const first = await copyStack(source, destination, address, { recordBackup: true });
      expect(first).toMatchObject({ copied: 7, skipped: 0 }); // three history pairs and the current state
      await deploy(stack, 4, 5);
      const again = await copyStack(source, destination, address, { recordBackup: true });
      expect(again).toMatchObject({ copied: 5, skipped: 6 });
      const versions = await numbered(destination, address);
      expect(versions).toEqual(await numbered(source, address));
      expect(versions.map((version) => version.version)).toEqual([1, 2, 3, 4, 5]);
      const latest = (await readHistory(destination, address)).at(-1)!;
      expect(decompress((await destination.get(latest.checkpointKey))!).toString("utf8")).toBe(
        await stateJson(destination, address),
      );
      expect(await stateJson(destination, address)).toBe(await stateJson(source, address));
    });
  }, 300_000);

  it("refuses to put an older copy of the stack over a newer one, naming both latest versions, and changes nothing", async () => {
    const [main, replica] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "older" };
    const stack = await deployedStack(main, address.stack, 2);
    await withStorages([main, replica], async (source, destination) => {
      await copyStack(source, destination, address, { recordBackup: true }); // the replica, at version 2
    });
    await deploy(stack, 3, 4);
    await withStorages([replica, main], async (older, newer) => {
      const before = await contentOf(newer);
      const refused = await copyStack(older, newer, address, { recordBackup: true }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BackupRefusedError);
      const message = (refused as Error).message;
      expect(message).toMatch(/has 2 version\(s\) that .* does not have/);
      expect(message).toMatch(
        /\n {2}latest version at the destination: version 4 \(update succeeded, .*, by deployer-4\)\n/,
      );
      expect(message).toMatch(
        /\n {2}latest version at the source: {6}version 2 \(update succeeded, .*, by deployer-2\)\n/,
      );
      expect(message).toMatch(/Fix: compare `sovstack state history older --backend '.*'` with/);
      expect(message).toMatch(/`sovstack state restore older --from '.*' --backend '.*' --yes`/);
      expect(await contentOf(newer)).toEqual(before);
    });
    expect((await stack.outputs()).deployment?.value).toBe(4);
  }, 300_000);

  it("refuses the state of another deployment (a destroyed one) over the current one, and changes nothing", async () => {
    const [other, main] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "diverged" };
    const gone = await deployedStack(other, address.stack, 2);
    await gone.destroy({ message: "sovstack destroy by someone" });
    await deployedStack(main, address.stack, 3);
    await withStorages([other, main], async (source, destination) => {
      const before = await contentOf(destination);
      const refused = await copyStack(source, destination, address).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BackupRefusedError);
      expect((refused as Error).message).toMatch(/has 3 version\(s\) that .* does not have/);
      expect((refused as Error).message).toMatch(/latest version at the source: +version 3 \(destroy succeeded/);
      expect(await contentOf(destination)).toEqual(before);
    });
  }, 300_000);

  it("refuses a destination whose state was written after the last backup, but not one the last backup wrote", async () => {
    const [main, replica] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "outside" };
    const stack = await deployedStack(main, address.stack, 2);
    // A state written at the source without a history entry (as `pulumi stack import`, or a change of secrets provider).
    const exported = await stack.exportStack();
    const resources = exported.deployment.resources as Array<{ type: string; outputs?: Record<string, unknown> }>;
    resources.find((resource) => resource.type === "pulumi:pulumi:Stack")!.outputs = { deployment: 99 };
    await stack.importStack(exported);
    await withStorages([main, replica], async (source, destination) => {
      await copyStack(source, destination, address, { recordBackup: true });
      await deploy(stack, 3, 3);
      // The replica's state is none of the source's versions, but the last backup wrote it: taken.
      await copyStack(source, destination, address, { recordBackup: true });
      expect(await stateJson(destination, address)).toBe(await stateJson(source, address));

      // Someone edits the replica's state itself: the next backup refuses to replace it.
      const edited = JSON.parse(await stateJson(destination, address)) as {
        checkpoint: { latest: { resources: Array<{ outputs?: Record<string, unknown> }> } };
      };
      edited.checkpoint.latest.resources[0]!.outputs = { deployment: 77 };
      await destination.put(`.pulumi/stacks/${PROJECT}/outside.json`, Buffer.from(JSON.stringify(edited)));
      const before = await contentOf(destination);
      const refused = await copyStack(source, destination, address, { recordBackup: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BackupRefusedError);
      expect((refused as Error).message).toMatch(
        /the current state at .* is none of the versions of .*: it was written there after the last backup/,
      );
      expect(await contentOf(destination)).toEqual(before);
    });
  }, 300_000);

  it("keeps accepting backups after a restore made on a machine whose clock is behind: the restore is the latest version", async () => {
    const [main, replica] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "slow-clock" };
    await deployedStack(main, address.stack, 3);
    await withStorages([main, replica], async (source, destination) => {
      await copyStack(source, destination, address, { recordBackup: true });
      const realNow = Date.now();
      const clock = vi.spyOn(Date, "now").mockReturnValue(realNow - 3_600_000); // an hour behind
      try {
        await restoreVersion(source, address, "1", "operator-with-a-slow-clock");
      } finally {
        clock.mockRestore();
      }
      const versions = await readHistory(source, address, { countResources: false });
      expect(versions.map((version) => version.kind)).toEqual(["update", "update", "update", "import"]);
      expect(await copyStack(source, destination, address, { recordBackup: true })).toMatchObject({ copied: 3 });
      expect(await stateJson(destination, address)).toBe(await stateJson(source, address));
    });
  }, 300_000);

  it("takes any backup on an empty backend, or one with an empty stack and no history", async () => {
    const [main, empty, previewed] = [fileBackend(), fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "fresh" };
    await deployedStack(main, address.stack, 1);
    await inlineStack({ backendUrl: previewed, stackName: address.stack, projectName: PROJECT, program: programAt(1) }); // an empty stack
    await withStorages([main, empty, previewed], async (source, ...destinations) => {
      for (const destination of destinations) {
        await copyStack(source, destination, address);
        expect(await numbered(destination, address)).toEqual(await numbered(source, address));
      }
    });
  }, 300_000);
});

describe("state restore --from a backend", () => {
  it("appends the backup's newer versions and keeps the numbers of those already there", async () => {
    const [other, main] = [fileBackend(), fileBackend()];
    const address = { project: PROJECT, stack: "merged" };
    await deployedStack(other, address.stack, 2); // older than every version of main
    const stack = await inlineStack({
      backendUrl: main,
      stackName: address.stack,
      projectName: PROJECT,
      program: programAt(1),
    });
    await deploy(stack, 5, 7);
    await withStorages([main], async (storage) => {
      const before = await numbered(storage, address);
      const result = await restoreFromBackup(storage, address, other, "tester");
      expect(result.leftOut).toBe(2);
      const after = await numbered(storage, address);
      expect(after.slice(0, 3)).toEqual(before);
      expect(after).toHaveLength(4);
      expect((await readHistory(storage, address)).at(-1)).toMatchObject({ kind: "import", who: "tester", version: 4 });
    });
    expect((await stack.outputs()).deployment?.value).toBe(2);
  }, 300_000);
});
