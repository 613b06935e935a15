import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../usageError";
import { resolveChoices, type ScaffoldChoices, type ScaffoldRequest } from "./choices";
import { checkEnvName } from "./envName";
import { askScaffoldQuestions } from "./questions";
import type { Prompter } from "./prompter";
import { renderStackFile } from "./stackFile";
import { validateScaffold } from "./validateScaffold";

export interface InitOptions {
  /** Replace an existing stack file. */
  readonly force?: boolean;
  /** Ask for each value (flags give the defaults). */
  readonly prompter?: Prompter;
}

export interface InitResult {
  readonly path: string;
  readonly choices: ScaffoldChoices;
  readonly notes: readonly string[];
}

/**
 * Writes `Pulumi.<env>.yaml` in a Pulumi project folder. The file is written only once
 * it passes the same validation as a deployment; an existing file is kept unless forced.
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
  writeFileSync(path, text);
  return { path, choices, notes };
}
