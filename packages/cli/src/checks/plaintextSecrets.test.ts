import { describe, expect, it } from "vitest";
import { findPlaintextSecrets } from "./plaintextSecrets";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const secret = (value: string) => ({
  encrypted: { ...SIG, ciphertext: "v1:Zm9vYmFy" },
  decrypted: { ...SIG, plaintext: JSON.stringify(value) },
});

function exports(passwordOutput: unknown) {
  const password = secret("s3cr3t-Passw0rd-value");
  const resource = (inputs: unknown, outputs: unknown) => ({
    urn: "urn:pulumi:dev::p::scaleway:databases/user:User::db",
    inputs,
    outputs,
  });
  return {
    encrypted: {
      deployment: { resources: [resource({ password: password.encrypted }, { password: passwordOutput })] },
    },
    decrypted: {
      deployment: { resources: [resource({ password: password.decrypted }, { password: password.decrypted })] },
    },
  };
}

describe("findPlaintextSecrets", () => {
  it("finds nothing when every copy of a secret is encrypted", () => {
    const { encrypted, decrypted } = exports({ ...SIG, ciphertext: "v1:YmFyYmF6" });
    expect(findPlaintextSecrets(encrypted, decrypted)).toEqual([]);
  });

  it("names the resource whose secret also sits in plain text", () => {
    const { encrypted, decrypted } = exports("s3cr3t-Passw0rd-value");
    expect(findPlaintextSecrets(encrypted, decrypted)).toEqual([
      {
        where: "urn:pulumi:dev::p::scaleway:databases/user:User::db",
        property: "deployment.resources.0.inputs.password",
      },
    ]);
  });
});
