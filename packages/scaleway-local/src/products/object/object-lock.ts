import {
  accessDenied,
  invalidArgument,
  invalidBucketState,
  invalidRequest,
  malformedXml,
  noSuchObjectLock,
  noSuchObjectRetention,
} from "./errors";
import type { BucketRecord, DefaultRetention, Retention, RetentionMode, VersionRecord } from "./model";
import { header, type S3Request } from "./request";
import { SETTINGS_CONTENT_TYPE, xmlReply, type ObjectService, type S3Reply } from "./service";
import { readableVersion } from "./versions";
import { S3_NAMESPACE, childOf, el, opt, parseXml, textOf } from "./xml";

const MODES: readonly RetentionMode[] = ["GOVERNANCE", "COMPLIANCE"];
const DAY_MS = 24 * 3600_000;

function modeOf(value: string | undefined): RetentionMode {
  if (!MODES.includes(value as RetentionMode)) throw malformedXml();
  return value as RetentionMode;
}

export function getObjectLockConfiguration(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  if (!bucket.objectLock) throw noSuchObjectLock();
  const rule = bucket.objectLockRule;
  const retention = rule
    ? el("Rule", [
        el("DefaultRetention", [
          opt("Days", rule.days ?? undefined),
          el("Mode", rule.mode),
          opt("Years", rule.years ?? undefined),
        ]),
      ])
    : undefined;
  return xmlReply(
    el("ObjectLockConfiguration", [el("ObjectLockEnabled", "Enabled"), retention], { xmlns: S3_NAMESPACE }),
    SETTINGS_CONTENT_TYPE,
  );
}

/**
 * Sets the default retention. Object lock is switched on at bucket creation, or later on
 * a bucket whose versioning is enabled, and never off again.
 */
export function putObjectLockConfiguration(service: ObjectService, request: S3Request): S3Reply {
  const bucket = service.requireBucket(request);
  const configuration = parseXml(request.body, "ObjectLockConfiguration");
  if (textOf(configuration, "ObjectLockEnabled") !== "Enabled") throw malformedXml();
  if (!bucket.objectLock && bucket.versioning !== "Enabled")
    throw invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  const retention = childOf(childOf(configuration, "Rule"), "DefaultRetention");
  let rule: DefaultRetention | null = null;
  if (retention) {
    const days = textOf(retention, "Days");
    const years = textOf(retention, "Years");
    if ((days === undefined) === (years === undefined)) throw malformedXml();
    const count = days ?? years!;
    if (!/^[1-9]\d*$/.test(count))
      throw invalidArgument(
        "Default retention period must be a positive integer value",
        days ? "Days" : "Years",
        count,
      );
    rule = {
      mode: modeOf(textOf(retention, "Mode")),
      days: days ? Number(days) : null,
      years: years ? Number(years) : null,
    };
  }
  bucket.objectLock = true;
  bucket.objectLockRule = rule;
  service.state.buckets.touch();
  return {};
}

/** The retention a new version gets: what the request asks, else the bucket's default. */
export function retentionForWrite(
  bucket: BucketRecord,
  request: S3Request,
): { retention: Retention | null; legalHold: boolean } {
  const mode = header(request, "x-amz-object-lock-mode");
  const until = header(request, "x-amz-object-lock-retain-until-date");
  const hold = header(request, "x-amz-object-lock-legal-hold");
  if ((mode || until || hold) && !bucket.objectLock)
    throw invalidRequest("Bucket is missing Object Lock Configuration");
  if (Boolean(mode) !== Boolean(until))
    throw invalidArgument(
      "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
      "x-amz-object-lock-mode",
      mode ?? "",
    );
  if (hold && hold !== "ON" && hold !== "OFF")
    throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
  let retention: Retention | null = null;
  if (mode && until) {
    if (!MODES.includes(mode as RetentionMode))
      throw invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
    retention = { mode: mode as RetentionMode, until: parseFutureDate(until) };
  } else if (bucket.objectLockRule) {
    const rule = bucket.objectLockRule;
    const days = rule.days ?? (rule.years ?? 0) * 365;
    retention = { mode: rule.mode, until: new Date(Date.now() + days * DAY_MS).toISOString() };
  }
  return { retention, legalHold: hold === "ON" };
}

function parseFutureDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw invalidArgument("The retain until date is not valid", "RetainUntilDate", value);
  if (date.getTime() <= Date.now())
    throw invalidArgument("The retain until date must be in the future!", "RetainUntilDate", value);
  return date.toISOString();
}

const bypassesGovernance = (request: S3Request) =>
  header(request, "x-amz-bypass-governance-retention")?.toLowerCase() === "true";

/** A locked version cannot be deleted or overwritten in place: legal hold, or retention not yet over. */
export function assertNotLocked(version: VersionRecord, request: S3Request): void {
  if (version.legalHold) throw accessDenied("Access Denied because object protected by object lock.");
  const retention = version.retention;
  if (!retention || new Date(retention.until).getTime() <= Date.now()) return;
  if (retention.mode === "GOVERNANCE" && bypassesGovernance(request)) return;
  throw accessDenied("Access Denied because object protected by object lock.");
}

/** Headers that describe a version's lock. */
export function lockHeaders(version: VersionRecord): Record<string, string> {
  return {
    ...(version.retention
      ? {
          "x-amz-object-lock-mode": version.retention.mode,
          "x-amz-object-lock-retain-until-date": version.retention.until,
        }
      : {}),
    ...(version.legalHold ? { "x-amz-object-lock-legal-hold": "ON" } : {}),
  };
}

function lockedVersion(service: ObjectService, request: S3Request) {
  const bucket = service.requireBucket(request);
  if (!bucket.objectLock) throw invalidRequest("Bucket is missing Object Lock Configuration");
  return readableVersion(service, request, bucket);
}

export function getObjectRetention(service: ObjectService, request: S3Request): S3Reply {
  const version = lockedVersion(service, request);
  if (!version.retention) throw noSuchObjectRetention();
  return xmlReply(
    el("Retention", [el("Mode", version.retention.mode), el("RetainUntilDate", version.retention.until)], {
      xmlns: S3_NAMESPACE,
    }),
    SETTINGS_CONTENT_TYPE,
  );
}

/** Retention may grow; shortening or removing it needs GOVERNANCE mode and the bypass header. */
export function putObjectRetention(service: ObjectService, request: S3Request): S3Reply {
  const version = lockedVersion(service, request);
  const document = parseXml(request.body, "Retention");
  const modeText = textOf(document, "Mode");
  const untilText = textOf(document, "RetainUntilDate");
  const next = modeText && untilText ? { mode: modeOf(modeText), until: parseFutureDate(untilText) } : null;
  const current = version.retention;
  const active = current && new Date(current.until).getTime() > Date.now();
  const weakens =
    active && (!next || next.until < current.until || (current.mode === "COMPLIANCE" && next.mode !== "COMPLIANCE"));
  if (weakens && (current.mode === "COMPLIANCE" || !bypassesGovernance(request)))
    throw accessDenied("Access Denied because object protected by object lock.");
  version.retention = next;
  service.state.changed();
  return {};
}

export function getObjectLegalHold(service: ObjectService, request: S3Request): S3Reply {
  const version = lockedVersion(service, request);
  return xmlReply(
    el("LegalHold", [el("Status", version.legalHold ? "ON" : "OFF")], { xmlns: S3_NAMESPACE }),
    SETTINGS_CONTENT_TYPE,
  );
}

export function putObjectLegalHold(service: ObjectService, request: S3Request): S3Reply {
  const version = lockedVersion(service, request);
  const status = textOf(parseXml(request.body, "LegalHold"), "Status");
  if (status !== "ON" && status !== "OFF") throw malformedXml();
  version.legalHold = status === "ON";
  service.state.changed();
  return {};
}
