import type { Compression } from "./compression";
import { readCurrentCheckpoint, writeCurrentCheckpoint, type CurrentCheckpoint } from "./currentCheckpoint";
import { checkBackupDestination, recordBackup } from "./backupDestination";
import { compareVersionKeys } from "./history";
import { META_CONTENT, META_KEY, historyPrefix, type StackAddress } from "./layout";
import { verifyCheckpoint, type VerifyReport } from "./verify";
import type { StateStorage, StoredObject } from "./storage/storage";
import { storedVersions } from "./storedVersions";

export interface CopyResult {
  readonly copied: number;
  readonly skipped: number;
  readonly bytes: number;
  /** The current state as written at the destination. */
  readonly checkpoint: CurrentCheckpoint;
}

export interface HistoryCopyResult extends Omit<CopyResult, "checkpoint"> {
  /**
   * Versions of the source the destination lacks that are older than its latest: not
   * copied, since they would take the numbers of versions the destination already has.
   */
  readonly leftOut: number;
}

export class StateNotVerifiedError extends Error {
  override name = "StateNotVerifiedError";
  constructor(readonly report: VerifyReport) {
    super(report.problems.map((problem) => problem.message).join("; "));
  }
}

/**
 * The stack's current state, as the engine reads it (compressed or not), after verifying
 * it: StateNotVerifiedError when it does not verify.
 */
export async function readVerifiedCheckpoint(
  storage: StateStorage,
  address: StackAddress,
): Promise<CurrentCheckpoint & { readonly bytes: Buffer; readonly report: VerifyReport }> {
  const current = await readCurrentCheckpoint(storage, address);
  const report = verifyCheckpoint(current?.bytes, address.stack);
  if (!current || !report.ok) throw new StateNotVerifiedError(report);
  return { ...current, report };
}

/**
 * Copies the stack's history from one backend to another, appending only: the versions
 * the destination has keep their numbers. A version it has (same key) is skipped, or its
 * missing or truncated object copied again; a version it lacks is copied when it is newer
 * than the destination's latest, and left out otherwise (`leftOut`), since inserting it
 * would renumber every later version. History objects never change once written, so a
 * repeated backup copies only what is new. Objects keep their names: a compressed history
 * stays compressed.
 */
export async function copyHistory(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
): Promise<HistoryCopyResult> {
  if (!(await destination.get(META_KEY))) await destination.put(META_KEY, Buffer.from(META_CONTENT));
  const prefix = historyPrefix(address);
  const [from, to] = await Promise.all([source.list(prefix), destination.list(prefix)]);
  const present = new Map(to.map((object) => [object.key, object.size]));
  const theirs = storedVersions(to).versions;
  const stems = new Set(theirs.map((version) => version.stem));
  const latest = theirs.at(-1)?.historyKey;
  const mine = storedVersions(from);
  const result = { copied: 0, skipped: 0, bytes: 0, leftOut: 0 };
  const copy = async (objects: readonly StoredObject[]) => {
    for (const object of objects) {
      if (present.get(object.key) === object.size) {
        result.skipped++;
        continue;
      }
      const body = await source.get(object.key);
      if (!body) continue; // deleted meanwhile
      await destination.put(object.key, body);
      result.copied++;
      result.bytes += body.length;
    }
  };
  for (const version of mine.versions) {
    if (!stems.has(version.stem) && latest && compareVersionKeys(version.historyKey, latest) < 0) result.leftOut++;
    else await copy(version.objects); // checkpoint copy first: a listed version always has its state
  }
  await copy(mine.others);
  return result;
}

/**
 * Copies a stack (current checkpoint and its whole history) from one backend to another:
 * a backup, or a migration to an empty backend. The destination must hold an older copy
 * of the same stack, or none (see checkBackupDestination): a newer or different state
 * there is refused, nothing copied. The current checkpoint is always copied, last, after
 * verifying it, so that the destination never points at a bad state. It keeps the
 * source's form (`.json` or `.json.gz`) unless `compression` says otherwise. With
 * `recordBackup`, the destination notes what it received, so that the next backup knows
 * its current state came from here.
 */
export async function copyStack(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
  options: { readonly compression?: Compression; readonly recordBackup?: boolean } = {},
): Promise<CopyResult> {
  let current;
  try {
    current = await readVerifiedCheckpoint(source, address);
  } catch (error) {
    if (!(error instanceof StateNotVerifiedError)) throw error;
    throw new Error(
      `the current state of ${address.stack} does not verify (${error.message}); ` +
        `nothing was copied. Fix: \`sovstack state restore ${address.stack} -1\` or an earlier version first.`,
      { cause: error },
    );
  }
  await checkBackupDestination(source, destination, address, current.bytes);
  const history = await copyHistory(source, destination, address);
  // Noted before the state is written: a backup killed in between leaves the destination on
  // one of the source's versions, which the next backup accepts; noted after, it could not.
  if (options.recordBackup) await recordBackup(source, destination, address, current.bytes);
  const checkpoint = await writeCurrentCheckpoint(
    destination,
    address,
    current.bytes,
    options.compression ?? current.compression,
  );
  return {
    copied: history.copied + 1,
    skipped: history.skipped,
    bytes: history.bytes + checkpoint.bytes.length,
    checkpoint: { key: checkpoint.key, compression: checkpoint.compression },
  };
}
