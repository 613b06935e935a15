import type { StoredRecord } from "../../state/store";
import type { Checksum, ChecksumAlgorithm } from "./checksums";

/** What buckets and objects are made of, as kept in the store (JSON: null, never undefined). */

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export type Permission = "FULL_CONTROL" | "READ" | "WRITE" | "READ_ACP" | "WRITE_ACP";

export type Grantee =
  { readonly type: "CanonicalUser"; readonly id: string } | { readonly type: "Group"; readonly uri: string };

export interface Grant {
  readonly grantee: Grantee;
  readonly permission: Permission;
}

export interface Acl {
  /** Canonical ID of the owner: `<project>:<project>`, as Scaleway shows it. */
  readonly owner: string;
  readonly grants: readonly Grant[];
}

export type VersioningStatus = "" | "Enabled" | "Suspended";
export type RetentionMode = "GOVERNANCE" | "COMPLIANCE";

export interface DefaultRetention {
  readonly mode: RetentionMode;
  readonly days: number | null;
  readonly years: number | null;
}

export interface BucketRecord extends StoredRecord {
  /** The bucket name: names are unique across regions. */
  id: string;
  region: string;
  /** Project that owns the bucket. */
  project: string;
  createdAt: string;
  versioning: VersioningStatus;
  objectLock: boolean;
  objectLockRule: DefaultRetention | null;
  acl: Acl;
  tags: Tag[] | null;
  policy: string | null;
  /** Settings documents, normalised from what the client sent (see each setting's module). */
  cors: unknown[] | null;
  lifecycle: unknown[] | null;
  website: Record<string, unknown> | null;
  encryption: unknown[] | null;
}

/** Server-side encryption of one object: SSE-S3 (AES256) or a customer key (SSE-C, its MD5 kept). */
export interface ObjectEncryption {
  readonly algorithm: "AES256";
  readonly customerKeyMd5: string | null;
}

export interface Retention {
  readonly mode: RetentionMode;
  readonly until: string;
}

/** One version of an object, or a delete marker. Unversioned buckets hold the `null` version only. */
export interface VersionData {
  bucket: string;
  key: string;
  versionId: string;
  deleteMarker: boolean;
  lastModified: number;
  /** Quoted, as in the ETag header. */
  etag: string;
  size: number;
  blob: string | null;
  /** Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires... */
  headers: Record<string, string>;
  /** x-amz-meta-* values, by lower-case name without the prefix. */
  metadata: Record<string, string>;
  storageClass: string;
  checksum: Checksum | null;
  tags: Tag[];
  acl: Acl;
  encryption: ObjectEncryption | null;
  retention: Retention | null;
  legalHold: boolean;
  partsCount: number | null;
}

export interface VersionRecord extends StoredRecord, VersionData {
  /** Creation order across the whole server: the newest version of a key has the highest. */
  seq: number;
}

export interface PartRecord {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly blob: string;
  readonly lastModified: number;
  readonly checksum: string | null;
}

/** A multipart upload in progress: what the object will be, and the parts so far. */
export interface UploadRecord extends StoredRecord {
  bucket: string;
  key: string;
  initiated: number;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  storageClass: string;
  acl: Acl;
  tags: Tag[];
  encryption: ObjectEncryption | null;
  retention: Retention | null;
  legalHold: boolean;
  checksumAlgorithm: ChecksumAlgorithm | null;
  parts: Record<string, PartRecord>;
}
