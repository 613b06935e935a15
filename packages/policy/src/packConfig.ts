import type { PolicyPackConfig } from "@pulumi/policy";
import { ENFORCEMENT } from "./enforcement";
import type { Environment } from "./environment";
import { BACKUP_JOBS_EXCEPTION } from "./iam";
import { policies } from "./policies";

/**
 * Settings of the evaluation platform (infra/): its internet-facing services, and the
 * backup jobs' exception written out so that a reader of the config sees it.
 */
export const evalPlatformSettings: Readonly<Record<string, Record<string, unknown>>> = {
  "containers-private-unless-listed": { publicServices: ["api", "ui", "docs"] },
  "iam-no-full-access": { fullAccessExceptions: [BACKUP_JOBS_EXCEPTION] },
};

/**
 * The `--policy-pack-config` file of an environment: for every policy, the enforcement
 * level of the ENFORCEMENT table and the environment, plus its settings. The engine
 * applies an "all" entry's level only, never its properties, so each policy gets its own.
 */
export function policyPackConfig(
  environment: Environment,
  settings: Readonly<Record<string, Record<string, unknown>>> = evalPlatformSettings,
): PolicyPackConfig {
  const config: PolicyPackConfig = {};
  for (const policy of policies) {
    config[policy.name] = { enforcementLevel: ENFORCEMENT[environment], environment, ...settings[policy.name] };
  }
  return config;
}
