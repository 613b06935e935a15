import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../usageError";
import { resolveChoices, type ScaffoldChoices, type ScaffoldRequest } from "./choices";
import { checkEnvName } from "./envName";
import { askScaffoldQuestions } from "./questions";
import { applyPolicyConfig, planPolicyConfig, type PolicyConfigPlan } from "./policyConfig";
import type { Prompter } from "./prompter";
import { renderStackFile } from "./stackFile";
import { validateScaffold } from "./validateScaffold";

export interface InitOptions {
  /** Replace an existing stack file. */
  readonly force?: boolean;
  /** Ask for each value (flags give the defaults). */
  readonly prompter?: Prompter;
  /** Folder of the policy pack's per-stack config files. @default packages/policy/config */
  readonly policyConfigDir?: string;
}

export interface InitResult {
  readonly path: string;
  readonly choices: ScaffoldChoices;
  readonly notes: readonly string[];
  /** The environment's policy config: written beside the pack's own, or why not. */
  readonly policyConfig: PolicyConfigPlan;
}

/**
 * Writes `Pulumi.<env>.yaml` in a Pulumi project folder, and the environment's policy
 * config (`packages/policy/config/<env>.json`, which preview and up read). The files are
 * written only once the stack file passes the same validation as a deployment; an
 * existing stack file is kept unless forced.
 */
export async function initStack(request: ScaffoldRequest, options: InitOptions = {}): Promise<InitResult> {
  checkEnvName(request.environment);
  const projectDir = resolve(request.projectDir);
  if (!existsSync(join(projectDir, "Pulumi.yaml"))) {
    throw new UsageError(
      `${projectDir} is not a Pulumi project: it has no Pulumi.yaml. Fix: pass --dir <the project folder> (infra/ by default).`,
    );
  }
  const path = join(projectDir, `Pulumi.${request.environment}.yaml`);
  if (existsSync(path) && !options.force) {
    throw new UsageError(
      `${path} exists already; sovstack init does not overwrite it. Fix: edit it, choose another name, or add --force to replace it.`,
    );
  }
  const asked = options.prompter ? await askScaffoldQuestions({ ...request, projectDir }, options.prompter) : request;
  const choices = resolveChoices({ ...asked, projectDir });
  const { text, notes } = renderStackFile(choices);
  validateScaffold(text, request.environment, projectDir);
  const policyConfig = await planPolicyConfig(text, request.environment, {
    force: options.force,
    dir: options.policyConfigDir,
  });
  writeFileSync(path, text);
  applyPolicyConfig(policyConfig);
  const kept =
    policyConfig.action === "kept"
      ? [
          `${policyConfig.path} exists and differs from what the ${policyConfig.tier} tier and this file's public ` +
            `services (${policyConfig.publicServices.join(", ") || "none"}) give; it was kept: check it, or run init again with --force to replace it.`,
        ]
      : [];
  return { path, choices, notes: [...notes, ...kept], policyConfig };
}
