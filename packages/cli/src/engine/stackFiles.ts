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
