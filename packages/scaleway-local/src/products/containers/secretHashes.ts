import { randomBytes } from "node:crypto";
import { argon2id } from "hash-wasm";
import type { ApiRequest } from "../../http/router";

/**
 * Secret environment variables are answered as argon2id hashes, as the real API does:
 * the provider verifies a hash against the value it holds to tell whether the value
 * changed, so another scheme makes every `up` look like a change. Hashing is
 * asynchronous (WebAssembly), so values are hashed before the handlers run and the
 * synchronous model takes them from here.
 */
const hashes = new Map<string, string>();

/** Low costs: the hash only hides the value locally; the verifier reads the costs from the hash. */
const COSTS = { iterations: 1, memorySize: 1024, parallelism: 1, hashLength: 32 } as const;

export async function hashSecretsOf(request: ApiRequest): Promise<void> {
  for (const value of secretValues(request.body.secret_environment_variables)) {
    if (!hashes.has(value)) {
      hashes.set(value, await argon2id({ password: value, salt: randomBytes(16), ...COSTS, outputType: "encoded" }));
    }
  }
}

/** The argon2id hash of a value seen in a request (hashSecretsOf ran first). */
export function argon2Hash(value: string): string {
  const hash = hashes.get(value);
  if (!hash) throw new Error("secret value was not hashed before the handler ran");
  return hash;
}

/** Values of `{KEY: value}` (v1) or `[{key, value}]` (v1beta1). */
function secretValues(field: unknown): string[] {
  if (Array.isArray(field)) return field.map((item) => (item as { value?: unknown }).value).filter(isString);
  if (field && typeof field === "object") return Object.values(field).filter(isString);
  return [];
}

function isString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
