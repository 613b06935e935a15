import { UsageError } from "../usageError";
import { findVersion, readHistory, type StateVersion } from "./history";
import { checkpointKey, historyPrefix, type StackAddress } from "./layout";
import { verifyCheckpoint, type VerifyReport } from "./verify";
import type { StateStorage } from "./storage/storage";

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

export interface RestoreResult {
  readonly restored: StateVersion;
  /** Where the state it replaced was kept, when there was one. */
  readonly previousKept?: string;
  readonly report: VerifyReport;
}

/**
 * Puts a past version of the stack's state back as its current state, after verifying
 * it. The state it replaces (even a corrupted one) is kept first, and the restore is
 * recorded in the history like an update, so that it can itself be undone. The caller
 * holds the stack's lease: nothing else writes meanwhile.
 */
export async function restoreVersion(
  storage: StateStorage,
  address: StackAddress,
  reference: string,
  who: string,
): Promise<RestoreResult> {
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
  const now = new Date();
  const previousKept = await keepCurrentState(storage, address);
  await storage.put(checkpointKey(address), bytes!);
  await recordInHistory(storage, address, bytes!, {
    kind: "import",
    message: `sovstack restore by ${who} of version ${target.version}`,
    startTime: Math.floor(now.getTime() / 1000),
    endTime: Math.floor(Date.now() / 1000),
    result: "succeeded",
    environment: {
      ...(target.commit ? { "git.head": target.commit } : {}),
      "sovstack.restoredVersion": String(target.version),
    },
  });
  return { restored: target, previousKept, report };
}

/**
 * Copies the current state (even a corrupted one) aside before it is replaced, so that a
 * restore can itself be undone on backends without object versions. Returns its key.
 */
export async function keepCurrentState(storage: StateStorage, address: StackAddress): Promise<string | undefined> {
  const current = await storage.get(checkpointKey(address));
  if (!current) return undefined;
  const key = `.sovstack/replaced/${address.project}/${address.stack}/${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  await storage.put(key, current);
  return key;
}

/** Adds an entry to Pulumi's history of the stack, in its format, with the checkpoint it left. */
export async function recordInHistory(
  storage: StateStorage,
  address: StackAddress,
  checkpoint: Buffer,
  info: Record<string, unknown>,
): Promise<void> {
  const stamp = `${BigInt(Date.now()) * 1_000_000n + BigInt(process.hrtime()[1] % 1_000_000)}`;
  const prefix = `${historyPrefix(address)}${address.stack}-${stamp}`;
  await storage.put(`${prefix}.checkpoint.json`, checkpoint);
  await storage.put(`${prefix}.history.json`, Buffer.from(JSON.stringify(info)));
}
