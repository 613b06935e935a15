import { META_CONTENT, META_KEY, checkpointKey, stackPrefixes, type StackAddress } from "./layout";
import { verifyCheckpoint } from "./verify";
import type { StateStorage } from "./storage/storage";

export interface CopyResult {
  readonly copied: number;
  readonly skipped: number;
  readonly bytes: number;
}

/**
 * Copies a stack (current checkpoint and its whole history) from one backend to another.
 * History objects never change once written, so those the destination has are skipped:
 * a repeated backup copies only what is new. The current checkpoint is always copied,
 * last, after verifying it, so that the destination never points at a bad state.
 */
export async function copyStack(
  source: StateStorage,
  destination: StateStorage,
  address: StackAddress,
): Promise<CopyResult> {
  const current = await source.get(checkpointKey(address));
  const report = verifyCheckpoint(current, address.stack);
  if (!report.ok) {
    throw new Error(
      `the current state of ${address.stack} does not verify (${report.problems.map((p) => p.message).join("; ")}); ` +
        `nothing was copied. Fix: \`sovstack state restore ${address.stack} -1\` or an earlier version first.`,
    );
  }
  if (!(await destination.get(META_KEY))) await destination.put(META_KEY, Buffer.from(META_CONTENT));
  const [, history] = stackPrefixes(address);
  const present = new Map((await destination.list(history!)).map((object) => [object.key, object.size]));
  let copied = 0;
  let skipped = 0;
  let bytes = 0;
  for (const object of await source.list(history!)) {
    if (present.get(object.key) === object.size) {
      skipped++;
      continue;
    }
    const body = (await source.get(object.key))!;
    await destination.put(object.key, body);
    copied++;
    bytes += body.length;
  }
  await destination.put(checkpointKey(address), current!);
  return { copied: copied + 1, skipped, bytes: bytes + current!.length };
}
