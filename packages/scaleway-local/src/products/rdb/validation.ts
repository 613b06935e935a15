import { isIPv4 } from "node:net";
import { invalidArgument } from "../../http/errors";
import type { Permission } from "../../postgres";

/** Reading and checking request fields, with the service's invalid_arguments answers. */

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || value === "") throw invalidArgument(key, `${key} is required`, "required");
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidArgument(key, `${key} must be a string`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidArgument(key, `${key} must be a boolean`);
  return value;
}

export function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw invalidArgument(key, `${key} must be a positive number`);
  return value;
}

export function stringList(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw invalidArgument(key, `${key} must be a list of strings`);
  return value as string[];
}

export function objectList(body: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => !item || typeof item !== "object"))
    throw invalidArgument(key, `${key} must be a list of objects`);
  return value as Array<Record<string, unknown>>;
}

export function optionalDate(body: Record<string, unknown>, key: string): string | undefined {
  const value = optionalString(body, key);
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw invalidArgument(key, `${key} must be an ISO 8601 date`);
  return new Date(value).toISOString();
}

/** User names as the service accepts them for PostgreSQL. */
export function checkUserName(name: string, key = "name"): string {
  if (!/^[a-zA-Z][a-zA-Z0-9_$-]{0,62}$/.test(name))
    throw invalidArgument(
      key,
      "must be 1 to 63 characters, start with a letter and hold only letters, digits and _$- characters",
    );
  if (/^(_rdb|pg_)/i.test(name)) throw invalidArgument(key, "cannot start with _rdb or pg_");
  return name;
}

export function checkDatabaseName(name: string, key = "name"): string {
  if (!/^[a-zA-Z0-9_][a-zA-Z0-9_$-]{0,62}$/.test(name))
    throw invalidArgument(key, "must be 1 to 63 characters among letters, digits and _$- characters");
  if (/^(_rdb|pg_|template[01]$|postgres$)/i.test(name)) throw invalidArgument(key, "this name is reserved");
  return name;
}

export function checkPassword(password: string, key = "password"): string {
  const ok =
    password.length >= 8 &&
    password.length <= 128 &&
    /[0-9]/.test(password) &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /[^a-zA-Z0-9]/.test(password);
  if (!ok)
    throw invalidArgument(
      key,
      "must be between 8 and 128 characters, contain at least one digit, one uppercase, one lowercase and one special character",
    );
  return password;
}

const PERMISSIONS: readonly Permission[] = ["readonly", "readwrite", "all", "custom", "none"];

export function checkPermission(value: unknown): Permission {
  if (value === undefined || value === null || value === "") return "readonly";
  if (!PERMISSIONS.includes(value as Permission))
    throw invalidArgument("permission", `must be one of ${PERMISSIONS.join(", ")}`);
  return value as Permission;
}

/** An IPv4 network in CIDR notation (`10.0.0.0/24`); a bare address means /32. */
export function checkCidr(value: unknown, key: string): string {
  if (typeof value !== "string") throw invalidArgument(key, `${key} must be an IPv4 network such as 10.0.0.0/24`);
  const [address, prefix = "32"] = value.split("/");
  if (!address || !isIPv4(address) || !/^\d+$/.test(prefix) || Number(prefix) > 32)
    throw invalidArgument(key, `${key} must be an IPv4 network such as 10.0.0.0/24`);
  return `${address}/${prefix}`;
}
