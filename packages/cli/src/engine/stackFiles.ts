import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { infraDir as defaultInfraDir } from "../paths";
import { UsageError } from "../usageError";

/** The environments that have a `Pulumi.<env>.yaml` in the project folder. */
export function environmentsIn(infraDir: string = defaultInfraDir): string[] {
  return readdirSync(infraDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/**
 * The stack file of an environment. A name without one (a typo) is refused before the
 * engine starts, naming the files there are: otherwise Pulumi would create an empty stack
 * and fail inside the program.
 */
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
 * The stack file of an environment, checked as the infra program checks it (the schema,
 * the rules across keys, a Scaleway project to deploy to), so that a bad file fails at
 * once with every problem listed (ConfigValidationError, exit 3): before the toolchain,
 * the lease and the engine, which would otherwise create an empty stack in the backend
 * and bury the list in its diagnostics.
 */
export async function checkedStackFileOf(
  environment: string,
  options: { readonly infraDir?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const file = stackFileOf(environment, options.infraDir);
  // Loaded here: the components package loads Pulumi and zod, which stackFileOf's callers may not need.
  const { ConfigValidationError, readStackFile, resolveProjectId, validateStackConfig } =
    await import("@sovstack/components");
  const source = `Pulumi.${environment}.yaml`;
  let raw: Record<string, unknown>;
  try {
    raw = readStackFile(file);
  } catch (error) {
    throw new ConfigValidationError(
      [{ key: "", message: `is not valid YAML: ${(error as Error).message}. Fix: correct the file's syntax.` }],
      source,
    );
  }
  const checked = validateStackConfig(raw);
  const issues = checked.ok ? [] : [...checked.issues];
  const projectId = checked.ok ? checked.config.projectId : raw.projectId;
  if (projectId === undefined) {
    try {
      // The program reads the project from the engine's environment the same way.
      resolveProjectId(undefined, options.env ?? process.env);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ConfigValidationError(issues, source);
  return file;
}
