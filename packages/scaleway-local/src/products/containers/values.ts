import { invalidArgument } from "../../http/errors";
import { optionalString, type Body } from "../../http/input";

/**
 * Readers for request bodies that only Serverless Containers needs (the common ones are
 * shared from http/input): each checks one field's type and answers Scaleway's
 * `invalid_arguments` error when it is wrong, so that handlers stay declarative.
 * `undefined` means "absent or null", which the APIs treat alike.
 */
export { optionalBoolean, optionalObject, optionalString, requiredString, type Body } from "../../http/input";

export function optionalInteger(body: Body, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = body[key];
  if (raw === undefined || raw === null) return undefined;
  // Go's SDK sends 64-bit sizes as numbers, some clients as strings.
  const value = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(key, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function optionalStringList(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidArgument(key, "must be a list of strings");
  }
  return [...(value as string[])];
}

export function optionalStringMap(body: Body, key: string): Record<string, string> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidArgument(key, "must be a map of strings");
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, item]) => typeof item !== "string")) throw invalidArgument(key, "must be a map of strings");
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A value among an enum's; the API's `unknown_*` value (or nothing) means "not given". */
export function optionalEnum<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, key);
  if (value === undefined || value === "" || value.startsWith("unknown")) return undefined;
  if (!allowed.includes(value as T)) throw invalidArgument(key, `must be one of ${allowed.join(", ")}`);
  return value as T;
}

/**
 * Durations as protobuf's JSON writes them: the Go SDK sends "300.000000000s" and the API
 * answers "300s"; fractions keep the digits they need ("1.5s").
 */
export function optionalDuration(body: Body, key: string): string | undefined {
  const value = optionalString(body, key);
  if (value === undefined) return undefined;
  const match = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(value);
  if (!match) throw invalidArgument(key, 'must be a duration such as "300s"');
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  return `${Number(match[1])}${fraction ? `.${fraction}` : ""}s`;
}

export function durationSeconds(duration: string): number {
  return Number(duration.replace(/s$/, ""));
}

/** Timestamps in the API's format; `expires_at` arrives with any offset and is answered in UTC, to the second. */
export function optionalTimestamp(body: Body, key: string): string | undefined {
  const value = optionalString(body, key);
  if (value === undefined || value === "") return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidArgument(key, "must be an RFC 3339 timestamp");
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A UNIX cron schedule: five fields (or a `@daily`-style macro) and a tz-database time zone. */
export function checkCron(schedule: string, timezone: string, prefix: string): void {
  const fields = schedule.trim().split(/\s+/);
  const macro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(schedule.trim());
  if (!macro && (fields.length !== 5 || fields.some((field) => !/^[\w*/,\-?#LW]+$/.test(field)))) {
    throw invalidArgument(`${prefix}.schedule`, "must be a UNIX cron schedule such as '5 4 * * *'");
  }
  if (!isTimeZone(timezone)) {
    throw invalidArgument(`${prefix}.timezone`, "must be a time zone of the tz database, such as 'Europe/Paris'");
  }
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return timezone !== "";
  } catch {
    return false;
  }
}

/** Region names as Scaleway spells them (fr-par, nl-ams, pl-waw). */
export function checkRegion(region: string | undefined): string {
  if (!region || !/^[a-z]{2}-[a-z]{3}$/.test(region)) {
    throw invalidArgument("region", "must be a Scaleway region such as fr-par");
  }
  return region;
}
