import {
  S3Error,
  invalidArgument,
  invalidBucketState,
  malformedXml,
  methodNotAllowed,
  noSuchKey,
  noSuchVersion,
} from "./errors";
import type { BucketRecord, VersionRecord, VersioningStatus } from "./model";
import type { S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { S3_NAMESPACE, el, parseXml, textOf } from "./xml";

/** The versionId a request names, if any; Scaleway's IDs are digits, `null` names the null version. */
export function requestedVersionId(request: S3Request): string | undefined {
  const versionId = request.query.get("versionId");
  if (versionId === null) return undefined;
  if (versionId !== "null" && !/^[0-9A-Za-z._-]{1,64}$/.test(versionId))
    throw invalidArgument("Invalid version id specified", "versionId", versionId);
  return versionId;
}

/** The x-amz-version-id a bucket answers: none until versioning was first enabled. */
export function versionIdHeader(bucket: BucketRecord, version: VersionRecord): string | undefined {
  return bucket.versioning === "" ? undefined : version.versionId;
}

/**
 * The version a GET, HEAD or sub-resource read addresses. A delete marker is no object:
 * the latest one gives NoSuchKey, a named one MethodNotAllowed, both flagged in a header.
 */
export function readableVersion(service: ObjectService, request: S3Request, bucket: BucketRecord): VersionRecord {
  const key = request.key!;
  const versionId = requestedVersionId(request);
  if (versionId !== undefined) {
    const version = service.state.findVersion(bucket.id, key, versionId);
    if (!version) throw noSuchVersion(key, versionId);
    if (version.deleteMarker) {
      const error = methodNotAllowed();
      throw new S3Error(error.status, error.code, error.message, error.details, {
        "x-amz-delete-marker": "true",
        "x-amz-version-id": version.versionId,
        "last-modified": new Date(version.lastModified).toUTCString(),
        allow: "DELETE",
      });
    }
    return version;
  }
  const latest = service.state.latest(bucket.id, key);
  if (!latest || latest.deleteMarker) {
    const error = noSuchKey(key);
    const headers: Record<string, string> = latest
      ? { "x-amz-delete-marker": "true", ...(bucket.versioning ? { "x-amz-version-id": latest.versionId } : {}) }
      : {};
    throw new S3Error(error.status, error.code, error.message, error.details, headers);
  }
  return latest;
}

/** The version ID a new version gets: unique when versioning is on, `null` otherwise. */
export function nextVersionId(service: ObjectService, bucket: BucketRecord): string {
  return bucket.versioning === "Enabled" ? service.state.newVersionId() : "null";
}

export function getBucketVersioning(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  // Scaleway answers an empty Status for a bucket never versioned.
  return xmlReply(
    el("VersioningConfiguration", [el("Status", bucket.versioning)], { xmlns: S3_NAMESPACE }),
    SETTINGS_CONTENT_TYPE,
  );
}

export function putBucketVersioning(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const status = textOf(parseXml(request.body, "VersioningConfiguration"), "Status");
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  if (bucket.objectLock && status === "Suspended")
    throw invalidBucketState(
      "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
    );
  bucket.versioning = status satisfies VersioningStatus;
  service.state.buckets.touch();
  return {};
}
