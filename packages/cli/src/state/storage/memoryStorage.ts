import type { BackendLocation } from "../backendUrl";
import type { StateStorage, StoredObject } from "./storage";

/** Objects held in memory: a backup file's content, before it is written or after it is read. */
export class MemoryStorage implements StateStorage {
  readonly objects = new Map<string, { body: Buffer; modified: Date }>();

  constructor(readonly location: BackendLocation = { kind: "file", url: "memory://", dir: "" }) {}

  async get(key: string): Promise<Buffer | undefined> {
    return this.objects.get(key)?.body;
  }

  async put(key: string, body: Buffer): Promise<void> {
    this.objects.set(key, { body, modified: new Date() });
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, { body, modified }]) => ({ key, size: body.length, modified }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  async close(): Promise<void> {}
}
