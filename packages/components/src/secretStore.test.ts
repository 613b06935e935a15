import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { planProgram } from "./plan";
import { generatedValueFromState, SecretStore, type SecretEntry } from "./secretStore";
import { ofType } from "./testSupport";

const plan = (secrets: Record<string, SecretEntry>) =>
  planProgram(
    (opts) => {
      const store = new SecretStore("app", { region: "fr-par", path: "/app/dev", secrets }, opts);
      return Object.fromEntries(Object.keys(secrets).map((key) => [key, store.value(key)]));
    },
    { project: "test", stack: "dev" },
  );

describe("SecretStore", () => {
  it("generates values of the asked length, kept as secrets", async () => {
    const { resources, outputs } = await plan({ "session-key": { length: 48 } });
    const [version] = ofType(resources, "scaleway:secrets/version:Version");
    expect(version!.secretInputs).toContain("data");
    expect(version!.inputs.data).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(await pulumi.isSecret(outputs["session-key"]!)).toBe(true);
    const [secret] = ofType(resources, "scaleway:secrets/secret:Secret");
    expect(secret!.inputs).toMatchObject({ name: "session-key", path: "/app/dev" });
  });

  it("rotates by writing a new version, keeping the secret", async () => {
    const before = await plan({ token: {} });
    const after = await plan({ token: { rotation: 1 } });
    const names = (r: typeof before) => ofType(r.resources, "scaleway:secrets/version:Version").map((v) => v.name);
    expect(names(before)).toEqual(["app-token-v0"]);
    expect(names(after)).toEqual(["app-token-v1"]);
    const secretName = (r: typeof before) => ofType(r.resources, "scaleway:secrets/secret:Secret").map((s) => s.name);
    expect(secretName(after)).toEqual(secretName(before));
  });

  it("generates passwords Managed Databases accepts when asked", async () => {
    const { resources, outputs } = await plan({ "db-password": { format: "database-password", rotation: 2 } });
    const [version] = ofType(resources, "scaleway:secrets/version:Version");
    expect(version!.name).toBe("app-db-password-v2");
    expect(version!.ignoreChanges).toEqual(["data"]);
    const data = version!.inputs.data as string;
    expect(data).toHaveLength(32);
    for (const rule of [/[A-Z]/, /[a-z]/, /[0-9]/, /-/]) expect(data).toMatch(rule);
    expect(await new Promise((resolve) => outputs["db-password"]!.apply(resolve))).toBe(data);
  });

  it("stores a given value as it is", async () => {
    const { resources } = await plan({ "api-key": { value: pulumi.secret("given") } });
    expect(ofType(resources, "scaleway:secrets/version:Version")[0]!.inputs.data).toBe("given");
  });

  it("refuses a bad path and a bad length", async () => {
    await expect(
      planProgram(
        (opts) => new SecretStore("x", { region: "fr-par", path: "app", secrets: { a: { length: 4 } } }, opts),
        {
          project: "test",
          stack: "dev",
        },
      ),
    ).rejects.toThrow(/2 invalid arguments[\s\S]*path[\s\S]*secrets.a.length: 4/);
  });
});

describe("generated values read back from the provider's state", () => {
  it("are what Secret Manager holds, whether the provider recorded them as they are or base64-encoded", () => {
    const multipleOf4 = "Abcd1234Efgh5678Ijkl9012Mnop3456";
    expect(generatedValueFromState(multipleOf4, 32)).toBe(multipleOf4);
    const thirty = "Abcd1234Efgh5678Ijkl9012Mnop34";
    expect(generatedValueFromState(Buffer.from(thirty).toString("base64"), 30)).toBe(thirty);
  });

  it("are database passwords as set on the database, though the provider always records them base64-encoded", () => {
    const password = "Abcd1234Efgh5678-Ijkl9012Mnop345";
    expect(generatedValueFromState(Buffer.from(password).toString("base64"), 32, "database-password")).toBe(password);
    expect(generatedValueFromState(password, 32, "database-password")).toBe(password);
  });
});
