import { invalidArgument, malformedXml, noSuchWebsite } from "./errors";
import type { S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { S3_NAMESPACE, childOf, el, parseXml, textOf, treeElements, type XmlTree } from "./xml";

/** The order S3 writes the parts of a website configuration in. */
const ORDER = ["RedirectAllRequestsTo", "IndexDocument", "ErrorDocument", "RoutingRules"];

export function getBucketWebsite(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!bucket.website) throw noSuchWebsite(bucket.id);
  const website = bucket.website as XmlTree;
  const parts = ORDER.filter((name) => website[name] !== undefined).flatMap((name) =>
    treeElements({ [name]: website[name] }),
  );
  return xmlReply(el("WebsiteConfiguration", parts, { xmlns: S3_NAMESPACE }), SETTINGS_CONTENT_TYPE);
}

export function putBucketWebsite(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const website = parseXml(request.body, "WebsiteConfiguration");
  const redirect = childOf(website, "RedirectAllRequestsTo");
  const suffix = textOf(childOf(website, "IndexDocument"), "Suffix");
  if (redirect) {
    if (!textOf(redirect, "HostName")) throw malformedXml();
  } else if (suffix === undefined) {
    throw malformedXml();
  } else if (suffix === "" || suffix.includes("/")) {
    throw invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
  }
  const kept = Object.fromEntries(Object.entries(website).filter(([name]) => ORDER.includes(name)));
  bucket.website = kept;
  service.state.buckets.touch();
  return {};
}

export function deleteBucketWebsite(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.website = null;
  service.state.buckets.touch();
  return { status: 204 };
}
