import { S3Error, invalidRequest, malformedXml, noSuchCors } from "./errors";
import type { BucketRecord } from "./model";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { children, el, opt, parseXml, textOf, textsOf } from "./xml";

export interface CorsRule {
  readonly id: string | null;
  readonly allowedHeaders: string[];
  readonly allowedMethods: string[];
  readonly allowedOrigins: string[];
  readonly exposeHeaders: string[];
  readonly maxAgeSeconds: number | null;
}

const METHODS = ["GET", "PUT", "HEAD", "POST", "DELETE"];

function ruleFromXml(rule: Record<string, unknown>): CorsRule {
  const allowedMethods = textsOf(rule, "AllowedMethod");
  const allowedOrigins = textsOf(rule, "AllowedOrigin");
  if (!allowedMethods.length || !allowedOrigins.length) throw malformedXml();
  for (const method of allowedMethods) {
    if (!METHODS.includes(method))
      throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
  }
  const maxAge = textOf(rule, "MaxAgeSeconds");
  if (maxAge !== undefined && !/^\d+$/.test(maxAge)) throw malformedXml();
  return {
    id: textOf(rule, "ID") ?? null,
    allowedHeaders: textsOf(rule, "AllowedHeader"),
    allowedMethods,
    allowedOrigins,
    exposeHeaders: textsOf(rule, "ExposeHeader"),
    maxAgeSeconds: maxAge === undefined ? null : Number(maxAge),
  };
}

export function getBucketCors(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const rules = bucket.cors as CorsRule[] | null;
  if (!rules?.length) throw noSuchCors();
  // As recorded: no namespace, elements in alphabetical order.
  const elements = rules.map((rule) =>
    el("CORSRule", [
      ...rule.allowedHeaders.map((value) => el("AllowedHeader", value)),
      ...rule.allowedMethods.map((value) => el("AllowedMethod", value)),
      ...rule.allowedOrigins.map((value) => el("AllowedOrigin", value)),
      ...rule.exposeHeaders.map((value) => el("ExposeHeader", value)),
      opt("ID", rule.id ?? undefined),
      opt("MaxAgeSeconds", rule.maxAgeSeconds ?? undefined),
    ]),
  );
  return xmlReply(el("CORSConfiguration", elements), SETTINGS_CONTENT_TYPE);
}

export function putBucketCors(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const rules = children(parseXml(request.body, "CORSConfiguration"), "CORSRule").map(ruleFromXml);
  if (rules.length === 0 || rules.length > 100) throw malformedXml();
  bucket.cors = rules;
  service.state.buckets.touch();
  return {};
}

export function deleteBucketCors(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.cors = null;
  service.state.buckets.touch();
  return { status: 204 };
}

/** `*` in an allowed origin or header matches any run of characters. */
function matches(pattern: string, value: string): boolean {
  const expression = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${expression}$`, "i").test(value);
}

function matchingRule(bucket: BucketRecord, origin: string, method: string, requestHeaders: string[]) {
  return (bucket.cors as CorsRule[] | null)?.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => matches(allowed, origin)) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((name) => rule.allowedHeaders.some((allowed) => matches(allowed, name))),
  );
}

function allowHeaders(rule: CorsRule, origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": rule.allowedOrigins.includes("*") ? "*" : origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
    ...(rule.exposeHeaders.length ? { "access-control-expose-headers": rule.exposeHeaders.join(", ") } : {}),
    ...(rule.maxAgeSeconds !== null ? { "access-control-max-age": String(rule.maxAgeSeconds) } : {}),
    vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
  };
}

/** Answers a browser's preflight OPTIONS from the bucket's CORS rules; no credentials needed. */
export function preflight(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const origin = header(request, "origin");
  const method = header(request, "access-control-request-method");
  if (!origin || !method) throw invalidRequest("Insufficient information. Origin request header needed.");
  if (!bucket.cors?.length) throw new S3Error(403, "CORSResponse", "CORS is not enabled for this bucket.");
  const requested = (header(request, "access-control-request-headers") ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const rule = matchingRule(bucket, origin, method, requested);
  if (!rule) throw new S3Error(403, "CORSResponse", "This CORS request is not allowed.");
  return {
    headers: {
      ...allowHeaders(rule, origin),
      ...(requested.length ? { "access-control-allow-headers": requested.join(", ") } : {}),
    },
  };
}

/** CORS headers for an actual cross-origin request, when a rule allows it. */
export function corsHeaders(bucket: BucketRecord | undefined, request: S3Request): Record<string, string> {
  const origin = header(request, "origin");
  if (!bucket || !origin) return {};
  const rule = matchingRule(bucket, origin, request.method, []);
  return rule ? allowHeaders(rule, origin) : {};
}
