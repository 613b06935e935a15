/**
 * How the engine marks a secret value in its events: an object holding this signature
 * key (the ciphertext is never sent unless secrets are asked for). sovstack never asks.
 */
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** What a drift report shows in place of a secret value. */
export const SECRET_MARKER = "[secret]";

export function isSecretValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** A copy of the value with every secret replaced by the marker. */
export function maskSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return SECRET_MARKER;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskSecrets(inner)]));
  }
  return value;
}
