import { randomUUID } from "node:crypto";
import { aclFromHeaders, privateAcl } from "./acl";
import { checksumElement, checksumHeader, computeChecksum, md5Hex, parseAlgorithm, type Checksum } from "./checksums";
import { checkWriteConditions, notModified } from "./conditions";
import { checkCustomerKey, encryptionForWrite, encryptionHeaders } from "./encryption";
import {
  S3Error,
  invalidArgument,
  invalidRange,
  invalidRequest,
  invalidStorageClass,
  malformedXml,
  metadataTooLarge,
  noSuchKey,
  noSuchVersion,
  preconditionFailed,
} from "./errors";
import type { BucketRecord, VersionData, VersionRecord } from "./model";
import { assertNotLocked, lockHeaders, retentionForWrite } from "./object-lock";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { tagsFromHeader } from "./tagging";
import { nextVersionId, readableVersion, requestedVersionId, versionIdHeader } from "./versions";
import { S3_NAMESPACE, children, el, opt, parseXml, textOf } from "./xml";

/** Headers kept with an object and answered as they were sent. */
const STORED_HEADERS = [
  "content-type",
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
  "x-amz-website-redirect-location",
];
/** Storage classes Scaleway offers. */
const STORAGE_CLASSES = ["STANDARD", "ONEZONE_IA", "GLACIER"];
const METADATA_LIMIT = 2048;
const KEY_LIMIT = 1024;

export function storedHeaders(request: S3Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = header(request, name);
    if (value !== undefined) headers[name] = value;
  }
  // aws-chunked is how the body travelled, not how the object is encoded.
  const encoding = (headers["content-encoding"] ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part && part !== "aws-chunked");
  if (encoding.length) headers["content-encoding"] = encoding.join(",");
  else delete headers["content-encoding"];
  headers["content-type"] ??= "binary/octet-stream";
  return headers;
}

export function metadataOf(request: S3Request): Record<string, string> {
  const metadata: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith("x-amz-meta-") || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : value;
    metadata[name.slice("x-amz-meta-".length)] = text;
    size += name.length - "x-amz-meta-".length + text.length;
  }
  if (size > METADATA_LIMIT) throw metadataTooLarge();
  return metadata;
}

export function storageClassOf(request: S3Request): string {
  const storageClass = header(request, "x-amz-storage-class") ?? "STANDARD";
  if (!STORAGE_CLASSES.includes(storageClass)) throw invalidStorageClass();
  return storageClass;
}

export function checkKey(request: S3Request): string {
  const key = request.key!;
  if (Buffer.byteLength(key) > KEY_LIMIT)
    throw new S3Error(400, "KeyTooLongError", "Your key is too long", { Key: key.slice(0, 64) });
  return key;
}

export type NewVersion = Omit<VersionData, "bucket" | "key" | "versionId" | "deleteMarker">;

/**
 * Makes `fields` the newest version of the request's key. Conditional headers are checked
 * against the current object here, with no await between check and commit, so that
 * `If-None-Match: *` works as a lock. A `null` version that gets replaced must not be locked.
 */
export function commitVersion(service: ObjectService, bucket: BucketRecord, request: S3Request, fields: NewVersion) {
  const key = request.key!;
  checkWriteConditions(request, service.state.current(bucket.id, key));
  const versionId = nextVersionId(service, bucket);
  const replaced = versionId === "null" ? service.state.findVersion(bucket.id, key, "null") : undefined;
  if (replaced && !replaced.deleteMarker) assertNotLocked(replaced, request);
  return service.state.add({ ...fields, bucket: bucket.id, key, versionId, deleteMarker: false });
}

/** Writes the bytes, then commits; the bytes go again when the commit is refused. */
export function storeVersion(
  service: ObjectService,
  bucket: BucketRecord,
  request: S3Request,
  data: Buffer,
  fields: Omit<NewVersion, "blob" | "size">,
): VersionRecord {
  const blob = randomUUID();
  service.state.blobs.write(blob, data);
  try {
    return commitVersion(service, bucket, request, { ...fields, blob, size: data.length });
  } catch (error) {
    service.state.blobs.remove(blob);
    throw error;
  }
}

export function checksumHeaders(checksum: Checksum | null): Record<string, string> {
  return checksum ? { [checksumHeader(checksum.algorithm)]: checksum.value, "x-amz-checksum-type": checksum.type } : {};
}

export function putObject(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  checkKey(request);
  const owner = service.canonicalId(bucket.project);
  const lock = retentionForWrite(bucket, request);
  const version = storeVersion(service, bucket, request, request.body, {
    lastModified: Date.now(),
    etag: `"${md5Hex(request.body)}"`,
    headers: storedHeaders(request),
    metadata: metadataOf(request),
    storageClass: storageClassOf(request),
    checksum: request.checksum ?? null,
    tags: tagsFromHeader(request),
    acl: aclFromHeaders(request, owner) ?? privateAcl(owner),
    encryption: encryptionForWrite(bucket, request),
    retention: lock.retention,
    legalHold: lock.legalHold,
    partsCount: null,
  });
  return {
    headers: {
      etag: version.etag,
      "x-amz-version-id": versionIdHeader(bucket, version),
      ...checksumHeaders(version.checksum),
      ...encryptionHeaders(version.encryption),
    },
  };
}

/** The headers that describe an object, on GET and HEAD. */
function objectHeaders(
  bucket: BucketRecord,
  version: VersionRecord,
  request: S3Request,
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {
    "accept-ranges": "bytes",
    ...version.headers,
    etag: version.etag,
    "last-modified": new Date(version.lastModified).toUTCString(),
    "x-amz-version-id": versionIdHeader(bucket, version),
    "x-amz-storage-class": version.storageClass === "STANDARD" ? undefined : version.storageClass,
    "x-amz-tagging-count": version.tags.length ? String(version.tags.length) : undefined,
    "x-amz-mp-parts-count":
      version.partsCount && request.query.has("partNumber") ? String(version.partsCount) : undefined,
    ...encryptionHeaders(version.encryption),
    ...lockHeaders(version),
  };
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  // response-* query parameters override what the object says about itself.
  for (const name of [
    "content-type",
    "content-language",
    "expires",
    "cache-control",
    "content-disposition",
    "content-encoding",
  ]) {
    const override = request.query.get(`response-${name}`);
    if (override !== null) headers[name] = override;
  }
  return headers;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; several ranges or bad syntax: the whole object, as S3 does. */
function rangeOf(value: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = value ? /^bytes=(\d*)-(\d*)$/.exec(value.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) throw invalidRange(value!, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(value!, size);
  return { start, end };
}

function readObject(service: ObjectService, request: S3Request, withBody: boolean): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  checkCustomerKey(version.encryption, request);
  const headers = objectHeaders(bucket, version, request);
  if (notModified(request, version)) {
    return { status: 304, headers: { etag: version.etag, "last-modified": headers["last-modified"] } };
  }
  const range = rangeOf(header(request, "range"), version.size);
  // A checksum describes the whole object: answered only when asked for and whole.
  const wantsChecksum = header(request, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED" && !range;
  const checksum = wantsChecksum ? checksumHeaders(version.checksum) : {};
  if (range) {
    const length = range.end - range.start + 1;
    return {
      status: 206,
      headers: {
        ...headers,
        "content-range": `bytes ${range.start}-${range.end}/${version.size}`,
        "content-length": String(length),
      },
      body: withBody ? service.state.blobs.readRange(version.blob!, range.start, range.end) : undefined,
    };
  }
  return {
    headers: { ...headers, ...checksum, "content-length": String(version.size) },
    body: withBody ? service.state.blobs.read(version.blob!) : undefined,
  };
}

export const getObject = (service: ObjectService, request: S3Request) => readObject(service, request, true);
export const headObject = (service: ObjectService, request: S3Request) => readObject(service, request, false);

interface DeleteOutcome {
  readonly versionId: string | undefined;
  readonly deleteMarker: boolean;
}

/**
 * Deletes one key or version. Without a version ID, an unversioned bucket drops the
 * object; a versioned one adds a delete marker (the `null` one when suspended). A version
 * ID removes that version for good; an unknown one is no error.
 */
function deleteOne(
  service: ObjectService,
  bucket: BucketRecord,
  request: S3Request,
  key: string,
  versionId: string | undefined,
): DeleteOutcome {
  if (versionId !== undefined) {
    const version = service.state.findVersion(bucket.id, key, versionId);
    if (!version) return { versionId, deleteMarker: false };
    if (!version.deleteMarker) assertNotLocked(version, request);
    service.state.remove(version);
    return { versionId, deleteMarker: version.deleteMarker };
  }
  if (bucket.versioning === "") {
    const current = service.state.findVersion(bucket.id, key, "null");
    if (current) {
      assertNotLocked(current, request);
      service.state.remove(current);
    }
    return { versionId: undefined, deleteMarker: false };
  }
  const markerId = nextVersionId(service, bucket);
  const replaced = markerId === "null" ? service.state.findVersion(bucket.id, key, "null") : undefined;
  if (replaced && !replaced.deleteMarker) assertNotLocked(replaced, request);
  const owner = service.canonicalId(bucket.project);
  service.state.add({
    bucket: bucket.id,
    key,
    versionId: markerId,
    deleteMarker: true,
    lastModified: Date.now(),
    etag: "",
    size: 0,
    blob: null,
    headers: {},
    metadata: {},
    storageClass: "STANDARD",
    checksum: null,
    tags: [],
    acl: privateAcl(owner),
    encryption: null,
    retention: null,
    legalHold: false,
    partsCount: null,
  });
  return { versionId: markerId, deleteMarker: true };
}

export function deleteObject(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const key = request.key!;
  const ifMatch = header(request, "if-match");
  if (ifMatch !== undefined) {
    const current = service.state.current(bucket.id, key);
    if (!current) throw noSuchKey(key);
    if (ifMatch.replace(/"/g, "") !== "*" && ifMatch.replace(/"/g, "") !== current.etag.replace(/"/g, ""))
      throw preconditionFailed("If-Match");
  }
  const outcome = deleteOne(service, bucket, request, key, requestedVersionId(request));
  return {
    status: 204,
    headers: {
      "x-amz-version-id": outcome.versionId,
      "x-amz-delete-marker": outcome.deleteMarker ? "true" : undefined,
    },
  };
}

/** POST ?delete: up to 1000 keys; each fails or succeeds on its own. */
export function deleteObjects(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const document = parseXml(request.body, "Delete");
  const objects = children(document, "Object");
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = textOf(document, "Quiet") === "true";
  const results = objects.map((object) => {
    const key = textOf(object, "Key");
    if (key === undefined) throw malformedXml();
    const versionId = textOf(object, "VersionId") || undefined;
    try {
      const outcome = deleteOne(service, bucket, request, key, versionId);
      if (quiet) return undefined;
      return el("Deleted", [
        el("Key", key),
        opt("VersionId", versionId),
        opt("DeleteMarker", outcome.deleteMarker ? "true" : undefined),
        opt("DeleteMarkerVersionId", outcome.deleteMarker ? outcome.versionId : undefined),
      ]);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      return el("Error", [
        el("Key", key),
        opt("VersionId", versionId),
        el("Code", error.code),
        el("Message", error.message),
      ]);
    }
  });
  return xmlReply(el("DeleteResult", results, { xmlns: S3_NAMESPACE }));
}

/** x-amz-copy-source: `bucket/key` or `/bucket/key`, URL-encoded, `?versionId=` optional. */
export function copySourceOf(service: ObjectService, request: S3Request) {
  const raw = header(request, "x-amz-copy-source")!;
  const [path = "", query = ""] = raw.split("?");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, "");
  } catch {
    throw invalidArgument(
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      "x-amz-copy-source",
      raw,
    );
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1)
    throw invalidArgument(
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      "x-amz-copy-source",
      raw,
    );
  const sourceRequest: S3Request = {
    ...request,
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    query: new URLSearchParams(query),
    region: undefined,
  };
  const bucket = service.requireBucket({ ...sourceRequest, headers: {} });
  const versionId = requestedVersionId(sourceRequest);
  let version: VersionRecord | undefined;
  if (versionId !== undefined) {
    version = service.state.findVersion(bucket.id, sourceRequest.key!, versionId);
    if (!version) throw noSuchVersion(sourceRequest.key!, versionId);
    if (version.deleteMarker)
      throw invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
  } else {
    version = readableVersion(service, sourceRequest, bucket);
  }
  checkCustomerKey(version.encryption, request, true);
  if (notModified(request, version, "x-amz-copy-source-"))
    throw preconditionFailed(
      header(request, "x-amz-copy-source-if-none-match")
        ? "x-amz-copy-source-If-None-Match"
        : "x-amz-copy-source-If-Modified-Since",
    );
  return { bucket, version };
}

function directive(request: S3Request, name: string): "COPY" | "REPLACE" {
  const value = header(request, name) ?? "COPY";
  if (value !== "COPY" && value !== "REPLACE") throw invalidArgument(`Unknown ${name}.`, name, value);
  return value;
}

export function copyObject(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  checkKey(request);
  const source = copySourceOf(service, request);
  const metadataDirective = directive(request, "x-amz-metadata-directive");
  const taggingDirective = directive(request, "x-amz-tagging-directive");
  const storageClass = storageClassOf(request);
  const encryption = encryptionForWrite(bucket, request);
  // S3 refuses to copy an object onto itself unchanged; Scaleway accepts it (the provider
  // relies on that to update metadata), so this does too.
  const data = service.state.blobs.read(source.version.blob!);
  const algorithm = parseAlgorithm(header(request, "x-amz-checksum-algorithm"));
  const checksum: Checksum | null = algorithm
    ? { algorithm, value: computeChecksum(algorithm, data), type: "FULL_OBJECT" }
    : source.version.checksum?.type === "FULL_OBJECT"
      ? source.version.checksum
      : null;
  const owner = service.canonicalId(bucket.project);
  const lock = retentionForWrite(bucket, request);
  const version = storeVersion(service, bucket, request, data, {
    lastModified: Date.now(),
    // A copy is one part, whatever the source was.
    etag: source.version.etag.includes("-") ? `"${md5Hex(data)}"` : source.version.etag,
    headers: metadataDirective === "COPY" ? { ...source.version.headers } : storedHeaders(request),
    metadata: metadataDirective === "COPY" ? { ...source.version.metadata } : metadataOf(request),
    storageClass,
    checksum,
    tags: taggingDirective === "COPY" ? [...source.version.tags] : tagsFromHeader(request),
    acl: aclFromHeaders(request, owner) ?? privateAcl(owner),
    encryption,
    retention: lock.retention,
    legalHold: lock.legalHold,
    partsCount: null,
  });
  const result = el(
    "CopyObjectResult",
    [
      el("ETag", version.etag),
      el("LastModified", isoSeconds(version.lastModified)),
      checksum ? el(checksumElement(checksum.algorithm), checksum.value) : undefined,
    ],
    { xmlns: S3_NAMESPACE },
  );
  return xmlReply(result, SETTINGS_CONTENT_TYPE, {
    "x-amz-version-id": versionIdHeader(bucket, version),
    "x-amz-copy-source-version-id": versionIdHeader(source.bucket, source.version),
    ...encryptionHeaders(version.encryption),
  });
}

/** Times in XML answers: ISO 8601 with whole seconds, as Scaleway writes them. */
export function isoSeconds(time: number): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString();
}
