import { parseStackConfig, planProgram, readStackFile } from "@sovstack/components";
import { evalPlatform } from "../../../../infra/program";
import { stackFileOf } from "../engine/stackFiles";
import { infraDir as defaultInfraDir } from "../paths";
import { resourcesFromPlan, type CostedResource } from "./resources";

/** Stands in for the Scaleway project when the file names none: the plan never reaches an API. */
const PLACEHOLDER_PROJECT_ID = "00000000-0000-4000-8000-000000000000";

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
