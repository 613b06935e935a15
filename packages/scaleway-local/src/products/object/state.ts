import type { Collection, Store } from "../../state/store";
import type { BlobStore } from "./storage";
import type { BucketRecord, UploadRecord, VersionData, VersionRecord } from "./model";

/** S3 orders keys by their UTF-8 bytes, not by UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Buckets, object versions and multipart uploads: metadata in the store (collections
 * `object.*`), bytes in the blob store. An index by bucket and key, newest version first,
 * is rebuilt at start so that reads never scan every object.
 */
export class ObjectState {
  readonly buckets: Collection<BucketRecord>;
  readonly uploads: Collection<UploadRecord>;
  private readonly versions: Collection<VersionRecord>;
  private readonly index = new Map<string, Map<string, VersionRecord[]>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private seq = 0;
  private lastVersionMicros = 0;

  constructor(
    store: Store,
    readonly blobs: BlobStore,
  ) {
    this.buckets = store.collection<BucketRecord>("object.buckets");
    this.uploads = store.collection<UploadRecord>("object.uploads");
    this.versions = store.collection<VersionRecord>("object.versions");
    for (const version of this.versions.list()) {
      // A crash between deleting bytes and saving the state leaves a version without them: drop it.
      if (version.blob && !blobs.exists(version.blob)) {
        this.versions.delete(version.id);
        continue;
      }
      this.keysOf(version.bucket, true).set(version.key, [...this.versionsOf(version.bucket, version.key), version]);
      this.seq = Math.max(this.seq, version.seq);
      if (/^\d+$/.test(version.versionId))
        this.lastVersionMicros = Math.max(this.lastVersionMicros, Number(version.versionId));
    }
    for (const keys of this.index.values()) for (const list of keys.values()) list.sort((a, b) => b.seq - a.seq);
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  /** Every version of a key, newest first, delete markers included. */
  versionsOf(bucket: string, key: string): readonly VersionRecord[] {
    return this.index.get(bucket)?.get(key) ?? [];
  }

  /** The newest version of a key, which may be a delete marker. */
  latest(bucket: string, key: string): VersionRecord | undefined {
    return this.versionsOf(bucket, key)[0];
  }

  /** The object a plain GET answers: the newest version unless it is a delete marker. */
  current(bucket: string, key: string): VersionRecord | undefined {
    const latest = this.latest(bucket, key);
    return latest && !latest.deleteMarker ? latest : undefined;
  }

  findVersion(bucket: string, key: string, versionId: string): VersionRecord | undefined {
    return this.versionsOf(bucket, key).find((version) => version.versionId === versionId);
  }

  /** Keys that have at least one version, in S3 order. */
  keys(bucket: string): readonly string[] {
    let sorted = this.sortedKeys.get(bucket);
    if (!sorted) {
      sorted = [...(this.index.get(bucket)?.keys() ?? [])].sort(compareKeys);
      this.sortedKeys.set(bucket, sorted);
    }
    return sorted;
  }

  isEmpty(bucket: string): boolean {
    return (this.index.get(bucket)?.size ?? 0) === 0;
  }

  /** A version ID like Scaleway's: microseconds since the epoch, always increasing. */
  newVersionId(): string {
    this.lastVersionMicros = Math.max(Date.now() * 1000, this.lastVersionMicros + 1);
    return String(this.lastVersionMicros);
  }

  /**
   * Adds a version as the newest of its key. A `null` version replaces the previous
   * `null` version of the key (unversioned or suspended buckets), whose bytes go.
   */
  add(version: VersionData): VersionRecord {
    if (version.versionId === "null") {
      const previous = this.findVersion(version.bucket, version.key, "null");
      if (previous) this.remove(previous);
    }
    const record: VersionRecord = {
      ...version,
      id: JSON.stringify([version.bucket, version.key, version.versionId]),
      seq: ++this.seq,
    };
    this.versions.insert(record);
    const keys = this.keysOf(version.bucket, true);
    if (!keys.has(version.key)) this.sortedKeys.delete(version.bucket);
    keys.set(version.key, [record, ...(keys.get(version.key) ?? [])]);
    return record;
  }

  /** Removes a version for good, with its bytes. */
  remove(version: VersionRecord): void {
    this.versions.delete(version.id);
    if (version.blob) this.blobs.remove(version.blob);
    const keys = this.keysOf(version.bucket, false);
    const remaining = (keys?.get(version.key) ?? []).filter((v) => v !== version);
    if (remaining.length) keys?.set(version.key, remaining);
    else if (keys?.delete(version.key)) this.sortedKeys.delete(version.bucket);
  }

  /** Records an in-place change of a bucket, version or upload. */
  changed(): void {
    this.versions.touch();
  }

  removeBucket(name: string): void {
    this.buckets.delete(name);
    this.index.delete(name);
    this.sortedKeys.delete(name);
  }

  private keysOf(bucket: string, create: true): Map<string, VersionRecord[]>;
  private keysOf(bucket: string, create: false): Map<string, VersionRecord[]> | undefined;
  private keysOf(bucket: string, create: boolean) {
    let keys = this.index.get(bucket);
    if (!keys && create) {
      keys = new Map();
      this.index.set(bucket, keys);
    }
    return keys;
  }
}
