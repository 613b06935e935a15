/** sovstack reads secrets as Pulumi's passphrase provider wrote them: checked on a stack the real engine wrote. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { inlineStack } from "../testing/inlineStack";
import { parseCheckpoint } from "./checkpoint";
import { checkpointKey } from "./layout";
import { passphraseCrypter, passphraseSaltOf } from "./passphraseCrypter";
import { sealerFor } from "./passphraseSeal.testing";

describe("the passphrase crypter", () => {
  it("opens the secrets the engine encrypted with the stack's passphrase, and refuses another passphrase", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sovstack-crypter-"));
    const stack = await inlineStack({
      backendUrl: `file://${dir}`,
      stackName: "dev",
      projectName: "crypter-check",
      program: async () => ({ token: pulumi.secret({ user: "app", password: "s3cret" }) }),
    });
    await stack.up(); // inlineStack's passphrase: state-test
    const checkpoint = parseCheckpoint(
      readFileSync(join(dir, checkpointKey({ project: "crypter-check", stack: "dev" }))),
    );
    const salt = passphraseSaltOf(checkpoint);
    expect(salt).toMatch(/^v1:[^:]+:v1:[^:]+:[^:]+$/);
    const output = JSON.stringify(checkpoint.checkpoint.latest?.resources?.[0]?.outputs);
    const ciphertext = /"ciphertext":"([^"]+)"/.exec(output)![1]!;

    const crypter = await passphraseCrypter("state-test", salt!);
    expect(crypter).toBeDefined();
    expect(JSON.parse(crypter!.decrypt(ciphertext))).toEqual({ user: "app", password: "s3cret" });
    expect(await passphraseCrypter("sovstack-local", salt!)).toBeUndefined();
    expect(await passphraseCrypter("state-test", "v1:not-a-salt")).toBeUndefined();
  }, 120_000);

  it("agrees with the sealer the tests write checkpoints with", async () => {
    const sealer = sealerFor("p4ss");
    const crypter = await passphraseCrypter("p4ss", sealer.saltState);
    expect(crypter!.decrypt(sealer.secret("value").ciphertext!)).toBe('"value"');
    expect(() => crypter!.decrypt(sealerFor("p4ss").secret("value").ciphertext!)).toThrow(); // another salt, another key
  });
});
