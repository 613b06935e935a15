import { invalidTag, malformedXml, noSuchTagSet } from "./errors";
import type { Tag } from "./model";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { readableVersion, versionIdHeader } from "./versions";
import { childOf, children, el, parseXml, textOf } from "./xml";

const BUCKET_TAG_LIMIT = 50;
const OBJECT_TAG_LIMIT = 10;

function validateTags(tags: Tag[], limit: number): Tag[] {
  if (tags.length > limit) throw invalidTag(`Object tags cannot be greater than ${limit}`);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.key.length === 0 || tag.key.length > 128) throw invalidTag("The TagKey you have provided is invalid");
    if (tag.value.length > 256) throw invalidTag("The TagValue you have provided is invalid");
    if (seen.has(tag.key)) throw invalidTag("Cannot provide multiple Tags with the same key");
    seen.add(tag.key);
  }
  return tags;
}

function tagsFromXml(body: Buffer, limit: number): Tag[] {
  const tagSet = childOf(parseXml(body, "Tagging"), "TagSet");
  if (!tagSet) throw malformedXml();
  const tags = children(tagSet, "Tag").map((tag) => {
    const key = textOf(tag, "Key");
    if (key === undefined) throw malformedXml();
    return { key, value: textOf(tag, "Value") ?? "" };
  });
  return validateTags(tags, limit);
}

/** Tags sent with PutObject or CreateMultipartUpload: `x-amz-tagging: a=1&b=2`. */
export function tagsFromHeader(request: S3Request): Tag[] {
  const value = header(request, "x-amz-tagging");
  if (!value) return [];
  const tags = [...new URLSearchParams(value).entries()].map(([key, tagValue]) => ({ key, value: tagValue }));
  return validateTags(tags, OBJECT_TAG_LIMIT);
}

function tagging(tags: readonly Tag[], headers: Record<string, string | undefined> = {}) {
  return xmlReply(
    el("Tagging", [
      el(
        "TagSet",
        tags.map((tag) => el("Tag", [el("Key", tag.key), el("Value", tag.value)])),
      ),
    ]),
    SETTINGS_CONTENT_TYPE,
    headers,
  );
}

export function getBucketTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!bucket.tags?.length) throw noSuchTagSet(bucket.id);
  return tagging(bucket.tags);
}

export function putBucketTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const tags = tagsFromXml(request.body, BUCKET_TAG_LIMIT);
  bucket.tags = tags.length ? tags : null;
  service.state.buckets.touch();
  return {};
}

export function deleteBucketTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.tags = null;
  service.state.buckets.touch();
  return { status: 204 };
}

/** An object without tags answers an empty TagSet (as recorded), not an error. */
export function getObjectTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  return tagging(version.tags, { "x-amz-version-id": versionIdHeader(bucket, version) });
}

export function putObjectTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  version.tags = tagsFromXml(request.body, OBJECT_TAG_LIMIT);
  service.state.changed();
  return { headers: { "x-amz-version-id": versionIdHeader(bucket, version) } };
}

export function deleteObjectTagging(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const version = readableVersion(service, request, bucket);
  version.tags = [];
  service.state.changed();
  return { status: 204, headers: { "x-amz-version-id": versionIdHeader(bucket, version) } };
}
