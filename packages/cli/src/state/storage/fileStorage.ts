import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { BackendLocation } from "../backendUrl";
import type { StateStorage, StoredObject } from "./storage";

/**
 * A file:// backend. Pulumi's file backend keeps a `<key>.attrs` sidecar (content type,
 * checksum) beside each object; a write here removes it so that it never describes
 * other bytes, and listings leave the sidecars out.
 */
export class FileStorage implements StateStorage {
  constructor(readonly location: Extract<BackendLocation, { kind: "file" }>) {}

  private path(key: string): string {
    return join(this.location.dir, ...key.split("/"));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside then renamed: a reader never sees half an object.
    const temporary = `${path}.sovstack-${process.pid}-${Date.now()}`;
    await writeFile(temporary, body);
    await rename(temporary, path);
    await rm(`${path}.attrs`, { force: true });
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
    await rm(`${this.path(key)}.attrs`, { force: true });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    // Walk only the folder the prefix names: history folders can hold thousands of files.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const found: StoredObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.endsWith(".attrs") && !entry.name.includes(".sovstack-")) {
          const key = relative(this.location.dir, path).split(sep).join("/");
          if (!key.startsWith(prefix)) continue;
          const info = await stat(path);
          found.push({ key, size: info.size, modified: info.mtime });
        }
      }
    };
    await walk(this.path(folder));
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async close(): Promise<void> {}
}
