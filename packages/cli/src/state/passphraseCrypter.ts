import { createDecipheriv, pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import type { Checkpoint } from "./checkpoint";

const derive = promisify(pbkdf2);

/** What Pulumi's passphrase secrets provider encrypts with the key, beside the salt, to tell a right passphrase. */
const CHECK_MESSAGE = "pulumi";
/** PBKDF2-SHA256 iterations Pulumi derives the key with (NewSymmetricCrypterFromPassphrase). */
const ITERATIONS = 1_000_000;
const GCM_TAG_BYTES = 16;

/** Decrypts the secrets of a stack whose passphrase is known; values are never encrypted here. */
export interface PassphraseCrypter {
  /** The plaintext of a `v1:<nonce>:<ciphertext>` value (a secret's JSON text); throws when it does not decrypt. */
  decrypt(ciphertext: string): string;
}

/**
 * The salt state of a checkpoint kept with Pulumi's passphrase provider
 * (`secrets_providers: { type: "passphrase", state: { salt } }`), else undefined (no
 * secrets provider, or another one).
 */
export function passphraseSaltOf(checkpoint: Checkpoint): string | undefined {
  const provider = checkpoint.checkpoint.latest?.secrets_providers;
  if (provider?.type !== "passphrase") return undefined;
  const salt = (provider.state as { salt?: unknown } | undefined)?.salt;
  return typeof salt === "string" ? salt : undefined;
}

/**
 * A crypter for `passphrase` if it is the stack's: the salt state is
 * `v1:<base64 salt>:v1:<nonce>:<ciphertext>`, the key is PBKDF2-SHA256 of the passphrase
 * and the salt, and the ciphertext is "pulumi" sealed with AES-256-GCM under that key.
 * Undefined when the passphrase is another one (or the salt state is malformed).
 */
export async function passphraseCrypter(passphrase: string, saltState: string): Promise<PassphraseCrypter | undefined> {
  const [version, salt, ...check] = saltState.split(":");
  if (version !== "v1" || !salt || check.length !== 3) return undefined;
  const key = await derivedKey(passphrase, salt);
  const crypter: PassphraseCrypter = { decrypt: (ciphertext) => openSealed(key, ciphertext) };
  try {
    return crypter.decrypt(check.join(":")) === CHECK_MESSAGE ? crypter : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keys already derived in this process, by passphrase and salt: a diff opens two checkpoints
 * of the same stack, and each derivation is a million PBKDF2 rounds.
 */
const derivedKeys = new Map<string, Promise<Buffer>>();

function derivedKey(passphrase: string, salt: string): Promise<Buffer> {
  const id = `${salt}\0${passphrase}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = derive(passphrase, Buffer.from(salt, "base64"), ITERATIONS, 32, "sha256");
    derivedKeys.set(id, key);
  }
  return key;
}

/** `v1:<base64 nonce>:<base64 ciphertext and GCM tag>`, as Pulumi's symmetric crypter seals a value. */
function openSealed(key: Buffer, value: string): string {
  const [version, nonce, sealed, ...rest] = value.split(":");
  if (version !== "v1" || !nonce || !sealed || rest.length) throw new Error("not a v1 passphrase ciphertext");
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
  decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
}
