import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyConfigPath, settingsWithPublicServices, writePolicyConfig } from "./configFile";
import { ENVIRONMENTS } from "./environment";

describe("writePolicyConfig", () => {
  it.each(ENVIRONMENTS)("writes %s.json byte for byte as committed", async (environment) => {
    const dir = mkdtempSync(join(tmpdir(), "policy-config-"));
    const path = await writePolicyConfig(environment, environment, { dir });
    expect(path).toBe(join(dir, `${environment}.json`));
    expect(readFileSync(path, "utf8")).toBe(readFileSync(policyConfigPath(environment), "utf8"));
  });

  it("writes another stack's file with its tier's levels and its own public services", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-config-"));
    const path = await writePolicyConfig("qa", "staging", { dir, settings: settingsWithPublicServices(["api"]) });
    const config = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;
    expect(config["containers-private-unless-listed"]).toEqual({
      enforcementLevel: "mandatory",
      environment: "staging",
      publicServices: ["api"],
    });
    // The evaluation platform's other settings stay.
    expect(config["iam-no-full-access"]?.fullAccessExceptions).toHaveLength(1);
  });
});
