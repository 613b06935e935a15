import { XMLParser } from "fast-xml-parser";

/**
 * Fields the real API added or started filling in between the recordings (which span
 * several months of the API): a recording from before the change lacks them, one from
 * after has them. The local Scaleway follows the current API; these fields alone do not
 * make an answer differ. Each entry says why.
 */
const FIELDS_THAT_CHANGED: Record<string, string> = {
  // cockpit data sources: present in reads from December 2025 on, absent before.
  current_month_usage: "cockpit data sources, added 2025-12",
  // cockpit data sources: always filled in by the current API, absent in 2024 recordings.
  retention_days: "cockpit data sources, filled in since 2025",
  // account projects: absent from the recordings made before 2025-11, present after.
  qualification: "account projects, added 2025-11",
  // vpc private networks: absent from the recordings made in early 2025, present after.
  default_route_propagation_enabled: "vpc private networks, added 2025",
};

/**
 * Compares the shape of two bodies: the same keys and value types, whatever the values.
 * `null` on either side matches any type (a field set in one run, empty in another),
 * an empty list matches any list, and each list item must match one recorded item.
 */
export function shapeDifferences(expected: unknown, actual: unknown, path = "$"): string[] {
  if (expected === null || actual === null) return [];
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual))
      return [`${path}: ${kind(expected)} expected, got ${kind(actual)}`];
    if (expected.length === 0 || actual.length === 0) return [];
    return actual
      .flatMap((item, index) => {
        // Items differ among themselves (optional fields): any recorded item may be the model.
        const tries = expected.map((recorded) => shapeDifferences(recorded, item, `${path}[${index}]`));
        return tries.find((problems) => problems.length === 0) ?? tries[0]!;
      })
      .slice(0, 5);
  }
  if (typeof expected === "object" && typeof actual === "object") {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(e)
      .filter((key) => !(key in a) && !(key in FIELDS_THAT_CHANGED))
      .map((key) => `${path}.${key}: missing`);
    const extra = Object.keys(a)
      .filter((key) => !(key in e) && !(key in FIELDS_THAT_CHANGED))
      .map((key) => `${path}.${key}: not in the recording`);
    const inner = Object.keys(e)
      .filter((key) => key in a)
      .flatMap((key) => shapeDifferences(e[key], a[key], `${path}.${key}`));
    return [...missing, ...extra, ...inner];
  }
  return kind(expected) === kind(actual) ? [] : [`${path}: ${kind(expected)} expected, got ${kind(actual)}`];
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return "list";
  return value === null ? "null" : typeof value;
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: () => false });

/** A body as a value to compare: JSON, XML, or undefined for an empty or opaque body. */
export function parseBody(text: string | undefined, contentType: string): unknown {
  if (!text || typeof text !== "string") return undefined;
  const trimmed = text.trim();
  if (contentType.includes("json") || trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return undefined;
    }
  }
  if (contentType.includes("xml") || trimmed.startsWith("<")) return normaliseXml(xml.parse(trimmed));
  return undefined;
}

/** XML lists of one element parse as an object: fold repeated elements into their first for shape. */
function normaliseXml(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [normaliseXml(value[0])] : [];
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== "?xml" && !key.startsWith("@_xmlns"))
        .map(([key, inner]) => [key, normaliseXml(Array.isArray(inner) ? inner[0] : inner)]),
    );
  }
  return value === "" ? null : "text";
}
