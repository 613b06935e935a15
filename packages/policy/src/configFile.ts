import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Environment } from "./environment";
import { evalPlatformSettings, policyPackConfig } from "./packConfig";

/** Where the `--policy-pack-config` file of each stack lives: config/<stack>.json, read by sovstack preview and up. */
export const policyConfigDir = resolve(import.meta.dirname, "..", "config");

export function policyConfigPath(stack: string, dir: string = policyConfigDir): string {
  return join(dir, `${stack}.json`);
}

/**
 * The evaluation platform's settings with another list of internet-facing services: a new
 * stack's own public services, so that containers-private-unless-listed allows those only.
 */
export function settingsWithPublicServices(
  publicServices: readonly string[],
): Readonly<Record<string, Record<string, unknown>>> {
  return {
    ...evalPlatformSettings,
    "containers-private-unless-listed": { publicServices: [...publicServices] },
  };
}

/** The config file's text as committed: the generated JSON, formatted by Prettier as the repository's check wants. */
export async function policyConfigText(
  environment: Environment,
  settings: Readonly<Record<string, Record<string, unknown>>> = evalPlatformSettings,
): Promise<string> {
  // Loaded here only: most users of the package never write a config file.
  const { format } = await import("prettier");
  return format(JSON.stringify(policyPackConfig(environment, settings)), { parser: "json", printWidth: 120 });
}

export interface WritePolicyConfigOptions {
  readonly settings?: Readonly<Record<string, Record<string, unknown>>>;
  /** @default the package's config/ folder */
  readonly dir?: string;
}

/** Writes config/<stack>.json: the pack's config of a stack judged by an environment's rules. Returns its path. */
export async function writePolicyConfig(
  stack: string,
  environment: Environment,
  options: WritePolicyConfigOptions = {},
): Promise<string> {
  const path = policyConfigPath(stack, options.dir);
  const text = await policyConfigText(environment, options.settings);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}
