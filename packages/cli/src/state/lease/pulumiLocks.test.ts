/**
 * Pulumi's own lock files: what they say about their holder, and the refusal a
 * deployment gets when one is held (a plain `pulumi up`, or a killed run on another
 * host), with the real engine on a file:// backend.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { withStackLease } from "../../engine/leasedRun";
import { inlineStack } from "../../testing/inlineStack";
import { pulumiLockPrefix } from "../layout";
import { openStorage } from "../storage/open";
import { LeaseHeldError } from "./lease";
import { describePulumiLock, lockProcessAlive, PulumiLockHeldError, readPulumiLocks } from "./pulumiLocks";

const address = { project: "pulumi-lock-check", stack: "dev" };
/** A lock as the engine writes it on another host (Go's time: local zone, nanoseconds). */
const FOREIGN_LOCK = {
  pid: 4242,
  username: "alice",
  hostname: "ci-runner-7",
  timestamp: "2026-05-02T03:12:09.123456789+02:00",
};

describe("Pulumi's lock files", () => {
  it("name their user, host, pid and time; an unreadable one says so", async () => {
    const storage = openStorage(`file://${mkdtempSync(join(tmpdir(), "sovstack-plock-"))}`);
    const prefix = pulumiLockPrefix(address);
    await storage.put(`${prefix}a.json`, Buffer.from(JSON.stringify(FOREIGN_LOCK)));
    await storage.put(`${prefix}b.json`, Buffer.from("{not json"));
    const locks = await readPulumiLocks(storage, address);
    expect(locks[0]).toEqual({
      key: `${prefix}a.json`,
      username: "alice",
      hostname: "ci-runner-7",
      pid: 4242,
      timestamp: "2026-05-02T01:12:09Z",
    });
    expect(describePulumiLock(locks[0]!)).toBe(
      `alice on ci-runner-7, pid 4242, since 2026-05-02T01:12:09Z (${prefix}a.json)`,
    );
    expect(describePulumiLock(locks[1]!)).toMatch(/^unreadable lock file .*b\.json: not valid JSON/);
  });

  it("say whether their process is alive when they were written on this host", async () => {
    const ended = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => ended.on("exit", resolve));
    const here = { key: "k", hostname: hostname() };
    expect(lockProcessAlive({ ...here, pid: process.pid })).toBe(true);
    expect(lockProcessAlive({ ...here, pid: ended.pid })).toBe(false);
    expect(lockProcessAlive({ key: "k", hostname: "ci-runner-7", pid: process.pid })).toBeUndefined();
  });

  it("refuse a leased deployment with exit 4's error, naming each holder and the fix", async () => {
    const backendUrl = `file://${mkdtempSync(join(tmpdir(), "sovstack-plock-"))}`;
    const stack = await inlineStack({
      backendUrl,
      stackName: address.stack,
      projectName: address.project,
      program: async () => {
        new pulumi.ComponentResource("sovstack:test:Part", "part");
      },
    });
    await stack.up();
    const storage = openStorage(backendUrl);
    try {
      await storage.put(`${pulumiLockPrefix(address)}held.json`, Buffer.from(JSON.stringify(FOREIGN_LOCK)));
      const refused = await withStackLease({ backendUrl, address, operation: "up" }, (signal) =>
        stack.up({ signal }),
      ).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PulumiLockHeldError);
      expect(refused).toBeInstanceOf(LeaseHeldError); // what the CLI turns into exit 4, printing the message
      const message = (refused as Error).message;
      expect(message).toMatch(/^another deployment of this stack is running \(Pulumi's lock\)/);
      expect(message).toContain("  alice on ci-runner-7, pid 4242, since 2026-05-02T01:12:09Z (");
      expect(message).toMatch(/`ps -p <pid>` \(4242 on ci-runner-7\).*`sovstack state unlock dev --force`/s);
      expect((refused as LeaseHeldError).record).toMatchObject({ who: "alice@ci-runner-7", pid: 4242 });
      // The lock of another host is left alone: only `state unlock --force` removes it.
      expect(await storage.list(pulumiLockPrefix(address))).toHaveLength(1);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
