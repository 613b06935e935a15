import { execFile } from "node:child_process";
import { chown, copyFile, lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { OsUser } from "./osUser";

/**
 * Copies a folder with `cp -a` (modes and owners kept; several times faster than a copy
 * file by file in Node). From a running server, files may vanish while we copy (temporary
 * files): with `live`, those are skipped, as the base backup protocol makes the copy
 * consistent anyway; any other failure is an error.
 */
export function copyFolder(source: string, target: string, live = false): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("cp", ["-a", source, target], (error, _stdout, stderr) => {
      if (!error) return resolve();
      const problems = stderr
        .split("\n")
        .filter((line) => line.trim() && !(live && /No such file or directory/.test(line)));
      if (problems.length === 0) return resolve();
      reject(new Error(`copying ${source} to ${target} failed: ${problems.slice(0, 5).join("; ")}`));
    });
  });
}

/** Empties folders of a copy (their runtime contents must not travel) and removes files. */
export async function prune(root: string, emptied: readonly string[], removed: readonly string[]): Promise<void> {
  for (const folder of emptied) {
    const path = join(root, folder);
    const entries = await readdir(path).catch(() => [] as string[]);
    await Promise.all(entries.map((entry) => rm(join(path, entry), { recursive: true, force: true })));
  }
  await Promise.all(removed.map((file) => rm(join(root, file), { force: true })));
}

/** Copies the regular files of one folder (not below), for WAL segments. */
export async function copyFiles(source: string, target: string, owner?: OsUser): Promise<void> {
  for (const entry of await readdir(source)) {
    const from = join(source, entry);
    const info = await lstat(from).catch(() => undefined);
    if (!info?.isFile()) continue;
    await copyFile(from, join(target, entry));
    if (owner) await chown(join(target, entry), owner.uid, owner.gid);
  }
}
