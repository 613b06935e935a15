import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig, planProgram, readStackFile } from "@sovstack/components";
import { evalPlatform } from "../../../../infra/program";
import { UsageError } from "../commands/deploy";
import { infraDir as defaultInfraDir } from "../paths";
import { resourcesFromPlan, type CostedResource } from "./resources";

/** Stands in for the Scaleway project when the file names none: the plan never reaches an API. */
const PLACEHOLDER_PROJECT_ID = "00000000-0000-4000-8000-000000000000";

/** The environments that have a `Pulumi.<env>.yaml` in the project folder. */
export function environmentsIn(infraDir: string = defaultInfraDir): string[] {
  return readdirSync(infraDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Refuses an environment without a stack file, naming the files there are. */
export function stackFileOf(environment: string, infraDir: string = defaultInfraDir): string {
  const file = join(infraDir, `Pulumi.${environment}.yaml`);
  if (existsSync(file)) return file;
  const found = environmentsIn(infraDir);
  throw new UsageError(
    `unknown environment "${environment}": there is no Pulumi.${environment}.yaml in infra/. ` +
      `Environment files found: ${found.map((name) => `Pulumi.${name}.yaml`).join(", ") || "none"}. ` +
      `Fix: use one of ${found.join(", ") || "them"}, or create the file with \`sovstack init ${environment}\`.`,
  );
}

/**
 * The resources an environment would have, planned through Pulumi's mocks from its stack
 * file: no engine, no credentials, no network. A configuration error is reported as it is
 * by `sovstack preview` (ConfigValidationError, exit 3).
 */
export async function planEnvironment(
  environment: string,
  infraDir: string = defaultInfraDir,
): Promise<CostedResource[]> {
  const raw = readStackFile(stackFileOf(environment, infraDir));
  const config = parseStackConfig(raw, `Pulumi.${environment}.yaml`);
  const configMap = Object.fromEntries(Object.entries(raw).map(([key, value]) => [`sovstack:${key}`, value]));
  if (!config.projectId) configMap["sovstack:projectId"] = PLACEHOLDER_PROJECT_ID;
  const { resources } = await planProgram((opts) => evalPlatform(configMap, environment, opts), {
    project: "evalplatform",
    stack: environment,
  });
  return resourcesFromPlan(resources);
}
