import { describe, expect, it } from "vitest";
import { DOMAINS } from "./definePolicy";
import { policies } from "./policies";

describe("the pack", () => {
  it("has at least 25 policies, each in one of the domains", () => {
    expect(policies.length).toBeGreaterThanOrEqual(25);
    for (const domain of DOMAINS) {
      expect(
        policies.filter((policy) => policy.tags?.includes(domain)),
        domain,
      ).not.toHaveLength(0);
    }
  });

  it("names each policy once, in kebab-case, after its domain", () => {
    const names = policies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const policy of policies) {
      expect(policy.name).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
      expect(policy.tags).toHaveLength(1);
      expect(policy.name.startsWith(`${policy.tags![0]}-`), policy.name).toBe(true);
    }
  });

  it("describes each policy in a sentence", () => {
    for (const policy of policies) expect(policy.description, policy.name).toMatch(/^[A-Z].{20,}\.$/);
  });

  it("leaves enforcement to the environment: no policy fixes its own level", () => {
    for (const policy of policies) expect(policy.enforcementLevel, policy.name).toBeUndefined();
  });

  it("lets every policy take the environment from its config", () => {
    for (const policy of policies) {
      expect(policy.configSchema?.properties.environment, policy.name).toMatchObject({
        enum: ["dev", "staging", "production"],
      });
    }
  });
});
