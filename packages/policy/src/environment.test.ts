import { describe, expect, it } from "vitest";
import { databaseEncryptionAtRest } from "./database";
import { ENFORCEMENT } from "./enforcement";
import { resolveEnvironment, stackOfUrn, strictest } from "./environment";
import { runPolicies, type TestResource } from "./policyHarness";

describe("resolveEnvironment", () => {
  const urn = (stack: string) => `urn:pulumi:${stack}::evalplatform::scaleway:network/vpc:Vpc::net`;

  it("takes the policy config first", () => {
    expect(
      resolveEnvironment({ configured: "dev", tags: [["environment=production"]], urns: [urn("staging")] }),
    ).toEqual({ environment: "dev", source: "config" });
  });

  it("then the environment tags, the strictest when they differ", () => {
    const tags = [["environment=dev"], { environment: "staging" }, null];
    expect(resolveEnvironment({ tags, urns: [urn("production")] })).toEqual({ environment: "staging", source: "tag" });
  });

  it("then the stack's environment tag, then a stack named after an environment", () => {
    const stackTags = new Map([["environment", "staging"]]);
    expect(resolveEnvironment({ tags: [], stackTags, urns: [urn("dev")] })).toEqual({
      environment: "staging",
      source: "stack-tag",
    });
    expect(resolveEnvironment({ tags: [["environment=qa"]], urns: [urn("dev")] })).toEqual({
      environment: "dev",
      source: "stack-name",
    });
  });

  it("applies production's rules when nothing says", () => {
    expect(resolveEnvironment({ configured: "prod", tags: [], urns: [urn("feature-x")] })).toEqual({
      environment: "production",
      source: "none",
    });
  });

  it("reads stack names and orders environments", () => {
    expect(stackOfUrn("urn:pulumi:staging::p::t::n")).toBe("staging");
    expect(strictest(["dev", "production", "staging"])).toBe("production");
    expect(strictest([])).toBeUndefined();
  });
});

describe("enforcement", () => {
  // An unencrypted database: one violation whose level depends on what the pack knows.
  const database = (tags: string[], stack = "test"): TestResource => ({
    type: "scaleway:databases/instance:Instance",
    name: "db",
    stack,
    inputs: { encryptionAtRest: false, tags },
  });
  const level = async (resource: TestResource, config = {}) =>
    (await runPolicies([databaseEncryptionAtRest], [resource], { config }))[0]?.enforcementLevel;

  it("is advisory in dev and mandatory in staging and production", () => {
    expect(ENFORCEMENT).toEqual({ dev: "advisory", staging: "mandatory", production: "mandatory" });
  });

  it("follows the table for an environment learnt from a tag or the stack name", async () => {
    expect(await level(database(["environment=dev"]))).toBe("advisory");
    expect(await level(database(["environment=staging"]))).toBe("mandatory");
    expect(await level(database([], "dev"))).toBe("advisory");
  });

  it("leaves the level to the config file when the config names the environment", async () => {
    const config = { [databaseEncryptionAtRest.name]: { enforcementLevel: "advisory", environment: "production" } };
    expect(await level(database(["environment=production"]), config)).toBe("advisory");
    const disabled = { [databaseEncryptionAtRest.name]: { enforcementLevel: "disabled", environment: "production" } };
    expect(await level(database([]), disabled)).toBeUndefined();
  });

  it("is the pack's default, mandatory, when nothing names the environment", async () => {
    expect(await level(database([]))).toBe("mandatory");
  });
});
