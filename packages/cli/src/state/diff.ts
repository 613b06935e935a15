import { isDeepStrictEqual } from "node:util";
import { resourcesOf, type Checkpoint, type CheckpointResource } from "./checkpoint";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface PropertyChange {
  readonly property: string;
  /** Printable old and new values; secrets are never shown. */
  readonly before?: string;
  readonly after?: string;
}

export interface StateDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: Array<{ readonly urn: string; readonly changes: PropertyChange[] }>;
}

/** What differs between two versions of a stack's state, resource by resource (by URN). */
export function diffCheckpoints(before: Checkpoint, after: Checkpoint): StateDiff {
  const old = new Map(resourcesOf(before).map((resource) => [resource.urn, resource]));
  const next = new Map(resourcesOf(after).map((resource) => [resource.urn, resource]));
  const diff: StateDiff = { added: [], removed: [], changed: [] };
  for (const urn of next.keys()) if (!old.has(urn)) diff.added.push(urn);
  for (const urn of old.keys()) if (!next.has(urn)) diff.removed.push(urn);
  for (const [urn, resource] of next) {
    const previous = old.get(urn);
    if (!previous) continue;
    const changes = propertyChanges(previous, resource);
    if (changes.length) diff.changed.push({ urn, changes });
  }
  return diff;
}

function propertyChanges(before: CheckpointResource, after: CheckpointResource): PropertyChange[] {
  const changes: PropertyChange[] = [];
  if (before.id !== after.id) changes.push({ property: "id", before: before.id, after: after.id });
  const a = before.inputs ?? {};
  const b = after.inputs ?? {};
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (key === "__defaults" || isDeepStrictEqual(a[key], b[key])) continue;
    changes.push({ property: key, before: printable(a[key]), after: printable(b[key]) });
  }
  return changes;
}

function printable(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value && typeof value === "object" && SECRET_SIG in value) return "[secret]";
  const text = JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && SECRET_SIG in inner ? "[secret]" : inner,
  );
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The short form of a URN for people: `type::name`. */
export function shortUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2]?.split("$").at(-1) ?? "";
  return `${type}::${parts[3] ?? urn}`;
}
