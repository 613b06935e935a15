import { createHash } from "node:crypto";
import { S3Error, invalidArgument, invalidRequest, malformedXml, noSuchEncryption } from "./errors";
import type { BucketRecord, ObjectEncryption } from "./model";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { childOf, children, el, parseXml, textOf } from "./xml";

export interface EncryptionRule {
  readonly algorithm: "AES256";
  readonly bucketKeyEnabled: boolean;
}

/** Scaleway encrypts with AES256 only (SSE-S3 or a customer key, SSE-C); no KMS. */
function algorithmOf(value: string | undefined, argument: string): "AES256" {
  if (value !== "AES256")
    throw invalidArgument("The encryption method specified is not supported", argument, value ?? "");
  return value;
}

export function getBucketEncryption(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const rules = bucket.encryption as EncryptionRule[] | null;
  if (!rules?.length) throw noSuchEncryption(bucket.id);
  // As recorded: no namespace, BucketKeyEnabled always written.
  const elements = rules.map((rule) =>
    el("Rule", [
      el("ApplyServerSideEncryptionByDefault", [el("SSEAlgorithm", rule.algorithm)]),
      el("BucketKeyEnabled", rule.bucketKeyEnabled),
    ]),
  );
  return xmlReply(el("ServerSideEncryptionConfiguration", elements), SETTINGS_CONTENT_TYPE);
}

export function putBucketEncryption(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const rules = children(parseXml(request.body, "ServerSideEncryptionConfiguration"), "Rule").map((rule) => {
    const byDefault = childOf(rule, "ApplyServerSideEncryptionByDefault");
    if (!byDefault) throw malformedXml();
    return {
      algorithm: algorithmOf(textOf(byDefault, "SSEAlgorithm"), "SSEAlgorithm"),
      bucketKeyEnabled: textOf(rule, "BucketKeyEnabled") === "true",
    };
  });
  if (rules.length !== 1) throw malformedXml();
  bucket.encryption = rules;
  service.state.buckets.touch();
  return {};
}

export function deleteBucketEncryption(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.encryption = null;
  service.state.buckets.touch();
  return { status: 204 };
}

/**
 * The encryption a new object gets: a customer key (SSE-C; only its MD5 is kept, the
 * bytes are stored as sent), x-amz-server-side-encryption, or the bucket's default.
 */
export function encryptionForWrite(bucket: BucketRecord, request: S3Request): ObjectEncryption | null {
  const customer = customerKey(request, false);
  if (customer) return customer;
  const requested = header(request, "x-amz-server-side-encryption");
  if (requested) return { algorithm: algorithmOf(requested, "x-amz-server-side-encryption"), customerKeyMd5: null };
  return bucket.encryption?.length ? { algorithm: "AES256", customerKeyMd5: null } : null;
}

/** SSE-C headers: x-amz-server-side-encryption-customer-*, or x-amz-copy-source-server-side-... for a copy's source. */
function customerKey(request: S3Request, copySource: boolean): ObjectEncryption | null {
  const name = `x-amz-${copySource ? "copy-source-" : ""}server-side-encryption-customer-`;
  const algorithm = header(request, `${name}algorithm`);
  const key = header(request, `${name}key`);
  if (!algorithm && !key) return null;
  if (!algorithm || !key) throw invalidRequest("The SSE-C request must carry both the algorithm and the key.");
  const keyBytes = Buffer.from(key, "base64");
  if (keyBytes.length !== 32)
    throw invalidArgument("The secret key was invalid for the specified algorithm.", `${name}key`, "");
  const md5 = createHash("md5").update(keyBytes).digest("base64");
  const sentMd5 = header(request, `${name}key-md5`);
  if (sentMd5 && sentMd5 !== md5)
    throw invalidArgument(
      "The calculated MD5 hash of the key did not match the hash that was provided.",
      `${name}key-md5`,
      sentMd5,
    );
  return { algorithm: algorithmOf(algorithm, `${name}algorithm`), customerKeyMd5: md5 };
}

/** An object stored with a customer key is read with that key only. */
export function checkCustomerKey(stored: ObjectEncryption | null, request: S3Request, copySource = false): void {
  if (!stored?.customerKeyMd5) return;
  const given = customerKey(request, copySource);
  if (!given)
    throw invalidRequest(
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
    );
  if (given.customerKeyMd5 !== stored.customerKeyMd5) throw new S3Error(403, "AccessDenied", "Access Denied");
}

/** Headers that describe an object's encryption. */
export function encryptionHeaders(encryption: ObjectEncryption | null): Record<string, string> {
  if (!encryption) return {};
  if (encryption.customerKeyMd5)
    return {
      "x-amz-server-side-encryption-customer-algorithm": encryption.algorithm,
      "x-amz-server-side-encryption-customer-key-md5": encryption.customerKeyMd5,
    };
  return { "x-amz-server-side-encryption": encryption.algorithm };
}
