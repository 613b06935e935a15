import { aclFromHeaders, ownerElement, privateAcl } from "./acl";
import { credentialsOf } from "./auth";
import {
  bucketAlreadyExists,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  invalidBucketName,
  invalidLocationConstraint,
} from "./errors";
import type { BucketRecord } from "./model";
import { REGIONS, header, type S3Request } from "./request";
import { xmlReply, type ObjectService, type S3Reply } from "./service";
import { S3_NAMESPACE, el, parseXml, textOf } from "./xml";

/** DNS-compatible names, as Scaleway requires: 3 to 63 of a-z 0-9 . -, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function validateName(name: string): void {
  if (!BUCKET_NAME.test(name) || name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name))
    throw invalidBucketName(name);
}

/**
 * The region a new bucket goes to: the endpoint's, which a LocationConstraint must agree
 * with. On the plain endpoint (no region in its name), the LocationConstraint, else the
 * region the request was signed for, else fr-par.
 */
function regionFor(request: S3Request): string {
  const constraint = request.body.length
    ? textOf(parseXml(request.body, "CreateBucketConfiguration"), "LocationConstraint")
    : undefined;
  if (constraint !== undefined && !(REGIONS as readonly string[]).includes(constraint))
    throw invalidLocationConstraint();
  if (request.region) {
    if (constraint && constraint !== request.region) throw invalidLocationConstraint();
    return request.region;
  }
  const signed = credentialsOf(request)?.region;
  return constraint || (signed && (REGIONS as readonly string[]).includes(signed) ? signed : "fr-par");
}

export function createBucket(service: ObjectService, request: S3Request): S3Reply {
  const name = request.bucket!;
  validateName(name);
  const region = regionFor(request);
  const existing = service.state.bucket(name);
  if (existing) throw existing.project === service.project ? bucketAlreadyOwnedByYou(name) : bucketAlreadyExists(name);
  const owner = service.canonicalId();
  const objectLock = header(request, "x-amz-bucket-object-lock-enabled")?.toLowerCase() === "true";
  const bucket: BucketRecord = {
    id: name,
    region,
    project: service.project,
    createdAt: new Date().toISOString(),
    // Object lock needs versions: a locked bucket is versioned from the start.
    versioning: objectLock ? "Enabled" : "",
    objectLock,
    objectLockRule: null,
    acl: aclFromHeaders(request, owner) ?? privateAcl(owner),
    tags: null,
    policy: null,
    cors: null,
    lifecycle: null,
    website: null,
    encryption: null,
  };
  service.state.buckets.insert(bucket);
  return { headers: { location: `/${name}` } };
}

export function headBucket(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  return { headers: { "content-type": "application/xml", "x-amz-bucket-region": bucket.region } };
}

/** Only an empty bucket goes; uploads still in progress go with it. */
export function deleteBucket(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!service.state.isEmpty(bucket.id)) throw bucketNotEmpty();
  for (const upload of service.state.uploads.list((u) => u.bucket === bucket.id)) {
    for (const part of Object.values(upload.parts)) service.state.blobs.remove(part.blob);
    service.state.uploads.delete(upload.id);
  }
  service.state.removeBucket(bucket.id);
  return { status: 204 };
}

/** GET / on `s3.<region>.scw.cloud`: the project's buckets in that region. */
export function listBuckets(service: ObjectService, request: S3Request): S3Reply {
  const buckets = service.state.buckets
    .list((bucket) => bucket.project === service.project && (!request.region || bucket.region === request.region))
    .sort((a, b) => a.id.localeCompare(b.id));
  return xmlReply(
    el(
      "ListAllMyBucketsResult",
      [
        ownerElement(service.canonicalId()),
        el(
          "Buckets",
          buckets.map((bucket) => el("Bucket", [el("Name", bucket.id), el("CreationDate", bucket.createdAt)])),
        ),
      ],
      { xmlns: S3_NAMESPACE },
    ),
  );
}

export function getBucketLocation(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  return xmlReply(el("LocationConstraint", bucket.region, { xmlns: S3_NAMESPACE }));
}
