import { ownerElement } from "./acl";
import { invalidArgument } from "./errors";
import type { VersionRecord } from "./model";
import { isoSeconds } from "./objects";
import type { S3Request } from "./request";
import { xmlReply, type ObjectService, type S3Reply } from "./service";
import { compareKeys } from "./state";
import { S3_NAMESPACE, el, opt, type XmlElement } from "./xml";

const MAX_KEYS = 1000;

export function maxKeysOf(request: S3Request, name = "max-keys"): number {
  const value = request.query.get(name);
  if (value === null) return MAX_KEYS;
  if (!/^\d+$/.test(value))
    throw invalidArgument("Provided max-keys not an integer or within integer range", name, value);
  return Math.min(Number(value), MAX_KEYS);
}

/** encoding-type=url: names come back URL-encoded (slashes kept), for keys XML cannot carry. */
export function encoderOf(request: S3Request): (text: string) => string {
  const encoding = request.query.get("encoding-type");
  if (encoding === null) return (text) => text;
  if (encoding !== "url")
    throw invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
  return (text) => encodeURIComponent(text).replace(/%2F/g, "/");
}

/** One entry of a listing: an object (or one of its versions), or a common prefix. */
type Entry = { readonly key: string; readonly prefix?: string; readonly versions: readonly VersionRecord[] };

interface Walk {
  readonly entries: Entry[];
  readonly truncated: boolean;
}

/**
 * Walks the keys of a bucket in order after `after`, under `prefix`, rolling keys that
 * contain `delimiter` past the prefix into common prefixes (each counted once), until
 * `max` entries. `pick` gives the versions of a key to list (none skips the key).
 */
function walk(
  service: ObjectService,
  bucket: string,
  options: { prefix: string; delimiter: string; after: string; max: number },
  pick: (key: string) => readonly VersionRecord[],
  countOf: (versions: readonly VersionRecord[]) => number = () => 1,
): Walk {
  const keys = service.state.keys(bucket);
  const { prefix, delimiter, after, max } = options;
  const from = after && compareKeys(after, prefix) > 0 ? after : prefix;
  let index = lowerBound(keys, from);
  const entries: Entry[] = [];
  let count = 0;
  for (; index < keys.length; index++) {
    const key = keys[index]!;
    if (after && compareKeys(key, after) <= 0) continue;
    if (!key.startsWith(prefix)) {
      if (compareKeys(key, prefix) > 0) break;
      continue;
    }
    const versions = pick(key);
    if (!versions.length) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter.length);
      if (entries.at(-1)?.prefix === common || (after && compareKeys(common, after) <= 0)) continue;
      if (count >= max) return { entries, truncated: true };
      entries.push({ key: common, prefix: common, versions: [] });
      count++;
      continue;
    }
    if (count >= max) return { entries, truncated: true };
    entries.push({ key, versions });
    count += countOf(versions);
  }
  return { entries, truncated: false };
}

function lowerBound(keys: readonly string[], from: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareKeys(keys[middle]!, from) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function contentsElement(version: VersionRecord, encode: (text: string) => string, withOwner: boolean) {
  return el("Contents", [
    el("Key", encode(version.key)),
    el("LastModified", isoSeconds(version.lastModified)),
    el("ETag", version.etag),
    el("Size", version.size),
    withOwner ? ownerElement(version.acl.owner) : undefined,
    el("StorageClass", version.storageClass),
    opt("ChecksumAlgorithm", version.checksum?.algorithm),
    opt("ChecksumType", version.checksum?.type),
  ]);
}

const prefixElements = (entries: Entry[], encode: (text: string) => string) =>
  entries
    .filter((entry) => entry.prefix !== undefined)
    .map((entry) => el("CommonPrefixes", [el("Prefix", encode(entry.prefix!))]));

function currentOf(service: ObjectService, bucket: string) {
  return (key: string) => {
    const current = service.state.current(bucket, key);
    return current ? [current] : [];
  };
}

/** GET / (ListObjects): marker-based pages. */
export function listObjects(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const q = request.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const marker = q.get("marker") ?? "";
  const max = maxKeysOf(request);
  const encode = encoderOf(request);
  const result = walk(service, bucket.id, { prefix, delimiter, after: marker, max }, currentOf(service, bucket.id));
  const last = result.entries.at(-1);
  return xmlReply(
    el(
      "ListBucketResult",
      [
        el("Name", bucket.id),
        el("Prefix", encode(prefix)),
        el("Marker", encode(marker)),
        el("MaxKeys", max),
        delimiter ? el("Delimiter", encode(delimiter)) : undefined,
        el("IsTruncated", result.truncated),
        result.truncated && delimiter && last ? el("NextMarker", encode(last.key)) : undefined,
        ...result.entries
          .filter((entry) => !entry.prefix)
          .map((entry) => contentsElement(entry.versions[0]!, encode, true)),
        ...prefixElements(result.entries, encode),
        q.has("encoding-type") ? el("EncodingType", "url") : undefined,
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}

const encodeToken = (key: string) => Buffer.from(key, "utf8").toString("base64url");

function decodeToken(token: string): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (!token || encodeToken(key) !== token)
    throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
  return key;
}

/** GET /?list-type=2 (ListObjectsV2): continuation tokens, KeyCount, owners on request only. */
export function listObjectsV2(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const q = request.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const token = q.get("continuation-token");
  const startAfter = q.get("start-after") ?? "";
  const max = maxKeysOf(request);
  const encode = encoderOf(request);
  const after = token !== null ? decodeToken(token) : startAfter;
  const result = walk(service, bucket.id, { prefix, delimiter, after, max }, currentOf(service, bucket.id));
  const last = result.entries.at(-1);
  const withOwner = q.get("fetch-owner") === "true";
  return xmlReply(
    el(
      "ListBucketResult",
      [
        el("Name", bucket.id),
        el("Prefix", encode(prefix)),
        delimiter ? el("Delimiter", encode(delimiter)) : undefined,
        el("MaxKeys", max),
        q.has("encoding-type") ? el("EncodingType", "url") : undefined,
        el("KeyCount", result.entries.length),
        el("IsTruncated", result.truncated),
        token !== null ? el("ContinuationToken", token) : undefined,
        result.truncated && last ? el("NextContinuationToken", encodeToken(last.key)) : undefined,
        startAfter ? el("StartAfter", encode(startAfter)) : undefined,
        ...result.entries
          .filter((entry) => !entry.prefix)
          .map((entry) => contentsElement(entry.versions[0]!, encode, withOwner)),
        ...prefixElements(result.entries, encode),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}

function versionElement(version: VersionRecord, isLatest: boolean, encode: (text: string) => string): XmlElement {
  const common = [
    el("IsLatest", isLatest),
    el("Key", encode(version.key)),
    el("LastModified", isoSeconds(version.lastModified)),
    ownerElement(version.acl.owner),
  ];
  if (version.deleteMarker) return el("DeleteMarker", [...common, el("VersionId", version.versionId)]);
  // The order Scaleway writes, as recorded.
  return el("Version", [
    el("ETag", version.etag),
    ...common,
    el("Size", version.size),
    el("StorageClass", version.storageClass),
    el("VersionId", version.versionId),
    opt("ChecksumAlgorithm", version.checksum?.algorithm),
  ]);
}

/** GET /?versions (ListObjectVersions): every version and delete marker, newest first per key. */
export function listObjectVersions(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const q = request.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const versionIdMarker = q.get("version-id-marker") ?? "";
  const max = maxKeysOf(request);
  const encode = encoderOf(request);
  // Within the marker key, versions after the marked one come first.
  const head: VersionRecord[] = [];
  if (keyMarker && versionIdMarker && (!delimiter || !keyMarker.slice(prefix.length).includes(delimiter))) {
    const all = service.state.versionsOf(bucket.id, keyMarker);
    const position = all.findIndex((version) => version.versionId === versionIdMarker);
    if (position >= 0 && keyMarker.startsWith(prefix)) head.push(...all.slice(position + 1));
  }
  const budget = Math.max(0, max - head.length);
  const result = walk(
    service,
    bucket.id,
    { prefix, delimiter, after: keyMarker, max: budget },
    (key) => service.state.versionsOf(bucket.id, key),
    (versions) => versions.length,
  );
  // Versions are whole per key in the walk; trim the last key to what fits.
  const listed: Array<{ version: VersionRecord; isLatest: boolean }> = head
    .slice(0, max)
    .map((version) => ({ version, isLatest: false }));
  const prefixes: Entry[] = [];
  let truncated = result.truncated || head.length > max;
  let lastKey = "";
  let lastVersion = "";
  for (const entry of result.entries) {
    if (entry.prefix) {
      if (listed.length + prefixes.length >= max) {
        truncated = true;
        break;
      }
      prefixes.push(entry);
      lastKey = entry.key;
      lastVersion = "";
      continue;
    }
    for (const [index, version] of entry.versions.entries()) {
      if (listed.length + prefixes.length >= max) {
        truncated = true;
        break;
      }
      listed.push({ version, isLatest: index === 0 });
      lastKey = version.key;
      lastVersion = version.versionId;
    }
    if (truncated) break;
  }
  if (!lastKey && listed.length) {
    lastKey = listed.at(-1)!.version.key;
    lastVersion = listed.at(-1)!.version.versionId;
  }
  return xmlReply(
    el(
      "ListVersionsResult",
      [
        el("Name", bucket.id),
        el("Prefix", encode(prefix)),
        el("IsTruncated", truncated),
        el("KeyMarker", encode(keyMarker)),
        el("MaxKeys", max),
        delimiter ? el("Delimiter", encode(delimiter)) : undefined,
        ...listed.map(({ version, isLatest }) => versionElement(version, isLatest, encode)),
        el("VersionIdMarker", versionIdMarker),
        truncated ? el("NextKeyMarker", encode(lastKey)) : undefined,
        truncated && lastVersion ? el("NextVersionIdMarker", lastVersion) : undefined,
        ...prefixElements(prefixes, encode),
        q.has("encoding-type") ? el("EncodingType", "url") : undefined,
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}
