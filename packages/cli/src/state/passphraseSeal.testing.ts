/**
 * For tests: secrets sealed the way Pulumi's passphrase provider seals them (its
 * symmetric crypter), so that checkpoints with known secrets can be written without the
 * engine. passphraseCrypter.test.ts checks the reading side against the real engine.
 */
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface Sealer {
  /** The salt state Pulumi keeps in `secrets_providers.state.salt` and `encryptionsalt`. */
  readonly saltState: string;
  /** A secret property value holding `value`, with a fresh nonce each time (as every update re-encrypts). */
  secret(value: unknown): Record<string, string>;
}

export function sealerFor(passphrase: string): Sealer {
  const salt = randomBytes(8);
  const key = pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
  const seal = (plaintext: string) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
  };
  return {
    saltState: `v1:${salt.toString("base64")}:${seal("pulumi")}`,
    secret: (value) => ({ [SECRET_SIG]: SECRET_VALUE, ciphertext: seal(JSON.stringify(value)) }),
  };
}
