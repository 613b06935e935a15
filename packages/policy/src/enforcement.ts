import type { EnforcementLevel } from "@pulumi/policy";
import type { Environment } from "./environment";

/**
 * The one table of enforcement levels: a violation only warns in dev and blocks the
 * deployment in staging and production. The config files (config/<env>.json) are
 * generated from it, and a violation whose environment came from a tag or the stack
 * name, not from the config, carries the level this table gives.
 */
export const ENFORCEMENT: Readonly<Record<Environment, EnforcementLevel>> = {
  dev: "advisory",
  staging: "mandatory",
  production: "mandatory",
};

/** The pack's level when no environment is known: the strictest. */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";
