import { UsageError } from "../usageError";
import { isBackendUrl, redactedUrl } from "./backendUrl";
import { readBundle } from "./bundle";
import { compressAs, compressionOfKey, keyIn, type Compression } from "./compression";
import { copyHistory, readVerifiedCheckpoint, StateNotVerifiedError } from "./copy";
import {
  locateCurrentCheckpoint,
  readCurrentCheckpoint,
  writeCurrentCheckpoint,
  type CurrentCheckpoint,
} from "./currentCheckpoint";
import { findVersion, readHistory, timestampOf, versionKeys, type StateVersion } from "./history";
import { historyPrefix, type StackAddress } from "./layout";
import { openStorage } from "./storage/open";
import { verifyCheckpoint, type VerifyReport } from "./verify";
import type { StateStorage } from "./storage/storage";

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

export interface RestoreResult {
  /** The object now holding the current state (`.json`, or `.json.gz` for a compressed stack). */
  readonly key: string;
  /** Where the state it replaced was kept, when there was one. */
  readonly previousKept?: string;
  readonly report: VerifyReport;
}

/**
 * Puts a past version of the stack's state back as its current state, after verifying
 * it. The caller holds the stack's lease: nothing else writes meanwhile.
 */
export async function restoreVersion(
  storage: StateStorage,
  address: StackAddress,
  reference: string,
  who: string,
): Promise<RestoreResult & { readonly restored: StateVersion }> {
  const versions = await readHistory(storage, address, { countResources: false });
  if (!versions.length) throw new UsageError(`${address.stack} has no saved version to restore. Fix: check --backend.`);
  const target = findVersion(versions, reference);
  if (!target) {
    throw new UsageError(
      `${address.stack} has no version ${JSON.stringify(reference)}. Allowed: a version number 1–${versions.length}, ` +
        `a negative number counting back from the latest (-1), or a deployed commit. Fix: see \`sovstack state history ${address.stack}\`.`,
    );
  }
  const bytes = await storage.get(target.checkpointKey);
  const report = verifyCheckpoint(bytes, address.stack);
  if (!report.ok) {
    throw new RestoreRefusedError(
      `version ${target.version} of ${address.stack} does not verify, so it is not restored: ` +
        `${report.problems.map((problem) => problem.message).join("; ")}. Fix: pick another version.`,
    );
  }
  const replaced = await replaceCurrentState(
    storage,
    address,
    { who, what: `of version ${target.version}`, commit: target.commit, version: target.version },
    compressionOfKey(target.checkpointKey),
    (compression) => writeCurrentCheckpoint(storage, address, bytes!, compression),
  );
  return { ...replaced, restored: target, report };
}

/**
 * Puts the latest state of a backup (a `state backup` file, or a backend such as the
 * replica bucket) back as the stack's current state, after verifying it, with the backup's
 * history appended: the versions the backend already has keep their numbers, and the
 * backup's versions older than its latest are left out (see copyHistory). The caller
 * holds the lease.
 */
export async function restoreFromBackup(
  storage: StateStorage,
  address: StackAddress,
  from: string,
  who: string,
): Promise<RestoreResult & { readonly copied: number; readonly leftOut: number }> {
  const source = isBackendUrl(from) ? openStorage(from) : await readBundle(from, address);
  try {
    let latest;
    try {
      latest = await readVerifiedCheckpoint(source, address);
    } catch (error) {
      if (!(error instanceof StateNotVerifiedError)) throw error;
      throw new RestoreRefusedError(
        `the latest state of ${address.stack} in ${redactedUrl(from)} does not verify, so it is not restored: ${error.message}. ` +
          `Fix: pick another backup, or restore a version with \`sovstack state restore ${address.stack} <version>\`.`,
      );
    }
    let history = { copied: 0, leftOut: 0 };
    const replaced = await replaceCurrentState(
      storage,
      address,
      { who, what: `from ${redactedUrl(from)}`, from: redactedUrl(from) },
      latest.compression,
      async (compression) => {
        history = await copyHistory(source, storage, address);
        return writeCurrentCheckpoint(storage, address, latest.bytes, compression);
      },
    );
    return { ...replaced, report: latest.report, copied: history.copied + 1, leftOut: history.leftOut };
  } finally {
    await source.close();
  }
}

/** What a restore put back, as its history entry records it. */
interface RestoreRecord {
  readonly who: string;
  /** "of version 41", "from <backup>". */
  readonly what: string;
  readonly commit?: string;
  readonly version?: number;
  readonly from?: string;
}

/**
 * What both restores do around writing the state: the state it replaces (even a corrupted
 * one) is kept first, the new one is written in the form the stack is kept in (compressed
 * or not: that of its current object, else `fallback`), and the restore is recorded in the
 * history as an `import`, so that it can itself be undone.
 */
async function replaceCurrentState(
  storage: StateStorage,
  address: StackAddress,
  record: RestoreRecord,
  fallback: Compression,
  write: (compression: Compression) => Promise<CurrentCheckpoint & { readonly bytes: Buffer }>,
): Promise<Omit<RestoreResult, "report">> {
  const startTime = Math.floor(Date.now() / 1000);
  const compression = (await locateCurrentCheckpoint(storage, address))?.compression ?? fallback;
  if (compression === "zstd")
    throw new RestoreRefusedError(
      `the state of ${address.stack} is zstd-compressed (PULUMI_DIY_BACKEND_ZSTD), which sovstack cannot write, so nothing was restored. ` +
        `Fix: run one \`sovstack up ${address.stack}\` without PULUMI_DIY_BACKEND_ZSTD (PULUMI_DIY_BACKEND_GZIP=true to keep it compressed), then restore.`,
    );
  const previousKept = await keepCurrentState(storage, address);
  const written = await write(compression);
  await recordInHistory(storage, address, written, {
    kind: "import",
    message: `sovstack restore by ${record.who} ${record.what}`,
    startTime,
    endTime: Math.floor(Date.now() / 1000),
    result: "succeeded",
    environment: {
      ...(record.commit ? { "git.head": record.commit } : {}),
      ...(record.version ? { "sovstack.restoredVersion": String(record.version) } : {}),
      ...(record.from ? { "sovstack.restoredFrom": record.from } : {}),
    },
  });
  return { key: written.key, previousKept };
}

/**
 * Copies the current state (even a corrupted one) aside before it is replaced, so that a
 * restore can itself be undone on backends without object versions. Returns its key,
 * `.json.gz` when the state was compressed.
 */
export async function keepCurrentState(storage: StateStorage, address: StackAddress): Promise<string | undefined> {
  const current = await readCurrentCheckpoint(storage, address);
  if (!current) return undefined;
  const time = new Date().toISOString().replace(/[:.]/g, "-");
  const key = keyIn(`.sovstack/replaced/${address.project}/${address.stack}/${time}.json`, current.compression);
  await storage.put(key, current.bytes);
  return key;
}

/**
 * Adds an entry to Pulumi's history of the stack, in its format: the update's record and a
 * copy of the checkpoint it left, both compressed as that checkpoint is (as the engine
 * names and writes them).
 */
export async function recordInHistory(
  storage: StateStorage,
  address: StackAddress,
  checkpoint: CurrentCheckpoint & { readonly bytes: Buffer },
  info: Record<string, unknown>,
): Promise<void> {
  // After the latest version even when this machine's clock is behind the one that wrote it:
  // versions are ordered by this stamp, and the restore must be the latest.
  const now = BigInt(Date.now()) * 1_000_000n + BigInt(process.hrtime()[1] % 1_000_000);
  const latest = versionKeys(await storage.list(historyPrefix(address))).at(-1);
  const stamp = latest !== undefined && timestampOf(latest) >= now ? timestampOf(latest) + 1n : now;
  const prefix = `${historyPrefix(address)}${address.stack}-${stamp}`;
  await storage.put(keyIn(`${prefix}.checkpoint.json`, checkpoint.compression), checkpoint.bytes);
  await storage.put(
    keyIn(`${prefix}.history.json`, checkpoint.compression),
    compressAs(Buffer.from(JSON.stringify(info)), checkpoint.compression),
  );
}
