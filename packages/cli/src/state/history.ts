import { declaredResources, parseCheckpoint } from "./checkpoint";
import { decompress, UnreadableObjectError } from "./compression";
import { historyPrefix, type StackAddress } from "./layout";
import type { StateStorage } from "./storage/storage";

/** One saved version of a stack's state: an update, refresh, destroy or restore, and what it left. */
export interface StateVersion {
  /** 1 for the first update of the stack, counting up. */
  readonly version: number;
  /** update, refresh, destroy, import (sovstack's restore)... */
  readonly kind: string;
  readonly result: string;
  readonly startTime: string;
  readonly endTime?: string;
  /** Who ran it: from sovstack's update message, else the commit's author. */
  readonly who?: string;
  readonly commit?: string;
  /** The commit had uncommitted changes when it was deployed. */
  readonly dirty?: boolean;
  readonly message?: string;
  /** Resources in the state after it (the stack and providers left out), when its checkpoint copy is readable. */
  readonly resourceCount?: number;
  /** What it did: { create: 3, update: 1, same: 20 }. */
  readonly changes: Readonly<Record<string, number>>;
  /** Keys of its two objects in the backend. */
  readonly historyKey: string;
  readonly checkpointKey: string;
}

interface UpdateInfo {
  readonly kind?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly message?: string;
  readonly result?: string;
  readonly environment?: Record<string, string>;
  readonly resourceChanges?: Record<string, number>;
}

/** sovstack's update messages: "sovstack up by alice@laptop". */
const WHO_IN_MESSAGE = /^sovstack \S+(?: .*)? by (\S+)/;

/**
 * The stack's versions, oldest first, read from Pulumi's history files (one per update,
 * with a copy of the checkpoint the update left). Checkpoint copies are read a few at a
 * time to count resources.
 */
export async function readHistory(
  storage: StateStorage,
  address: StackAddress,
  options: { readonly countResources?: boolean } = {},
): Promise<StateVersion[]> {
  const objects = await storage.list(historyPrefix(address));
  const historyKeys = versionKeys(objects);
  const checkpoints = new Set(objects.map((object) => object.key));
  const versions = await mapLimited(historyKeys, 8, async (historyKey, index): Promise<StateVersion> => {
    const checkpointKey = checkpointKeyOf(historyKey);
    const { info, unreadable } = await readUpdateInfo(storage, historyKey);
    const environment = info.environment ?? {};
    let resourceCount: number | undefined;
    if (options.countResources !== false && checkpoints.has(checkpointKey)) {
      try {
        resourceCount = declaredResources(parseCheckpoint((await storage.get(checkpointKey))!)).length;
      } catch {
        resourceCount = undefined; // unreadable copy: `state verify --version` says why
      }
    }
    return {
      version: index + 1,
      kind: info.kind ?? "unknown",
      result: unreadable ? "unreadable" : (info.result ?? "unknown"),
      startTime: new Date(
        info.startTime ? info.startTime * 1000 : Number(timestampOf(historyKey) / 1_000_000n),
      ).toISOString(),
      endTime: info.endTime ? new Date(info.endTime * 1000).toISOString() : undefined,
      who: WHO_IN_MESSAGE.exec(info.message ?? "")?.[1] ?? environment["git.author"],
      commit: environment["git.head"],
      dirty: environment["git.dirty"] === "true" ? true : undefined,
      message: unreadable ?? (info.message || undefined),
      resourceCount,
      changes: Object.fromEntries(Object.entries(info.resourceChanges ?? {}).filter(([, count]) => count > 0)),
      historyKey,
      checkpointKey,
    };
  });
  return versions;
}

/**
 * A history file, compressed or not (read by content, as the engine reads it). One that
 * cannot be read stays in the list, saying why, so that the versions keep their numbers.
 */
async function readUpdateInfo(
  storage: StateStorage,
  key: string,
): Promise<{ readonly info: UpdateInfo; readonly unreadable?: string }> {
  const body = await storage.get(key);
  if (!body) return { info: {} };
  try {
    return { info: JSON.parse(decompress(body).toString("utf8")) as UpdateInfo };
  } catch (error) {
    const why =
      error instanceof UnreadableObjectError ? error.message : `is not valid JSON (${(error as Error).message})`;
    return { info: {}, unreadable: `the history file ${why}` };
  }
}

/** A version by number (negative counts back from the latest: -1 is the latest) or by commit prefix. */
export function findVersion(versions: readonly StateVersion[], reference: string): StateVersion | undefined {
  if (/^-?\d+$/.test(reference)) {
    const number = Number(reference);
    return number < 0 ? versions.at(number) : versions.find((version) => version.version === number);
  }
  if (/^[0-9a-f]{4,40}$/i.test(reference)) {
    const matches = versions.filter((version) => version.commit?.startsWith(reference.toLowerCase()));
    return matches.at(-1);
  }
  return undefined;
}

/**
 * The history files of a listing of the stack's history folder, in the order of its
 * versions: by the time in their names (the engine's clock), then by key.
 */
export function versionKeys(objects: readonly { readonly key: string }[]): string[] {
  return objects
    .map((object) => object.key)
    .filter((key) => HISTORY_FILE.test(key))
    .sort(compareVersionKeys);
}

/** The order of two versions, by the keys of their files: negative when `a` is the older. */
export function compareVersionKeys(a: string, b: string): number {
  return compareBigInt(timestampOf(a), timestampOf(b)) || versionStem(a).localeCompare(versionStem(b));
}

/** The checkpoint copy beside a history file: `<stack>-<ns>.checkpoint.json[.gz]`. */
export function checkpointKeyOf(historyKey: string): string {
  return historyKey.replace(".history.", ".checkpoint.");
}

/** What names a version whatever its compression: `<prefix><stack>-<ns>`. */
export function versionStem(key: string): string {
  return key.replace(/\.(history|checkpoint)\.json(\.gz|\.zst)?$/, "");
}

const HISTORY_FILE = /\.history\.json(\.gz|\.zst)?$/;

/** `<stack>-<unix nanoseconds>.history.json` → the nanoseconds (beyond a double's precision). */
export function timestampOf(key: string): bigint {
  const match = /-(\d+)\.(history|checkpoint)\.json/.exec(key);
  return match ? BigInt(match[1]!) : 0n;
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
