import { describe, expect, it } from "vitest";
import { messages, type TestResource } from "./policyHarness";
import { secretsNoCredentialEnvNames, secretsNoCredentialEnvValues } from "./secrets";

const CONTAINER = "scaleway:containers/container:Container";
const JOB = "scaleway:job/definition:Definition";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The api container of the evaluation platform: identifiers in plain text, credentials as secrets. */
const container = (environmentVariables: Record<string, unknown> = {}): TestResource => ({
  type: CONTAINER,
  inputs: {
    environmentVariables: {
      LOG_LEVEL: "info",
      DATABASE_HOST: UNKNOWN,
      DATABASE_USER: "evalplatform",
      SCALEWAY_ACCESS_KEY: "SCWABCDEFGHIJKLMNOPQ",
      SCALEWAY_PROJECT_ID: "11111111-1111-4111-8111-111111111111",
      ...environmentVariables,
    },
    secretEnvironmentVariables: {
      DATABASE_PASSWORD: "s3cr3t",
      SCALEWAY_SECRET_KEY: "6f1e4e3c-2d1b-4a5f-9e8d-7c6b5a4f3e2d",
    },
  },
});
const job = (inputs: Record<string, unknown>): TestResource => ({
  type: JOB,
  inputs: {
    env: { SCW_ACCESS_KEY: "SCWABCDEFGHIJKLMNOPQ" },
    secretReferences: [{ secretId: "s", environment: "SCW_SECRET_KEY" }],
    ...inputs,
  },
});

describe("secrets-no-credential-env-names", () => {
  it("passes identifiers in plain variables and credentials in secret ones", async () => {
    expect(await messages(secretsNoCredentialEnvNames, [container(), job({})])).toEqual([]);
  });

  it("refuses a credential in a container's plain variables", async () => {
    expect(await messages(secretsNoCredentialEnvNames, container({ DATABASE_PASSWORD: UNKNOWN }))).toEqual([
      "must not pass DATABASE_PASSWORD as a plain environment variable: move it to secretEnvironmentVariables, " +
        "fed from Secret Manager (or list it in allowedNames if it holds no secret).",
    ]);
  });

  it("refuses a credential in a job's env, pointing to secretReferences", async () => {
    expect(await messages(secretsNoCredentialEnvNames, job({ env: { SCW_SECRET_KEY: "x" } }))).toEqual([
      "must not pass SCW_SECRET_KEY as a plain environment variable: move it to secretReferences " +
        "(a Secret Manager secret) (or list it in allowedNames if it holds no secret).",
    ]);
  });

  it("checks namespaces and functions too, and honours allowedNames", async () => {
    const namespace = {
      type: "scaleway:containers/namespace:Namespace",
      inputs: { environmentVariables: { API_TOKEN: "x" } },
    };
    const fn = { type: "scaleway:functions/function:Function", inputs: { environmentVariables: { API_TOKEN: "x" } } };
    expect(await messages(secretsNoCredentialEnvNames, [namespace, fn])).toHaveLength(2);
    const config = { [secretsNoCredentialEnvNames.name]: { allowedNames: ["API_TOKEN"] } };
    expect(await messages(secretsNoCredentialEnvNames, [namespace, fn], { config })).toEqual([]);
  });
});

describe("secrets-no-credential-env-values", () => {
  it("passes plain values that hold no credential", async () => {
    expect(
      await messages(secretsNoCredentialEnvValues, [container(), job({ args: ["scw rdb backup create"] })]),
    ).toEqual([]);
  });

  it("refuses a password in a URL under an innocent name", async () => {
    expect(
      await messages(secretsNoCredentialEnvValues, container({ DATABASE_URL: "postgres://app:s3cr3t@db:5432/app" })),
    ).toEqual([
      "must not hold a credential in plain text: DATABASE_URL holds a URL with a password; " +
        "move it to secretEnvironmentVariables, fed from Secret Manager.",
    ]);
  });

  it("refuses a Scaleway key pair in a job's env", async () => {
    const pair = "SCWABCDEFGHIJKLMNOPQ:6f1e4e3c-2d1b-4a5f-9e8d-7c6b5a4f3e2d";
    expect(await messages(secretsNoCredentialEnvValues, job({ env: { SCW_PROFILE: pair } }))).toEqual([
      "must not hold a credential in plain text: SCW_PROFILE holds a Scaleway access key with its secret key; " +
        "move it to secretReferences (a Secret Manager secret).",
    ]);
  });

  it("refuses a private key on the command line", async () => {
    const withKey = job({ args: ["echo '-----BEGIN PRIVATE KEY-----' > /tmp/key"] });
    expect(await messages(secretsNoCredentialEnvValues, withKey)).toEqual([
      "must not pass a credential on the command line: it holds a private key (PEM); " +
        "move it to secretReferences (a Secret Manager secret).",
    ]);
  });
});
