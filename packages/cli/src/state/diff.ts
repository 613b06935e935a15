import { isDeepStrictEqual } from "node:util";
import { resourcesOf, type Checkpoint, type CheckpointResource } from "./checkpoint";
import type { PassphraseCrypter } from "./passphraseCrypter";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface PropertyChange {
  /** The input's path: `image`, `environmentVariables.LOG_LEVEL`, `ports[0].port`. */
  readonly property: string;
  /** Printable old and new values; secrets are never shown. */
  readonly before?: string;
  readonly after?: string;
}

export interface ResourceChange {
  readonly urn: string;
  readonly changes: PropertyChange[];
  /**
   * Secret inputs whose ciphertext differs but whose values could not be compared (no
   * passphrase): Pulumi encrypts a value again, with a new nonce, on every update.
   */
  readonly secretsNotCompared?: string[];
}

export interface StateDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: ResourceChange[];
}

/** Decrypters of the two versions' secrets, when their passphrase is known. */
export interface DiffCrypters {
  readonly before?: PassphraseCrypter;
  readonly after?: PassphraseCrypter;
}

/**
 * What differs between two versions of a stack's state, resource by resource (by URN),
 * input by input: maps and lists key by key. Secrets are compared by value when both
 * versions' crypters are given, else listed as not compared when their ciphertext differs.
 */
export function diffCheckpoints(before: Checkpoint, after: Checkpoint, crypters: DiffCrypters = {}): StateDiff {
  const old = new Map(resourcesOf(before).map((resource) => [resource.urn, resource]));
  const next = new Map(resourcesOf(after).map((resource) => [resource.urn, resource]));
  const diff: StateDiff = { added: [], removed: [], changed: [] };
  for (const urn of next.keys()) if (!old.has(urn)) diff.added.push(urn);
  for (const urn of old.keys()) if (!next.has(urn)) diff.removed.push(urn);
  for (const [urn, resource] of next) {
    const previous = old.get(urn);
    if (!previous) continue;
    const change = resourceChange(previous, resource, crypters);
    if (change.changes.length || change.secretsNotCompared.length)
      diff.changed.push({
        urn,
        changes: change.changes,
        ...(change.secretsNotCompared.length ? { secretsNotCompared: change.secretsNotCompared } : {}),
      });
  }
  return diff;
}

function resourceChange(before: CheckpointResource, after: CheckpointResource, crypters: DiffCrypters) {
  const found = { changes: [] as PropertyChange[], secretsNotCompared: [] as string[] };
  if (before.id !== after.id) found.changes.push({ property: "id", before: before.id, after: after.id });
  compareValues("", before.inputs ?? {}, after.inputs ?? {}, crypters, found);
  return found;
}

function compareValues(
  path: string,
  a: unknown,
  b: unknown,
  crypters: DiffCrypters,
  found: { changes: PropertyChange[]; secretsNotCompared: string[] },
): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isSecret(a) && isSecret(b)) {
    const [plainA, plainB] = [plaintext(a, crypters.before), plaintext(b, crypters.after)];
    if (plainA === undefined || plainB === undefined) found.secretsNotCompared.push(path);
    else if (plainA !== plainB) found.changes.push({ property: path, before: "[secret]", after: "[secret] (changed)" });
    return;
  }
  if (isRecord(a) && isRecord(b) && !isSecret(a) && !isSecret(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (key === "__defaults") continue; // Pulumi's list of inputs it defaulted
      compareValues(path ? `${path}.${key}` : key, a[key], b[key], crypters, found);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, index) => compareValues(`${path}[${index}]`, item, b[index], crypters, found));
    return;
  }
  found.changes.push({ property: path, before: printable(a), after: printable(b) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}

function isSecret(value: unknown): value is { readonly ciphertext?: unknown } {
  return isRecord(value) && SECRET_SIG in value;
}

/** A secret's value (its JSON text) when it decrypts; undefined when it cannot be read here. */
function plaintext(
  secret: { readonly ciphertext?: unknown },
  crypter: PassphraseCrypter | undefined,
): string | undefined {
  if (!crypter || typeof secret.ciphertext !== "string") return undefined;
  try {
    return crypter.decrypt(secret.ciphertext);
  } catch {
    return undefined;
  }
}

function printable(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (isSecret(value)) return "[secret]";
  const text = JSON.stringify(value, (_key, inner: unknown) => (isSecret(inner) ? "[secret]" : inner));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The short form of a URN for people: `type::name`. */
export function shortUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2]?.split("$").at(-1) ?? "";
  return `${type}::${parts[3] ?? urn}`;
}
