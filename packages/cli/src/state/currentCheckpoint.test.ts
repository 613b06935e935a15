/**
 * Which object is a stack's current state, and how sovstack writes it back, on a compressed
 * or uncompressed backend: the rules of Pulumi's DIY backend, without the engine (the
 * engine's side is in compressedState.test.ts).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openStack } from "../engine/workspace";
import { UsageError } from "../usageError";
import { parseCheckpoint } from "./checkpoint";
import { compressAs, compressionOfBytes, engineCompression } from "./compression";
import { locateCurrentCheckpoint, readCurrentCheckpoint, writeCurrentCheckpoint } from "./currentCheckpoint";
import { readHistory } from "./history";
import { MemoryStorage } from "./storage/memoryStorage";
import { verifyCheckpoint } from "./verify";

const address = { project: "evalplatform", stack: "dev" };
const PLAIN = ".pulumi/stacks/evalplatform/dev.json";
const GZIP = `${PLAIN}.gz`;

/** A valid checkpoint of dev whose one component is named `name`. */
const checkpointNamed = (name: string) =>
  Buffer.from(
    JSON.stringify({
      version: 3,
      checkpoint: {
        stack: "organization/evalplatform/dev",
        latest: {
          resources: [
            { urn: "urn:pulumi:dev::evalplatform::pulumi:pulumi:Stack::evalplatform-dev", type: "pulumi:pulumi:Stack" },
            {
              urn: `urn:pulumi:dev::evalplatform::sovstack:test:Part::${name}`,
              type: "sovstack:test:Part",
              parent: "urn:pulumi:dev::evalplatform::pulumi:pulumi:Stack::evalplatform-dev",
            },
          ],
        },
      },
    }),
  );

const componentOf = (bytes: Buffer) => parseCheckpoint(bytes).checkpoint.latest!.resources![1]!.urn.split("::").at(-1);

/** An object of `storage` written at `time` (ms since the epoch). */
function putAt(storage: MemoryStorage, key: string, body: Buffer, time: number) {
  storage.objects.set(key, { body, modified: new Date(time) });
}

describe("the current checkpoint, as the engine picks it", () => {
  it("is the most recently written of dev.json and dev.json.gz, never a .bak", async () => {
    const storage = new MemoryStorage();
    expect(await locateCurrentCheckpoint(storage, address)).toBeUndefined();
    putAt(storage, PLAIN, checkpointNamed("plain"), 1_000);
    putAt(storage, GZIP, gzipSync(checkpointNamed("gzip")), 2_000);
    putAt(storage, `${PLAIN}.bak`, checkpointNamed("backup"), 3_000);
    putAt(storage, ".pulumi/stacks/evalplatform/dev.json-other", checkpointNamed("other"), 4_000);
    const newer = await readCurrentCheckpoint(storage, address);
    expect(newer).toMatchObject({ key: GZIP, compression: "gzip" });
    expect(componentOf(newer!.bytes)).toBe("gzip");

    putAt(storage, PLAIN, checkpointNamed("plain"), 5_000);
    expect(await locateCurrentCheckpoint(storage, address)).toEqual({ key: PLAIN, compression: "none" });
  });

  it("on equal times is the later in key order: dev.json.gz over dev.json", async () => {
    const storage = new MemoryStorage();
    putAt(storage, GZIP, gzipSync(checkpointNamed("gzip")), 1_000);
    putAt(storage, PLAIN, checkpointNamed("plain"), 1_000);
    expect(await locateCurrentCheckpoint(storage, address)).toEqual({ key: GZIP, compression: "gzip" });
  });

  it("is read by content: a dev.json holding gzip bytes parses", async () => {
    const storage = new MemoryStorage();
    await storage.put(PLAIN, gzipSync(checkpointNamed("inside")));
    const current = await readCurrentCheckpoint(storage, address);
    expect(verifyCheckpoint(current!.bytes, "dev")).toMatchObject({ ok: true, resourceCount: 1 });
  });
});

describe("writing the current checkpoint", () => {
  it("compresses it for a compressed stack, leaving no uncompressed copy the engine could prefer", async () => {
    const storage = new MemoryStorage();
    putAt(storage, GZIP, gzipSync(checkpointNamed("old")), 1_000);
    const written = await writeCurrentCheckpoint(storage, address, checkpointNamed("restored"), "gzip");
    expect(written.key).toBe(GZIP);
    expect(compressionOfBytes(written.bytes)).toBe("gzip");
    expect([...storage.objects.keys()]).toEqual([GZIP]);
    const current = await readCurrentCheckpoint(storage, address);
    expect(componentOf(current!.bytes)).toBe("restored");
  });

  it("in another form than the stack's, moves the old object to <key>.bak as Pulumi does", async () => {
    const storage = new MemoryStorage();
    putAt(storage, PLAIN, checkpointNamed("old"), 1_000);
    await writeCurrentCheckpoint(storage, address, checkpointNamed("new"), "gzip");
    expect([...storage.objects.keys()].sort()).toEqual([PLAIN + ".bak", GZIP].sort());
    expect(componentOf(storage.objects.get(`${PLAIN}.bak`)!.body)).toBe("old");
    expect(componentOf(gunzipSync(storage.objects.get(GZIP)!.body))).toBe("new");

    await writeCurrentCheckpoint(storage, address, gzipSync(checkpointNamed("plain again")), "none");
    expect(storage.objects.has(GZIP)).toBe(false);
    expect(storage.objects.get(PLAIN)!.body.toString("utf8")).toBe(checkpointNamed("plain again").toString("utf8"));
  });

  it("keeps bytes already in the wanted form exactly as they are", () => {
    const gzipped = gzipSync(checkpointNamed("same"), { level: 1 });
    expect(compressAs(gzipped, "gzip")).toBe(gzipped);
  });
});

describe("damaged and unsupported compressed state", () => {
  it("verify reports a truncated gzip checkpoint instead of failing", () => {
    const gzipped = gzipSync(checkpointNamed("cut"));
    const report = verifyCheckpoint(gzipped.subarray(0, gzipped.length / 2), "dev");
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.message).toMatch(/^the checkpoint is gzip-compressed but does not decompress \(/);
  });

  it("verify names zstd and the fix", () => {
    const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    const report = verifyCheckpoint(zstd, "dev");
    expect(report.problems[0]!.message).toMatch(/zstd-compressed \(PULUMI_DIY_BACKEND_ZSTD\).*Fix: /);
  });

  it("history lists an unreadable compressed history file as such, keeping the numbering", async () => {
    const storage = new MemoryStorage();
    const prefix = ".pulumi/history/evalplatform/dev/dev-";
    const info = (message: string) =>
      gzipSync(JSON.stringify({ kind: "update", result: "succeeded", message, startTime: 1 }));
    await storage.put(`${prefix}1000000000000000000.history.json.gz`, info("sovstack up by a"));
    await storage.put(`${prefix}2000000000000000000.history.json.gz`, info("sovstack up by b").subarray(0, 10));
    await storage.put(
      `${prefix}3000000000000000000.history.json`,
      Buffer.from('{"kind": "update", "message": "sovstack up by c"}'),
    );
    const versions = await readHistory(storage, address);
    expect(versions.map(({ version, who, result }) => ({ version, who, result }))).toEqual([
      { version: 1, who: "a", result: "succeeded" },
      { version: 2, who: undefined, result: "unreadable" },
      { version: 3, who: "c", result: "unknown" },
    ]);
    expect(versions[1]!.message).toMatch(/^the history file is gzip-compressed but does not decompress/);
  });
});

describe("the engine's compression setting", () => {
  it("is read as Pulumi reads it: 1 or true, the alternative name only when the main one is unset", () => {
    expect(engineCompression({})).toBe("none");
    expect(engineCompression({ PULUMI_DIY_BACKEND_GZIP: "TRUE" })).toBe("gzip");
    expect(engineCompression({ PULUMI_DIY_BACKEND_GZIP: "1" })).toBe("gzip");
    expect(engineCompression({ PULUMI_DIY_BACKEND_GZIP: "yes" })).toBe("none");
    expect(engineCompression({ PULUMI_SELF_MANAGED_STATE_GZIP: "true" })).toBe("gzip");
    expect(engineCompression({ PULUMI_DIY_BACKEND_GZIP: "false", PULUMI_SELF_MANAGED_STATE_GZIP: "true" })).toBe(
      "none",
    );
    expect(engineCompression({ PULUMI_DIY_BACKEND_ZSTD: "true" })).toBe("zstd");
  });

  it("zstd is refused before the engine starts, naming the variable and the fix", async () => {
    const opened = openStack({ environment: "dev", env: { PULUMI_DIY_BACKEND_ZSTD: "true" } });
    await expect(opened).rejects.toBeInstanceOf(UsageError);
    await expect(opened).rejects.toThrow(/PULUMI_DIY_BACKEND_ZSTD .*Allowed: PULUMI_DIY_BACKEND_GZIP=true.*Fix: unset/);
  });
});
