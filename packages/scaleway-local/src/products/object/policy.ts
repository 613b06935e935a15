import { malformedPolicy, noSuchPolicy } from "./errors";
import type { BucketRecord } from "./model";
import type { S3Request } from "./request";
import type { ObjectService, S3Reply } from "./service";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Scaleway gives a policy back normalised: keys sorted, lists of strings sorted, and a
 * list of one string written as that string (["s3:*"] reads back "s3:*", as recorded;
 * a Statement list of one stays a list).
 */
function normalise(value: Json): Json {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    if (!items.every((item) => typeof item === "string")) return items;
    (items as string[]).sort();
    return items.length === 1 ? items[0]! : items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalise(value[key]!)]),
    );
  }
  return value;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function validate(policy: Json): void {
  if (!policy || typeof policy !== "object" || Array.isArray(policy))
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  const statements = asList(policy.Statement);
  if (!statements.length) throw malformedPolicy("Missing required field Statement");
  for (const statement of statements as Statement[]) {
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny")
      throw malformedPolicy("Invalid effect: must be Allow or Deny");
    if (statement.Principal === undefined) throw malformedPolicy("Missing required field Principal");
    if (statement.Action === undefined && statement.NotAction === undefined)
      throw malformedPolicy("Missing required field Action");
    if (statement.Resource === undefined) throw malformedPolicy("Missing required field Resource");
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function getBucketPolicy(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!bucket.policy) throw noSuchPolicy(bucket.id);
  return { headers: { "content-type": "text/plain; charset=utf-8" }, body: bucket.policy };
}

export function putBucketPolicy(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  let policy: Json;
  try {
    policy = JSON.parse(request.body.toString("utf8")) as Json;
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  validate(policy);
  bucket.policy = JSON.stringify(normalise(policy));
  service.state.buckets.touch();
  // Scaleway answers 200 here (S3 answers 204), as recorded.
  return {};
}

export function deleteBucketPolicy(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  bucket.policy = null;
  service.state.buckets.touch();
  return { status: 204 };
}

function wildcard(pattern: string, value: string): boolean {
  const expression = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${expression}$`).test(value);
}

const isEveryone = (principal: unknown) =>
  principal === "*" ||
  (typeof principal === "object" &&
    principal !== null &&
    Object.values(principal).some((value) => asList(value).includes("*")));

/**
 * Whether the bucket policy lets anyone (no credentials) do `action` on `resource`
 * (`bucket` or `bucket/key`; `arn:aws:s3:::` prefixes are accepted). A Deny wins;
 * statements with conditions are not evaluated, so they never allow.
 */
export function policyAllowsAnyone(bucket: BucketRecord, action: string, resource: string): boolean {
  if (!bucket.policy) return false;
  const statements = asList((JSON.parse(bucket.policy) as { Statement?: unknown }).Statement) as Statement[];
  const applies = (statement: Statement) =>
    isEveryone(statement.Principal) &&
    asList(statement.Action).some((pattern) => wildcard(String(pattern), action)) &&
    asList(statement.Resource).some((pattern) => wildcard(String(pattern).replace(/^arn:aws:s3:::/, ""), resource));
  if (statements.some((statement) => statement.Effect === "Deny" && applies(statement))) return false;
  return statements.some((statement) => statement.Effect === "Allow" && !statement.Condition && applies(statement));
}
