import { invalidArgument } from "../../http/errors";

/** Regions Cockpit runs in; the regional API answers only these. */
export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type Region = (typeof REGIONS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function regionOf(params: Readonly<Record<string, string>>): Region {
  const region = params.region ?? "";
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw invalidArgument("region", `region must be one of ${REGIONS.join(", ")}`);
  }
  return region as Region;
}

/** A project ID from the query or the body: the SDKs always send one (their default project). */
export function projectIdOf(value: unknown): string {
  if (value === undefined || value === null || value === "") {
    throw invalidArgument("project_id", "project_id is required", "required");
  }
  if (typeof value !== "string" || !UUID.test(value)) throw invalidArgument("project_id", "must be a valid UUID");
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidArgument(key, `${key} must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined || value === "") throw invalidArgument(key, `${key} is required`, "required");
  return value;
}

export function optionalInteger(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw invalidArgument(key, `${key} must be an integer`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidArgument(key, `${key} must be a boolean`);
  return value;
}

/** A value of an API enum; `unknown_*` (the protobuf zero value) counts as unset. */
export function enumValue<T extends string>(value: unknown, allowed: readonly T[], key: string): T | undefined {
  if (
    value === undefined ||
    value === null ||
    value === "" ||
    (typeof value === "string" && value.startsWith("unknown_"))
  )
    return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(key, `${key} must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidArgument(key, `${key} must be a list of strings`);
  }
  return value as string[];
}

/**
 * A repeated query parameter (`types=metrics&types=logs`). The shared router keeps the last
 * value of a repeated key only, so comma-separated values are accepted as well.
 */
export function queryList(queryAll: Readonly<Record<string, readonly string[]>>, key: string): string[] {
  // Repeated keys (as the SDKs send lists) and comma-separated values both work.
  return (queryAll[key] ?? []).flatMap((value) => value.split(",")).filter((item) => item !== "");
}

/** A list's `order_by`, checked against what the API accepts. */
export function orderOf(query: Readonly<Record<string, string>>, allowed: readonly string[], fallback: string): string {
  const order = query.order_by || fallback;
  if (!allowed.includes(order)) throw invalidArgument("order_by", `order_by must be one of ${allowed.join(", ")}`);
  return order;
}
