import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigValidationError } from "./issues";
import { allowed } from "./messages";

/**
 * The Scaleway project the stack deploys to, in the order the Scaleway tools use:
 * the stack's `projectId`, then SCW_DEFAULT_PROJECT_ID, then the active profile of
 * the scw config file (SCW_CONFIG_PATH or ~/.config/scw/config.yaml).
 */
export function resolveProjectId(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const projectId = configured ?? env.SCW_DEFAULT_PROJECT_ID ?? projectFromScwProfile(env);
  if (!projectId) {
    throw new ConfigValidationError([
      {
        key: "projectId",
        message: `is not set, nor SCW_DEFAULT_PROJECT_ID, nor default_project_id in the scw profile. ${allowed(
          "a Scaleway project ID",
          "run `pulumi config set sovstack:projectId <id>` or export SCW_DEFAULT_PROJECT_ID",
        )}`,
      },
    ]);
  }
  return projectId;
}

interface ScwConfigFile {
  default_project_id?: string;
  active_profile?: string;
  profiles?: Record<string, { default_project_id?: string }>;
}

function projectFromScwProfile(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.SCW_CONFIG_PATH ?? join(env.HOME ?? homedir(), ".config", "scw", "config.yaml");
  let file: ScwConfigFile;
  try {
    file = (parseYaml(readFileSync(path, "utf8")) ?? {}) as ScwConfigFile;
  } catch {
    return undefined;
  }
  const profileName = env.SCW_PROFILE ?? file.active_profile;
  const profile = profileName ? file.profiles?.[profileName] : undefined;
  return profile?.default_project_id ?? file.default_project_id;
}
