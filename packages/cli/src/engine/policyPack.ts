import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths";

/** The Scaleway policy pack every sovstack deployment runs. */
export const policyPackDir = join(repoRoot, "packages", "policy");

/**
 * The pack and its configuration for an environment: advisory in dev, mandatory in
 * staging and production. Another stack name gets no configuration file; the pack then
 * finds the environment from the resources' `environment` tags.
 */
export function policyOptions(environment: string): { policyPacks: string[]; policyPackConfigs: string[] } {
  const config = join(policyPackDir, "config", `${environment}.json`);
  return { policyPacks: [policyPackDir], policyPackConfigs: existsSync(config) ? [config] : [] };
}
