import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

/** The Scaleway credentials the engine and provider would use, and where each came from. */
export interface ScalewayCredentials {
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly projectId?: string;
  readonly region?: string;
  /** Where each value was found: the variable's name, or the scw profile. */
  readonly sources: Readonly<Record<"accessKey" | "secretKey" | "projectId" | "region", string | undefined>>;
}

export const VARIABLES = {
  accessKey: "SCW_ACCESS_KEY",
  secretKey: "SCW_SECRET_KEY",
  projectId: "SCW_DEFAULT_PROJECT_ID",
  region: "SCW_DEFAULT_REGION",
} as const;

/** Keys of a profile in the scw config file, per credential. */
const PROFILE_KEYS = {
  accessKey: "access_key",
  secretKey: "secret_key",
  projectId: "default_project_id",
  region: "default_region",
} as const;

type Profile = Partial<Record<(typeof PROFILE_KEYS)[keyof typeof PROFILE_KEYS], string>>;

/**
 * Environment variables first, then the active profile of the scw config file
 * (SCW_CONFIG_PATH or ~/.config/scw/config.yaml), as the Scaleway provider reads them.
 */
export function resolveScalewayCredentials(env: NodeJS.ProcessEnv): ScalewayCredentials {
  const profile = scwProfile(env);
  const values: Record<string, string | undefined> = {};
  const sources: Record<string, string | undefined> = {};
  for (const key of Object.keys(VARIABLES) as Array<keyof typeof VARIABLES>) {
    const fromEnv = env[VARIABLES[key]];
    const fromProfile = profile?.values[PROFILE_KEYS[key]];
    values[key] = fromEnv || fromProfile || undefined;
    sources[key] = fromEnv ? VARIABLES[key] : fromProfile ? `${PROFILE_KEYS[key]} of ${profile!.name}` : undefined;
  }
  return { ...values, sources } as unknown as ScalewayCredentials;
}

function scwProfile(env: NodeJS.ProcessEnv): { name: string; values: Profile } | undefined {
  const path = env.SCW_CONFIG_PATH ?? join(env.HOME ?? homedir(), ".config", "scw", "config.yaml");
  let file: Profile & { active_profile?: string; profiles?: Record<string, Profile> };
  try {
    file = (parseYaml(readFileSync(path, "utf8")) ?? {}) as typeof file;
  } catch {
    return undefined;
  }
  const profileName = env.SCW_PROFILE ?? file.active_profile;
  const named = profileName ? file.profiles?.[profileName] : undefined;
  return {
    name: `the scw profile ${profileName && named ? `"${profileName}"` : "default"} (${path})`,
    values: { ...pick(file), ...named },
  };
}

function pick(file: Profile): Profile {
  return Object.fromEntries(
    Object.values(PROFILE_KEYS)
      .filter((key) => typeof file[key] === "string")
      .map((key) => [key, file[key]]),
  );
}
