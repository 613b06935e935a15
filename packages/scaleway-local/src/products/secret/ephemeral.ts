import { invalidArgument } from "../../http/errors";
import { optionalBoolean, optionalObject } from "../../http/input";
import type { EphemeralPolicy, EphemeralProperties, VersionRecord } from "./state";

const ACTIONS = ["delete", "disable"];
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * An ephemeral policy from a request: `time_to_live` is a protobuf duration
 * (`"1800.000000000s"`), answered in its short form (`"1800s"`), from one second to a year.
 */
export function ephemeralPolicy(body: Record<string, unknown>): EphemeralPolicy | null | undefined {
  if (body.ephemeral_policy === null) return null;
  const policy = optionalObject(body, "ephemeral_policy");
  if (!policy) return undefined;
  const action = policy.action;
  if (typeof action !== "string" || !ACTIONS.includes(action))
    throw invalidArgument("ephemeral_policy.action", `must be one of ${ACTIONS.join(", ")}`, "required");
  return {
    time_to_live: duration(policy.time_to_live),
    expires_once_accessed: optionalBoolean(policy, "expires_once_accessed") ?? false,
    action: action as EphemeralPolicy["action"],
  };
}

function duration(value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  const seconds = match ? Number(match[1]) : NaN;
  if (!(seconds >= 1 && seconds <= ONE_YEAR_SECONDS))
    throw invalidArgument("ephemeral_policy.time_to_live", "must be a duration from 1s to one year (e.g. 3600s)");
  return `${Math.round(seconds)}s`;
}

/** What a new version inherits from its secret's policy. */
export function propertiesFor(policy: EphemeralPolicy | null, createdAt: Date): EphemeralProperties | null {
  if (!policy) return null;
  const ttl = policy.time_to_live ? Number(policy.time_to_live.slice(0, -1)) : undefined;
  return {
    expires_at: ttl ? new Date(createdAt.getTime() + ttl * 1000).toISOString() : null,
    expires_once_accessed: policy.expires_once_accessed,
    action: policy.action,
  };
}

/** The status an expired version moves to, or undefined while it is still valid. */
export function expiredStatus(version: VersionRecord, now = Date.now()): VersionRecord["status"] | undefined {
  const properties = version.ephemeral_properties;
  if (!properties?.expires_at || version.status !== "enabled") return undefined;
  if (Date.parse(properties.expires_at) > now) return undefined;
  return properties.action === "disable" ? "disabled" : "deleted";
}
