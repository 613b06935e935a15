import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { notFound } from "../http/errors";

/** A record the local Scaleway keeps; keys starting with `_` are internal and never answered. */
export type StoredRecord = { id: string } & Record<string, unknown>;

/**
 * All state of the local Scaleway, one collection per kind of resource, saved as one
 * JSON file (written to a temporary file, then renamed, so a crash never leaves half a
 * file). Without a file, state lives in memory only.
 */
export class Store {
  private readonly data: Record<string, Record<string, StoredRecord>>;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly file?: string) {
    this.data = file ? loadState(file) : {};
  }

  collection<T extends StoredRecord>(name: string): Collection<T> {
    this.data[name] ??= {};
    return new Collection<T>(this.data[name] as Record<string, T>, () => this.changed());
  }

  /** Writes pending changes now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data));
    renameSync(temporary, this.file);
  }

  private changed(): void {
    if (!this.file || this.timer) return;
    // Coalesce bursts of writes; stop() flushes what is left.
    this.timer = setTimeout(() => this.flush(), 50);
  }
}

function loadState(file: string): Record<string, Record<string, StoredRecord>> {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, StoredRecord>>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(
      `The local Scaleway's state file ${file} is unreadable (${(error as Error).message}); start with --reset.`,
      { cause: error },
    );
  }
}

export class Collection<T extends StoredRecord> {
  constructor(
    private readonly records: Record<string, T>,
    private readonly changed: () => void,
  ) {}

  get(id: string): T | undefined {
    return this.records[id];
  }

  /** The record, or the API's 404 for `resource`. */
  require(id: string, resource: string): T {
    const record = this.records[id];
    if (!record) throw notFound(resource, id);
    return record;
  }

  list(filter: (record: T) => boolean = () => true): T[] {
    return Object.values(this.records).filter(filter);
  }

  insert(record: T): T {
    this.records[record.id] = record;
    this.changed();
    return record;
  }

  update(id: string, patch: Partial<T>): T {
    const record = { ...this.records[id]!, ...patch };
    this.records[id] = record;
    this.changed();
    return record;
  }

  delete(id: string): void {
    delete this.records[id];
    this.changed();
  }

  /** Saves a record changed in place (a status that moved on, say). */
  touch(): void {
    this.changed();
  }
}

/** The record as the API answers it: internal `_` keys removed. */
export function publicView<T extends Record<string, unknown>>(record: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith("_")));
}
