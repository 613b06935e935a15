import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random value of letters and digits (about 5.95 bits each), drawn without modulo
 * bias. Components keep the first value they created with `ignoreChanges`, so the
 * value drawn on later runs is never used.
 */
export function generateSecretValue(length: number): string {
  let value = "";
  while (value.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && value.length < length) value += ALPHABET[byte % ALPHABET.length];
    }
  }
  return value;
}

/**
 * A password that also meets Managed Databases' rules: upper and lower case letters,
 * a digit and a character that is not alphanumeric, 8 to 128 characters.
 */
export function generatePassword(length: number): string {
  for (;;) {
    const value = generateSecretValue(length - 1);
    if (/[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value)) {
      const at = randomBytes(1)[0]! % value.length;
      return `${value.slice(0, at)}-${value.slice(at)}`;
    }
  }
}

/** How a generated value is drawn, and how to tell one apart from its base64 encoding. */
export interface GeneratedFormat {
  generate(length: number): string;
  /** Whether `value` is what `generate(length)` draws. */
  matches(value: string, length: number): boolean;
}

/** The shapes of generated values: a secret's default, and a Managed Databases password. */
export const generatedFormats = {
  "letters-and-digits": {
    generate: generateSecretValue,
    matches: (value, length) => value.length === length && /^[A-Za-z0-9]+$/.test(value),
  },
  "database-password": {
    generate: generatePassword,
    matches: (value, length) =>
      value.length === length &&
      /^[A-Za-z0-9]*-[A-Za-z0-9]*$/.test(value) &&
      /[A-Z]/.test(value) &&
      /[a-z]/.test(value) &&
      /[0-9]/.test(value),
  },
} as const satisfies Record<string, GeneratedFormat>;

export type GeneratedFormatName = keyof typeof generatedFormats;
