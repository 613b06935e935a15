import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ENFORCEMENT } from "./enforcement";
import { ENVIRONMENTS } from "./environment";
import { policyPackConfig } from "./packConfig";
import { policies } from "./policies";

const file = (environment: string) => resolve(import.meta.dirname, "..", "config", `${environment}.json`);

describe.each(ENVIRONMENTS)("config/%s.json", (environment) => {
  const text = readFileSync(file(environment), "utf8");
  const config = JSON.parse(text) as Record<string, Record<string, unknown>>;

  it("is what the ENFORCEMENT table and the settings give (npm run config -w @sovstack/policy)", () => {
    expect(config).toEqual(policyPackConfig(environment));
  });

  it("sets every policy's level from the table and names the environment", () => {
    expect(Object.keys(config).sort()).toEqual(policies.map((policy) => policy.name).sort());
    for (const entry of Object.values(config)) {
      expect(entry).toMatchObject({ enforcementLevel: ENFORCEMENT[environment], environment });
    }
  });

  it("only sets properties a policy declares", () => {
    for (const policy of policies) {
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      const set = Object.keys(config[policy.name] ?? {}).filter((key) => key !== "enforcementLevel");
      expect(declared, policy.name).toEqual(expect.arrayContaining(set));
    }
  });
});
