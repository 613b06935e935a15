import type { Compression } from "./compression";
import { readCurrentCheckpoint, writeCurrentCheckpoint, type CurrentCheckpoint } from "./currentCheckpoint";
import { META_CONTENT, META_KEY, historyPrefix, type StackAddress } from "./layout";
import { verifyCheckpoint, type VerifyReport } from "./verify";
import type { StateStorage } from "./storage/storage";

export interface CopyResult {
  readonly copied: number;
  readonly skipped: number;
  readonly bytes: number;
  /** The current state as written at the destination. */
  readonly checkpoint: CurrentCheckpoint;
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
 * Copies the stack's history from one backend to another. History objects never change
 * once written, so those the destination has (same key, same size) are skipped: a
 * repeated backup copies only what is new. They keep their names, so a compressed
 * history stays compressed.
 */
export async function copyHistory(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
): Promise<Omit<CopyResult, "checkpoint">> {
  if (!(await destination.get(META_KEY))) await destination.put(META_KEY, Buffer.from(META_CONTENT));
  const prefix = historyPrefix(address);
  const present = new Map((await destination.list(prefix)).map((object) => [object.key, object.size]));
  let copied = 0;
  let skipped = 0;
  let bytes = 0;
  for (const object of await source.list(prefix)) {
    if (present.get(object.key) === object.size) {
      skipped++;
      continue;
    }
    const body = (await source.get(object.key))!;
    await destination.put(object.key, body);
    copied++;
    bytes += body.length;
  }
  return { copied, skipped, bytes };
}

/**
 * Copies a stack (current checkpoint and its whole history) from one backend to another.
 * The current checkpoint is always copied, last, after verifying it, so that the
 * destination never points at a bad state. It keeps the source's form (`.json` or
 * `.json.gz`) unless `compression` says otherwise.
 */
export async function copyStack(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
  options: { readonly compression?: Compression } = {},
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
  const history = await copyHistory(source, destination, address);
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
