/**
 * A plain view of a resource's inputs as the policy SDK hands them over.
 *
 * During a preview, values that depend on resources not created yet are unknown. The SDK
 * wraps props in a proxy that throws as soon as such a value is read, which aborts the
 * whole policy for that resource. Copying the props through property descriptors (which
 * the proxy does not intercept) lets a policy check that an input is set even when its
 * value is not known yet, and skip only the value checks it cannot make.
 */

/** Marks a value the engine does not know yet (preview). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export type Plain = string | number | boolean | null | Unknown | readonly Plain[] | PlainRecord;
export interface PlainRecord {
  readonly [key: string]: Plain;
}

// The wire sentinels of unknown values, one per type (Pulumi's RPC layer; @pulumi/policy proxy.js).
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Copies props into plain data, unknown values replaced by UNKNOWN, without tripping the SDK's proxy. */
export function plainInputs(props: unknown): PlainRecord {
  const value = toPlain(props);
  return isRecord(value) ? value : {};
}

function toPlain(value: unknown): Plain {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (value === undefined || typeof value !== "object") return null;
  const own = (key: string) => Object.getOwnPropertyDescriptor(value, key)?.value as unknown;
  if (Array.isArray(value)) return Object.keys(value).map((key) => toPlain(own(key)));
  const copy: Record<string, Plain> = {};
  for (const key of Object.keys(value)) {
    const inner = own(key);
    // The SDK drops undefined inputs; so do we, so that "absent" has one meaning.
    if (inner !== undefined) copy[key] = toPlain(inner);
  }
  return copy;
}

export function isUnknown(value: Plain | undefined): value is Unknown {
  return value === UNKNOWN;
}

export function isRecord(value: Plain | undefined): value is PlainRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: Plain | undefined): PlainRecord | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: Plain | undefined): readonly Plain[] | undefined {
  return Array.isArray(value) ? (value as readonly Plain[]) : undefined;
}

export function asString(value: Plain | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asNumber(value: Plain | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/** Set: present and not null/empty string; an unknown value counts as set (it will be something). */
export function isSet(value: Plain | undefined): boolean {
  return value !== undefined && value !== null && value !== "";
}
