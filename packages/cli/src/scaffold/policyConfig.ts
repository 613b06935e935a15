import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml } from "yaml";
import { ENVIRONMENTS, fromConfigMap, parseStackConfig, type Environment } from "@sovstack/components";
// By path, as the engine finds the pack (engine/policyPack.ts): the CLI does not depend on the package.
import {
  policyConfigDir,
  policyConfigPath,
  policyConfigText,
  settingsWithPublicServices,
} from "../../../policy/src/configFile";

/** What happens to a new environment's policy config file (`--policy-pack-config` of its previews and deployments). */
export interface PolicyConfigPlan {
  readonly path: string;
  readonly tier: Environment;
  /** Services of the stack file with privacy: public, the only ones containers-private-unless-listed allows. */
  readonly publicServices: readonly string[];
  /**
   * write: new, or replaced (--force); same: already what it would be; kept: exists and
   * differs, left as it is; pack: a tier's own file, generated from the pack's table, never written here.
   */
  readonly action: "write" | "same" | "kept" | "pack";
  readonly text: string;
}

/**
 * The policy config a scaffolded stack needs. Without one, the pack judges the stack by
 * its resources' tags and lists no public service: every public container would break a
 * staging or production preview (containers-private-unless-listed).
 */
export async function planPolicyConfig(
  stackText: string,
  environment: string,
  options: { readonly force?: boolean; readonly dir?: string } = {},
): Promise<PolicyConfigPlan> {
  const document = (parseYaml(stackText) ?? {}) as { config?: Record<string, unknown> };
  const config = parseStackConfig(fromConfigMap(document.config ?? {}), `Pulumi.${environment}.yaml`);
  const publicServices = Object.entries(config.services)
    .filter(([, service]) => service.privacy === "public")
    .map(([name]) => name);
  const path = policyConfigPath(environment, options.dir ?? policyConfigDir);
  const text = await policyConfigText(config.environment, settingsWithPublicServices(publicServices));
  const plan = { path, tier: config.environment, publicServices, text };
  if ((ENVIRONMENTS as readonly string[]).includes(environment)) return { ...plan, action: "pack" };
  if (!existsSync(path)) return { ...plan, action: "write" };
  if (isDeepStrictEqual(readJson(path), JSON.parse(text))) return { ...plan, action: "same" };
  return { ...plan, action: options.force ? "write" : "kept" };
}

export function applyPolicyConfig(plan: PolicyConfigPlan): void {
  if (plan.action === "write") writeFileSync(plan.path, plan.text);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined; // unreadable: it differs
  }
}
