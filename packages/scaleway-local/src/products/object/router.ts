import * as acl from "./acl";
import * as buckets from "./buckets";
import * as cors from "./cors";
import * as encryption from "./encryption";
import { methodNotAllowed, notImplemented } from "./errors";
import * as lifecycle from "./lifecycle";
import * as listing from "./listing";
import * as multipart from "./multipart";
import * as lock from "./object-lock";
import * as objects from "./objects";
import * as policy from "./policy";
import { header, type S3Request } from "./request";
import type { ObjectService, S3Reply } from "./service";
import * as tagging from "./tagging";
import * as versions from "./versions";
import * as website from "./website";

export type Operation = (service: ObjectService, request: S3Request) => S3Reply | Promise<S3Reply>;

/** What may be done without credentials: public reads, decided from ACLs and the bucket policy. */
export type Audience = "authenticated" | "public-object-read" | "public-bucket-read" | "anyone";

export interface Route {
  /** The S3 API name, for call counts and fault rules (PutObject, GetBucketVersioning...). */
  readonly name: string;
  readonly run: Operation;
  readonly audience: Audience;
}

const route = (name: string, run: Operation, audience: Audience = "authenticated"): Route => ({ name, run, audience });

type Table = Readonly<Record<string, Route>>;

/** Bucket sub-resources by method; the first sub-resource present in the query wins. */
const BUCKET: Readonly<Record<string, Table>> = {
  GET: {
    acl: route("GetBucketAcl", acl.getBucketAcl),
    cors: route("GetBucketCors", cors.getBucketCors),
    encryption: route("GetBucketEncryption", encryption.getBucketEncryption),
    lifecycle: route("GetBucketLifecycleConfiguration", lifecycle.getBucketLifecycle),
    location: route("GetBucketLocation", buckets.getBucketLocation),
    "object-lock": route("GetObjectLockConfiguration", lock.getObjectLockConfiguration),
    policy: route("GetBucketPolicy", policy.getBucketPolicy),
    tagging: route("GetBucketTagging", tagging.getBucketTagging),
    versioning: route("GetBucketVersioning", versions.getBucketVersioning),
    versions: route("ListObjectVersions", listing.listObjectVersions),
    website: route("GetBucketWebsite", website.getBucketWebsite),
    uploads: route("ListMultipartUploads", multipart.listMultipartUploads),
  },
  PUT: {
    acl: route("PutBucketAcl", acl.putBucketAcl),
    cors: route("PutBucketCors", cors.putBucketCors),
    encryption: route("PutBucketEncryption", encryption.putBucketEncryption),
    lifecycle: route("PutBucketLifecycleConfiguration", lifecycle.putBucketLifecycle),
    "object-lock": route("PutObjectLockConfiguration", lock.putObjectLockConfiguration),
    policy: route("PutBucketPolicy", policy.putBucketPolicy),
    tagging: route("PutBucketTagging", tagging.putBucketTagging),
    versioning: route("PutBucketVersioning", versions.putBucketVersioning),
    website: route("PutBucketWebsite", website.putBucketWebsite),
  },
  DELETE: {
    cors: route("DeleteBucketCors", cors.deleteBucketCors),
    encryption: route("DeleteBucketEncryption", encryption.deleteBucketEncryption),
    lifecycle: route("DeleteBucketLifecycle", lifecycle.deleteBucketLifecycle),
    policy: route("DeleteBucketPolicy", policy.deleteBucketPolicy),
    tagging: route("DeleteBucketTagging", tagging.deleteBucketTagging),
    website: route("DeleteBucketWebsite", website.deleteBucketWebsite),
  },
  POST: {
    delete: route("DeleteObjects", objects.deleteObjects),
  },
};

const OBJECT: Readonly<Record<string, Table>> = {
  GET: {
    acl: route("GetObjectAcl", acl.getObjectAcl),
    tagging: route("GetObjectTagging", tagging.getObjectTagging),
    uploadId: route("ListParts", multipart.listParts),
    retention: route("GetObjectRetention", lock.getObjectRetention),
    "legal-hold": route("GetObjectLegalHold", lock.getObjectLegalHold),
  },
  PUT: {
    acl: route("PutObjectAcl", acl.putObjectAcl),
    tagging: route("PutObjectTagging", tagging.putObjectTagging),
    retention: route("PutObjectRetention", lock.putObjectRetention),
    "legal-hold": route("PutObjectLegalHold", lock.putObjectLegalHold),
  },
  DELETE: {
    tagging: route("DeleteObjectTagging", tagging.deleteObjectTagging),
    uploadId: route("AbortMultipartUpload", multipart.abortMultipartUpload),
  },
  POST: {
    uploads: route("CreateMultipartUpload", multipart.createMultipartUpload),
    uploadId: route("CompleteMultipartUpload", multipart.completeMultipartUpload),
  },
};

/** Sub-resources S3 has and Scaleway or this server do not: answered 501 rather than taken for something else. */
const UNSUPPORTED = new Set([
  "accelerate",
  "analytics",
  "attributes",
  "intelligent-tiering",
  "inventory",
  "logging",
  "metrics",
  "notification",
  "ownershipControls",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "restore",
  "select",
  "torrent",
]);

function subresource(table: Table | undefined, query: URLSearchParams): Route | undefined {
  if (!table) return undefined;
  for (const name of query.keys()) if (table[name]) return table[name];
  return undefined;
}

/** The operation a request is, from its method, what it addresses and its query. */
export function routeOf(request: S3Request): Route {
  const { method, query } = request;
  if (method === "OPTIONS") return route("PreflightRequest", cors.preflight, "anyone");
  for (const name of query.keys()) if (UNSUPPORTED.has(name)) return route("NotImplemented", notSupported);
  if (!request.bucket) {
    if (method === "GET") return route("ListBuckets", buckets.listBuckets);
    return route("MethodNotAllowed", notAllowed);
  }
  if (request.key === undefined) {
    const found = subresource(BUCKET[method], query);
    if (found) return found;
    switch (method) {
      case "GET":
        return query.get("list-type") === "2"
          ? route("ListObjectsV2", listing.listObjectsV2, "public-bucket-read")
          : route("ListObjects", listing.listObjects, "public-bucket-read");
      case "HEAD":
        return route("HeadBucket", buckets.headBucket);
      case "PUT":
        return route("CreateBucket", buckets.createBucket);
      case "DELETE":
        return route("DeleteBucket", buckets.deleteBucket);
      default:
        return route("MethodNotAllowed", notAllowed);
    }
  }
  const found = subresource(OBJECT[method], query);
  if (found) {
    // PUT ?partNumber&uploadId is UploadPart, not PutObjectAcl or the like.
    if (!(method === "PUT" && query.has("uploadId"))) return found;
  }
  switch (method) {
    case "GET":
      return route("GetObject", objects.getObject, "public-object-read");
    case "HEAD":
      return route("HeadObject", objects.headObject, "public-object-read");
    case "PUT":
      if (query.has("uploadId"))
        return header(request, "x-amz-copy-source")
          ? route("UploadPartCopy", multipart.uploadPartCopy)
          : route("UploadPart", multipart.uploadPart);
      return header(request, "x-amz-copy-source")
        ? route("CopyObject", objects.copyObject)
        : route("PutObject", objects.putObject);
    case "DELETE":
      return route("DeleteObject", objects.deleteObject);
    default:
      return route("MethodNotAllowed", notAllowed);
  }
}

function notSupported(): S3Reply {
  throw notImplemented();
}

function notAllowed(): S3Reply {
  throw methodNotAllowed();
}
