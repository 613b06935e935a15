import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Where object bytes live, by blob ID (object metadata lives in the store). Blobs are
 * never changed once written: a new object version is a new blob, so a reader never sees
 * half an overwrite. Operations are synchronous so that a conditional write checks and
 * commits with nothing in between.
 */
export interface BlobStore {
  write(id: string, data: Buffer): void;
  read(id: string): Buffer;
  /** Bytes `start` to `end` inclusive. */
  readRange(id: string, start: number, end: number): Buffer;
  remove(id: string): void;
  exists(id: string): boolean;
}

/** Blobs as files under `<dataDir>/objects/`, so they persist across restarts. */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly folder: string) {
    mkdirSync(folder, { recursive: true });
  }

  private path(id: string): string {
    // Two-character fan-out keeps folders small.
    return join(this.folder, id.slice(0, 2), id);
  }

  write(id: string, data: Buffer): void {
    const path = this.path(id);
    mkdirSync(join(this.folder, id.slice(0, 2)), { recursive: true });
    writeFileSync(path, data);
  }

  read(id: string): Buffer {
    return readFileSync(this.path(id));
  }

  readRange(id: string, start: number, end: number): Buffer {
    const buffer = Buffer.alloc(end - start + 1);
    const fd = openSync(this.path(id), "r");
    try {
      let offset = 0;
      while (offset < buffer.length) {
        const read = readSync(fd, buffer, offset, buffer.length - offset, start + offset);
        if (read === 0) break;
        offset += read;
      }
      return buffer.subarray(0, offset);
    } finally {
      closeSync(fd);
    }
  }

  remove(id: string): void {
    rmSync(this.path(id), { force: true });
  }

  exists(id: string): boolean {
    return existsSync(this.path(id));
  }
}

/** Blobs in memory, for a local Scaleway without a data folder. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  write(id: string, data: Buffer): void {
    // A copy: the caller's buffer may be a view on a request body that is reused.
    this.blobs.set(id, Buffer.from(data));
  }

  read(id: string): Buffer {
    const blob = this.blobs.get(id);
    if (!blob) throw new Error(`blob ${id} is missing`);
    return blob;
  }

  readRange(id: string, start: number, end: number): Buffer {
    return this.read(id).subarray(start, end + 1);
  }

  remove(id: string): void {
    this.blobs.delete(id);
  }

  exists(id: string): boolean {
    return this.blobs.has(id);
  }
}
