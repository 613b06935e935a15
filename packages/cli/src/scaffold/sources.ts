import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS, type Environment } from "@sovstack/components";
import { UsageError } from "../usageError";
import { infraDir } from "../paths";
import { SIZES, SIZE_NAMES, type Size } from "./sizes";

export { SIZES, SIZE_NAMES, type Size };

/** The size a tier gets unless told otherwise. */
export function sizeForTier(tier: Environment): Size {
  return SIZE_NAMES.find((size) => SIZES[size].like === tier) ?? "small";
}

export function isSize(value: string): value is Size {
  return (SIZE_NAMES as string[]).includes(value);
}

export function isTier(value: string): value is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

/** The file a new stack file starts from, and how to name it in messages. */
export interface ScaffoldSource {
  readonly path: string;
  readonly label: string;
  /** The environment name whose file it is (dev, staging...). */
  readonly environment: string;
}

export function presetSource(size: Size): ScaffoldSource {
  const environment = SIZES[size].like;
  return {
    path: join(infraDir, `Pulumi.${environment}.yaml`),
    label: `the ${size} preset (shaped like ${environment})`,
    environment,
  };
}

/** `--from <env>`: an existing stack file of the same project. */
export function existingSource(projectDir: string, environment: string): ScaffoldSource {
  const path = join(projectDir, `Pulumi.${environment}.yaml`);
  if (!existsSync(path)) {
    const known = stackFilesIn(projectDir).map((file) => file.environment);
    throw new UsageError(
      `--from ${environment}: there is no Pulumi.${environment}.yaml in ${projectDir}. ` +
        `Fix: use one of ${known.length > 0 ? known.join(", ") : "(none: use --size instead)"}.`,
    );
  }
  return { path, label: `Pulumi.${environment}.yaml`, environment };
}

/** The stack files of a project folder. */
export function stackFilesIn(projectDir: string): Array<{ environment: string; path: string }> {
  if (!existsSync(projectDir)) return [];
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((environment): environment is string => Boolean(environment))
    .sort()
    .map((environment) => ({ environment, path: join(projectDir, `Pulumi.${environment}.yaml`) }));
}
