/**
 * `state diff` between two versions: maps key by key, and secrets compared by value when
 * the passphrase is known (Pulumi encrypts each secret again, with a new nonce, on every
 * update, so their ciphertext always differs).
 */
import { describe, expect, it } from "vitest";
import type { Checkpoint } from "./checkpoint";
import { diffCheckpoints } from "./diff";
import { passphraseCrypter } from "./passphraseCrypter";
import { sealerFor, type Sealer } from "./passphraseSeal.testing";

const API = "urn:pulumi:dev::evalplatform::scaleway:containers/container:Container::api";
const DB = "urn:pulumi:dev::evalplatform::scaleway:databases/user:User::app";

function checkpoint(sealer: Sealer, api: { image: string; logLevel: string; apiKey: string }): Checkpoint {
  return {
    version: 3,
    checkpoint: {
      stack: "organization/evalplatform/dev",
      latest: {
        secrets_providers: { type: "passphrase", state: { salt: sealer.saltState } },
        resources: [
          {
            urn: API,
            type: "scaleway:containers/container:Container",
            custom: true,
            id: "fr-par/1",
            inputs: {
              image: api.image,
              environmentVariables: { LOG_LEVEL: api.logLevel, PORT: "8080" },
              secretEnvironmentVariables: sealer.secret({ API_KEY: api.apiKey }),
              password: sealer.secret("unchanged"),
              __defaults: [],
            },
          },
          {
            urn: DB,
            type: "scaleway:databases/user:User",
            custom: true,
            id: "fr-par/2",
            inputs: { name: "app", password: sealer.secret("same-password") },
          },
        ],
      },
    },
  };
}

describe("state diff", () => {
  const sealer = sealerFor("the-stack-passphrase");
  const before = checkpoint(sealer, { image: "api:1.4.1", logLevel: "debug", apiKey: "k1" });
  const after = checkpoint(sealer, { image: "api:1.4.2", logLevel: "trace", apiKey: "k2" });

  it("with the passphrase: only what changed, maps key by key, a re-encrypted secret of the same value not at all", async () => {
    const crypter = await passphraseCrypter("the-stack-passphrase", sealer.saltState);
    const diff = diffCheckpoints(before, after, { before: crypter, after: crypter });
    expect(diff).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          urn: API,
          changes: [
            { property: "environmentVariables.LOG_LEVEL", before: '"debug"', after: '"trace"' },
            { property: "image", before: '"api:1.4.1"', after: '"api:1.4.2"' },
            { property: "secretEnvironmentVariables", before: "[secret]", after: "[secret] (changed)" },
          ],
        },
      ],
    });
    expect(JSON.stringify(diff)).not.toMatch(/k1|k2|unchanged|same-password/);
  });

  it("without it: each resource's re-encrypted secrets listed once as not compared, never as changes", () => {
    const diff = diffCheckpoints(before, after);
    expect(diff.changed).toEqual([
      {
        urn: API,
        changes: [
          { property: "environmentVariables.LOG_LEVEL", before: '"debug"', after: '"trace"' },
          { property: "image", before: '"api:1.4.1"', after: '"api:1.4.2"' },
        ],
        secretsNotCompared: ["password", "secretEnvironmentVariables"],
      },
      { urn: DB, changes: [], secretsNotCompared: ["password"] },
    ]);
  });

  it("shows lists item by item and a value that became secret without its value", () => {
    const plain = checkpoint(sealer, { image: "a", logLevel: "x", apiKey: "k" });
    const next = structuredClone(plain);
    const inputsOf = (state: Checkpoint, index: number) =>
      state.checkpoint.latest!.resources![index]!.inputs as Record<string, unknown>;
    inputsOf(plain, 0).ports = [{ port: 80 }, { port: 443 }];
    inputsOf(next, 0).ports = [{ port: 8080 }, { port: 443 }];
    inputsOf(next, 1).name = sealer.secret("app");
    const diff = diffCheckpoints(plain, next);
    expect(diff.changed.map((change) => change.changes)).toEqual([
      [{ property: "ports[0].port", before: "80", after: "8080" }],
      [{ property: "name", before: '"app"', after: "[secret]" }],
    ]);
  });
});
