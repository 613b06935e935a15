/**
 * Recognising credentials by an environment variable's name or by what a value looks like.
 * Both err on the side of few false positives: a rule that cries wolf gets disabled.
 */

// Words that name a credential wherever they stand: DB_PASSWORD, JWT_SECRET, GITHUB_TOKEN.
const CREDENTIAL_WORDS = new Set(["SECRET", "SECRETS", "TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY"]);
// Matched inside a word too, for PGPASSWORD or MYSQLPASSWD. (TOKEN is not: TOKENIZER is no credential.)
const CREDENTIAL_FRAGMENTS = ["PASSWORD", "PASSWD", "PASSPHRASE"];
// KEY alone is too common (CACHE_KEY, PARTITION_KEY); these pairs are keys that sign or decrypt.
const CREDENTIAL_PAIRS = new Set([
  "API KEY",
  "PRIVATE KEY",
  "SECRET KEY",
  "SIGNING KEY",
  "ENCRYPTION KEY",
  "SESSION KEY",
  "MASTER KEY",
  "AUTH KEY",
  "CLIENT SECRET",
]);
// A last word that makes the variable about a credential rather than the credential itself:
// SECRET_ID (a Secret Manager ID), PASSWORD_FILE (a mounted file), TOKEN_TTL, AWS_ACCESS_KEY_ID.
const DESCRIBING_WORDS = new Set([
  "ID",
  "IDS",
  "NAME",
  "NAMES",
  "PATH",
  "FILE",
  "DIR",
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "PORT",
  "REGION",
  "VERSION",
  "REF",
  "TTL",
  "EXPIRY",
  "EXPIRES",
  "EXPIRATION",
  "LENGTH",
  "HEADER",
  "ISSUER",
  "AUDIENCE",
  "ALGORITHM",
  "TYPE",
  "ENABLED",
]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
}

/**
 * Whether an environment variable's name says it holds a credential. SCALEWAY_ACCESS_KEY
 * does not: an access key is an identifier, the secret key is the credential.
 */
export function isCredentialName(name: string): boolean {
  const parts = words(name);
  const last = parts[parts.length - 1];
  if (last === undefined || DESCRIBING_WORDS.has(last)) return false;
  if (parts.some((word) => CREDENTIAL_WORDS.has(word))) return true;
  if (parts.some((word) => CREDENTIAL_FRAGMENTS.some((fragment) => word.includes(fragment)))) return true;
  if (last === "PASS" || last === "PWD") return parts.length > 1;
  return parts.some((word, index) => index > 0 && CREDENTIAL_PAIRS.has(`${parts[index - 1]} ${word}`));
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// A value such as ${DATABASE_PASSWORD} is a template filled in elsewhere, not a password.
const PLACEHOLDER = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\*+|x+)$/i;

interface ValuePattern {
  readonly what: string;
  readonly matches: (value: string) => boolean;
}

const VALUE_PATTERNS: readonly ValuePattern[] = [
  {
    what: "a private key (PEM)",
    matches: (value) => /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(value),
  },
  {
    what: "a URL with a password",
    matches: (value) =>
      [...value.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s/@]+)@/gi)].some(
        (match) => !PLACEHOLDER.test(decodeURIComponentSafe(match[1] ?? "")),
      ),
  },
  {
    // An access key (SCW + 17 characters) with its secret key (a UUID) next to it.
    what: "a Scaleway access key with its secret key",
    matches: (value) => new RegExp(`SCW[A-Z0-9]{17}[^A-Za-z0-9]{1,3}${UUID}`, "i").test(value),
  },
  {
    what: "a Scaleway secret key",
    matches: (value) => new RegExp(`secret[_-]?key["']?\\s*[:=]\\s*["']?${UUID}`, "i").test(value),
  },
  {
    what: "an AWS access key",
    matches: (value) =>
      /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/.test(value) ||
      /aws_secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}/i.test(value),
  },
  {
    what: "a JSON Web Token",
    matches: (value) => /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/.test(value),
  },
  {
    what: "a GitHub or Slack token",
    matches: (value) => /\bgh[pousr]_[A-Za-z0-9]{36,}\b/.test(value) || /\bxox[abprs]-[A-Za-z0-9-]{10,}/.test(value),
  },
];

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What credential a value looks like it holds, or undefined. */
export function credentialInValue(value: string): string | undefined {
  return VALUE_PATTERNS.find((pattern) => pattern.matches(value))?.what;
}
