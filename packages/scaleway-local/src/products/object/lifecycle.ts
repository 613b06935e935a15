import { randomBytes } from "node:crypto";
import { invalidArgument, invalidRequest, invalidStorageClass, malformedXml, noSuchLifecycle } from "./errors";
import type { S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { S3_NAMESPACE, childOf, children, el, parseXml, textOf, treeElements, type XmlTree } from "./xml";

const ACTIONS = [
  "Expiration",
  "Transition",
  "NoncurrentVersionExpiration",
  "NoncurrentVersionTransition",
  "AbortIncompleteMultipartUpload",
];
/** Classes Scaleway moves objects to. */
const TRANSITION_CLASSES = ["GLACIER", "ONEZONE_IA", "STANDARD"];

function positive(tree: XmlTree | undefined, name: string, action: string): void {
  const value = textOf(tree, name);
  if (value !== undefined && !/^[1-9]\d*$/.test(value))
    throw invalidArgument(`'${name}' for ${action} action must be a positive integer`, name, value);
}

/** Checks one rule the way S3 does, and gives it an ID when it has none. */
function validateRule(rule: XmlTree): XmlTree {
  const status = textOf(rule, "Status");
  if (status !== "Enabled" && status !== "Disabled") throw malformedXml();
  if (!ACTIONS.some((action) => rule[action] !== undefined))
    throw invalidRequest("At least one action needs to be specified in a rule");
  const filter = childOf(rule, "Filter");
  if (filter) {
    const kinds = ["Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"].filter(
      (k) => filter[k] !== undefined,
    );
    if (kinds.length > 1 || children(filter, "Tag").length > 1) throw malformedXml();
  }
  const id = textOf(rule, "ID");
  if (id !== undefined && id.length > 255)
    throw invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
  positive(childOf(rule, "Expiration"), "Days", "Expiration");
  positive(childOf(rule, "NoncurrentVersionExpiration"), "NoncurrentDays", "NoncurrentVersionExpiration");
  positive(childOf(rule, "AbortIncompleteMultipartUpload"), "DaysAfterInitiation", "AbortIncompleteMultipartUpload");
  for (const name of ["Transition", "NoncurrentVersionTransition"]) {
    for (const transition of children(rule, name)) {
      const storageClass = textOf(transition, "StorageClass");
      if (!storageClass || !TRANSITION_CLASSES.includes(storageClass)) throw invalidStorageClass();
    }
  }
  // Random IDs like S3's, for rules sent without one.
  return id ? rule : { ...rule, ID: randomBytes(24).toString("base64url") };
}

export function getBucketLifecycle(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!bucket.lifecycle?.length) throw noSuchLifecycle(bucket.id);
  // Scaleway answers each rule's elements in alphabetical order.
  const rules = (bucket.lifecycle as XmlTree[]).map((rule) => el("Rule", treeElements(rule, true)));
  return xmlReply(el("LifecycleConfiguration", rules, { xmlns: S3_NAMESPACE }), SETTINGS_CONTENT_TYPE);
}

export function putBucketLifecycle(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const rules = children(parseXml(request.body, "LifecycleConfiguration"), "Rule").map(validateRule);
  if (rules.length === 0 || rules.length > 1000) throw malformedXml();
  const ids = rules.map((rule) => textOf(rule, "ID"));
  if (new Set(ids).size !== ids.length)
    throw invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", String(ids[0]));
  bucket.lifecycle = rules;
  service.state.buckets.touch();
  return {};
}

export function deleteBucketLifecycle(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.lifecycle = null;
  service.state.buckets.touch();
  return { status: 204 };
}
