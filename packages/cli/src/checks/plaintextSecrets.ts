/**
 * Finds secrets stored in plain text in an exported Pulumi state. A secret is a value
 * the engine marks as such (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}`);
 * its decrypted value must appear nowhere in the state as exported, in any resource's
 * inputs, outputs or elsewhere.
 */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface PlaintextSecret {
  /** Resource URN, or "(stack)" for values outside resources. */
  readonly where: string;
  /** Property path of the secret whose value leaks. */
  readonly property: string;
}

/**
 * `encrypted` is `pulumi stack export`, `decrypted` the same with `--show-secrets`:
 * every secret of the first is found in the second at the same place, which gives its
 * plain value to look for in the first.
 */
export function findPlaintextSecrets(encrypted: unknown, decrypted: unknown, minLength = 8): PlaintextSecret[] {
  const secrets: Array<{ value: string; property: string; where: string }> = [];
  collect(encrypted, decrypted, "", "(stack)", secrets);
  const text = JSON.stringify(encrypted);
  const findings: PlaintextSecret[] = [];
  for (const secret of secrets) {
    if (secret.value.length < minLength) continue;
    if (text.includes(JSON.stringify(secret.value).slice(1, -1))) {
      findings.push({ where: secret.where, property: secret.property });
    }
  }
  return findings;
}

function collect(
  encrypted: unknown,
  decrypted: unknown,
  path: string,
  where: string,
  out: Array<{ value: string; property: string; where: string }>,
): void {
  if (encrypted === null || typeof encrypted !== "object") return;
  const record = encrypted as Record<string, unknown>;
  if (SECRET_SIG in record) {
    for (const value of strings(unwrap(decrypted))) out.push({ value, property: path, where });
    return;
  }
  const urn = typeof record.urn === "string" ? record.urn : where;
  for (const [key, inner] of Object.entries(record)) {
    const other = decrypted && typeof decrypted === "object" ? (decrypted as Record<string, unknown>)[key] : undefined;
    collect(inner, other, path ? `${path}.${key}` : key, urn, out);
  }
}

/** A decrypted secret as exported with --show-secrets: the marker object with a plaintext value. */
function unwrap(value: unknown): unknown {
  if (value && typeof value === "object" && SECRET_SIG in (value as Record<string, unknown>)) {
    const inner = (value as { plaintext?: string; value?: unknown }).plaintext ?? (value as { value?: unknown }).value;
    if (typeof inner === "string") {
      try {
        return JSON.parse(inner);
      } catch {
        return inner;
      }
    }
    return inner;
  }
  return value;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}
