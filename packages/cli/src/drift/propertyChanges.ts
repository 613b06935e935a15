import { formatPropertyPath, parsePropertyPath, type PathSegment } from "./propertyPath";
import { isSecretValue, maskSecrets, SECRET_MARKER } from "./secretValues";

/** One property that differs between the state (what the code last deployed) and Scaleway. */
export interface PropertyChange {
  /** Property path, e.g. `environmentVariables.LOG_LEVEL`. */
  readonly path: string;
  /** Value in the state; null when the property was absent. Secrets are `[secret]`. */
  readonly old: unknown;
  /** Value Scaleway has now; null when absent. */
  readonly new: unknown;
}

/**
 * The leaf-level changes under each of `paths` (the engine's diff keys). A path the
 * engine reports always yields at least one change, even when both sides are secrets.
 */
export function propertyChanges(
  oldProps: Record<string, unknown>,
  newProps: Record<string, unknown>,
  paths: readonly string[],
): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const path of paths) {
    const segments = parsePropertyPath(path);
    const before = valueAt(oldProps, segments);
    const after = valueAt(newProps, segments);
    const leaves = leafChanges(before, after, segments);
    changes.push(...(leaves.length > 0 ? leaves : [change(segments, before, after)]));
  }
  return dedupe(changes);
}

/** Every leaf that differs between two whole property bags, engine bookkeeping (`__meta`...) left out. */
export function allPropertyChanges(
  oldProps: Record<string, unknown>,
  newProps: Record<string, unknown>,
): PropertyChange[] {
  const keys = new Set([...Object.keys(oldProps), ...Object.keys(newProps)].filter((key) => !key.startsWith("__")));
  return [...keys].sort().flatMap((key) => leafChanges(oldProps[key], newProps[key], [key]));
}

/** The value at a path; a secret met on the way stands for everything under it. */
function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (isSecretValue(node)) return SECRET_MARKER;
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return isSecretValue(node) ? SECRET_MARKER : node;
}

function leafChanges(before: unknown, after: unknown, at: PathSegment[]): PropertyChange[] {
  if (isSecretValue(before) || isSecretValue(after)) return [change(at, before, after)];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((key) => leafChanges(before[key], after[key], [...at, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => leafChanges(before[i], after[i], [...at, i])).flat();
  }
  return sameValue(before, after) ? [] : [change(at, before, after)];
}

function change(segments: readonly PathSegment[], before: unknown, after: unknown): PropertyChange {
  return { path: formatPropertyPath(segments), old: shown(before), new: shown(after) };
}

function shown(value: unknown): unknown {
  return value === undefined ? null : maskSecrets(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function dedupe(changes: PropertyChange[]): PropertyChange[] {
  const seen = new Set<string>();
  return changes.filter((item) => !seen.has(item.path) && seen.add(item.path));
}
