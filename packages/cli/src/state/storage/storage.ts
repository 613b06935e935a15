import type { BackendLocation } from "../backendUrl";

export interface StoredObject {
  /** Key as Pulumi's DIY backend names it: `.pulumi/stacks/<project>/<stack>.json`. */
  readonly key: string;
  readonly size: number;
  readonly modified: Date;
}

/**
 * The objects of a state backend, whatever keeps them: a folder, a bucket or a table.
 * sovstack reads and writes Pulumi's own layout through this, so that history, backup,
 * restore and verification work the same on every backend.
 */
export interface StateStorage {
  readonly location: BackendLocation;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  close(): Promise<void>;
}
