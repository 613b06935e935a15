import { crc32 } from "node:zlib";
import { ScalewayError, invalidArgument } from "../../http/errors";
import type { SecretType } from "./state";

/** Fields each structured secret type requires in its JSON payload. */
const REQUIRED_FIELDS: Partial<Record<SecretType, readonly string[]>> = {
  basic_credentials: ["username", "password"],
  database_credentials: ["engine", "username", "password", "host", "dbname", "port"],
  ssh_key: ["ssh_private_key"],
};

/**
 * Checks a version's payload: base64, optionally matching a CRC32, and shaped as its
 * secret's type requires (a JSON object of strings for key_value, the fields of
 * credentials, a PEM block for a certificate). Returns the CRC32 to keep, if given.
 */
export function checkPayload(type: SecretType, data: unknown, dataCrc32: unknown): number | null {
  if (typeof data !== "string" || data === "") throw invalidArgument("data", "data is required", "required");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)
    throw invalidArgument("data", "must be base64-encoded");
  const bytes = Buffer.from(data, "base64");
  let checksum: number | null = null;
  if (dataCrc32 !== undefined && dataCrc32 !== null) {
    if (typeof dataCrc32 !== "number" || !Number.isInteger(dataCrc32))
      throw invalidArgument("data_crc32", "must be an integer");
    if (crc32(bytes) !== dataCrc32) throw invalidArgument("data_crc32", "the CRC32 checksum does not match the data");
    checksum = dataCrc32;
  }
  if (type === "certificate" && !bytes.toString("utf8").includes("-----BEGIN "))
    throw formatError("- (root): must be a PEM-encoded certificate\n");
  if (type === "key_value" || REQUIRED_FIELDS[type]) checkJson(type, bytes);
  return checksum;
}

function checkJson(type: SecretType, bytes: Buffer): void {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw formatError("- (root): Invalid JSON\n");
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw formatError(`- (root): Invalid type. Expected: object, given: ${jsonType(value)}\n`);
  const fields = value as Record<string, unknown>;
  const problems = Object.entries(fields)
    .filter(([, inner]) => typeof inner !== "string")
    .map(([key, inner]) => `- ${key}: Invalid type. Expected: string, given: ${jsonType(inner)}\n`);
  for (const key of REQUIRED_FIELDS[type] ?? []) if (!(key in fields)) problems.push(`- (root): ${key} is required\n`);
  if (problems.length > 0) throw formatError(problems.join(""));
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
}

/** The API's answer to a payload of the wrong shape: reason `format`, a schema report. */
function formatError(help: string): ScalewayError {
  return new ScalewayError(400, {
    details: [{ argument_name: "data", help_message: help, reason: "format" }],
    message: "invalid argument(s)",
    type: "invalid_arguments",
  });
}
