import { noSuchKey, preconditionFailed } from "./errors";
import type { VersionRecord } from "./model";
import { header, type S3Request } from "./request";

/** Entity tags compare without quotes or a weak prefix; `*` matches any existing object. */
function etagMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, "");
  return list.split(",").some((item) => {
    const candidate = item.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
    return candidate === "*" || candidate === bare;
  });
}

function dateOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** HTTP dates have whole seconds: compare what the client could have seen. */
const seconds = (time: number) => Math.floor(time / 1000);

/**
 * If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304) on a
 * read, with RFC 7232's precedence: a matching If-Match skips If-Unmodified-Since, a
 * failing If-None-Match skips If-Modified-Since. Returns true when the answer is 304.
 */
export function notModified(request: S3Request, version: VersionRecord, prefix = ""): boolean {
  const ifMatch = header(request, `${prefix}if-match`);
  const ifNoneMatch = header(request, `${prefix}if-none-match`);
  const ifModifiedSince = dateOf(header(request, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = dateOf(header(request, `${prefix}if-unmodified-since`));
  const modified = seconds(version.lastModified);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, version.etag)) throw preconditionFailed(`${prefix ? "x-amz-copy-source-" : ""}If-Match`);
  } else if (ifUnmodifiedSince !== undefined && modified > seconds(ifUnmodifiedSince)) {
    throw preconditionFailed(`${prefix ? "x-amz-copy-source-" : ""}If-Unmodified-Since`);
  }
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, version.etag);
  return ifModifiedSince !== undefined && modified <= seconds(ifModifiedSince);
}

/**
 * Conditional writes, checked against the current object right before the new version
 * is committed (nothing runs in between, so two writers cannot both pass):
 * `If-None-Match: *` fails when the key exists, `If-Match` when it is missing (NoSuchKey)
 * or its ETag differs.
 */
export function checkWriteConditions(request: S3Request, current: VersionRecord | undefined): void {
  const ifNoneMatch = header(request, "if-none-match");
  const ifMatch = header(request, "if-match");
  if (ifNoneMatch !== undefined && current && etagMatches(ifNoneMatch, current.etag))
    throw preconditionFailed("If-None-Match");
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey(request.key ?? "");
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed("If-Match");
  }
}
