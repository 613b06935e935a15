import { compressAs, compressionOfKey, keyIn, type Compression } from "./compression";
import { checkpointKey, type StackAddress } from "./layout";
import type { StateStorage } from "./storage/storage";

/** The object that holds a stack's current state, and the form it is stored in. */
export interface CurrentCheckpoint {
  readonly key: string;
  readonly compression: Compression;
}

/** The forms in the order a listing returns them: on equal times, the engine takes the last. */
const FORMS: readonly Compression[] = ["none", "gzip", "zstd"];

/**
 * Which object the engine reads as the stack's current state. A stack can have
 * `<stack>.json`, `<stack>.json.gz` and `<stack>.json.zst`; Pulumi's DIY backend (stackPath
 * in backend/diy/state.go) lists them and takes the most recently modified, the later in
 * key order on equal times, whatever compression it is configured to write. `.bak` copies
 * are not candidates. Undefined when the stack has no checkpoint.
 */
export async function locateCurrentCheckpoint(
  storage: StateStorage,
  address: StackAddress,
): Promise<CurrentCheckpoint | undefined> {
  const jsonKey = checkpointKey(address);
  let best: { key: string; compression: Compression; modified: number } | undefined;
  const candidates = (await storage.list(jsonKey))
    .map((object) => ({ ...object, compression: FORMS.find((form) => keyIn(jsonKey, form) === object.key) }))
    .filter((object) => object.compression !== undefined)
    .sort((a, b) => FORMS.indexOf(a.compression!) - FORMS.indexOf(b.compression!));
  for (const object of candidates)
    if (!best || object.modified.getTime() >= best.modified)
      best = { key: object.key, compression: object.compression!, modified: object.modified.getTime() };
  return best && { key: best.key, compression: best.compression };
}

/** The stack's current state as the engine reads it, with its bytes as stored. */
export async function readCurrentCheckpoint(
  storage: StateStorage,
  address: StackAddress,
): Promise<(CurrentCheckpoint & { readonly bytes: Buffer }) | undefined> {
  const current = await locateCurrentCheckpoint(storage, address);
  const bytes = current && (await storage.get(current.key));
  return bytes && { ...current!, bytes };
}

/**
 * Writes `bytes` as the stack's current state, stored with `compression` (compressed or
 * decompressed as needed), so that it is what the engine reads next. When the stack's
 * current object is in another form, it is moved to `<its key>.bak`, as Pulumi does when
 * its compression setting changes (saveCheckpoint): one form remains. Pulumi moves the old
 * object before writing the new one; here the new one is written first, so that the stack
 * is never without a checkpoint.
 */
export async function writeCurrentCheckpoint(
  storage: StateStorage,
  address: StackAddress,
  bytes: Buffer,
  compression: Compression,
): Promise<CurrentCheckpoint & { readonly bytes: Buffer }> {
  const stored = compressAs(bytes, compression);
  const previous = await locateCurrentCheckpoint(storage, address);
  const key = keyIn(checkpointKey(address), compression);
  await storage.put(key, stored);
  if (previous && previous.key !== key) {
    const old = await storage.get(previous.key);
    if (old) await storage.put(`${previous.key}.bak`, old);
    await storage.delete(previous.key);
  }
  return { key, compression: compressionOfKey(key), bytes: stored };
}
