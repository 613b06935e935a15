import { invalidArgument } from "./errors";
import type { ApiRequest } from "./router";

/**
 * Readers of request fields that answer the API's own `invalid_arguments` when a field
 * has the wrong type, so that handlers stay one line long.
 */
export type Body = Readonly<Record<string, unknown>>;

export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidArgument(key, "must be a string");
  return value;
}

export function requiredString(body: Body, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined || value === "") throw invalidArgument(key, `${key} is required`, "required");
  return value;
}

export function optionalBoolean(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidArgument(key, "must be a boolean");
  return value;
}

/** A list of strings; `null` (what the provider sends for "none") reads as undefined. */
export function optionalStrings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw invalidArgument(key, "must be a list of strings");
  return value as string[];
}

export function optionalObject(body: Body, key: string): Body | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidArgument(key, "must be an object");
  return value as Body;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs in paths and bodies are UUIDs; the API refuses anything else before looking it up. */
export function uuid(value: string, argument: string): string {
  if (!UUID.test(value)) throw invalidArgument(argument, "must be a valid UUID");
  return value;
}

export function optionalUuid(body: Body, key: string): string | undefined {
  const value = optionalString(body, key);
  return value === undefined || value === "" ? undefined : uuid(value, key);
}

/** `true`/`false` query values; anything else is refused. */
export function queryBoolean(query: Readonly<Record<string, string>>, key: string): boolean | undefined {
  const value = query[key];
  if (value === undefined || value === "") return undefined;
  if (value !== "true" && value !== "false") throw invalidArgument(key, "must be true or false");
  return value === "true";
}

/**
 * Every value of a repeated query parameter (`tags=a&tags=b`). The router keeps the last
 * value only unless it offers `queryAll`; this reads whichever it has.
 */
export function queryValues(request: ApiRequest, key: string): string[] {
  // Repeated keys (as the SDKs send lists) and comma-separated values both work.
  return (request.queryAll[key] ?? []).flatMap((value) => value.split(",")).filter((value) => value !== "");
}

/** A date the API stores to the second, as it answers it (`2035-07-06T09:00:00Z`). */
export function optionalDate(body: Body, key: string): string | undefined {
  const value = optionalString(body, key);
  if (value === undefined || value === "") return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidArgument(key, "must be an RFC 3339 date");
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
