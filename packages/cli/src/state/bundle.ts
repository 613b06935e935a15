import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { StackAddress } from "./layout";
import { MemoryStorage } from "./storage/memoryStorage";

const FORMAT = "sovstack-state-backup/1";

/** A backup of one stack in one file: every object of it, base64-encoded. */
interface StateBundle {
  readonly format: typeof FORMAT;
  readonly project: string;
  readonly stack: string;
  readonly createdAt: string;
  readonly objects: ReadonlyArray<{ readonly key: string; readonly data: string }>;
}

/** Writes a stack copied into memory (see copyStack) as a backup file, readable by its owner only. */
export async function writeBundle(memory: MemoryStorage, address: StackAddress, path: string): Promise<number> {
  const objects = [...memory.objects].map(([key, { body }]) => ({ key, data: body.toString("base64") }));
  const bundle: StateBundle = { format: FORMAT, ...address, createdAt: new Date().toISOString(), objects };
  const text = JSON.stringify(bundle);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.partial`, text, { mode: 0o600 });
  await rename(`${path}.partial`, path);
  return text.length;
}

/** A backup file as storage to copy the stack from. */
export async function readBundle(path: string, address: StackAddress): Promise<MemoryStorage> {
  let bundle: StateBundle;
  try {
    bundle = JSON.parse(await readFile(path, "utf8")) as StateBundle;
  } catch (error) {
    throw new Error(`${path} cannot be read as a backup: ${(error as Error).message}`, { cause: error });
  }
  if (bundle.format !== FORMAT)
    throw new Error(
      `${path} is not a sovstack state backup (format ${JSON.stringify(bundle.format)}, expected ${FORMAT}).`,
    );
  if (bundle.project !== address.project || bundle.stack !== address.stack)
    throw new Error(
      `${path} is a backup of ${bundle.project}/${bundle.stack}, not ${address.project}/${address.stack}. Fix: pick the backup of this stack.`,
    );
  const memory = new MemoryStorage();
  for (const object of bundle.objects) await memory.put(object.key, Buffer.from(object.data, "base64"));
  return memory;
}
