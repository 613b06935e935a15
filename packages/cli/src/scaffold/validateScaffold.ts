import { parse as parseYaml } from "yaml";
import {
  ConfigValidationError,
  fromConfigMap,
  readStackFile,
  validateStackConfig,
  type ConfigIssue,
} from "@sovstack/components";
import { stackFilesIn } from "./sources";

/** The flag that sets each key sovstack init writes, named in problems so that the fix is obvious. */
const FLAG_OF: Record<string, string> = {
  environment: "--tier",
  namePrefix: "--name-prefix",
  projectId: "--project-id",
  region: "--region",
  owner: "--owner",
  costCenter: "--cost-center",
};

/**
 * Checks a scaffolded stack file as a deployment would (the stack schema and its
 * cross-checks), plus a rule only a new file needs: its resource names must not be
 * those of another environment of the project. Throws a ConfigValidationError
 * listing every problem.
 */
export function validateScaffold(text: string, environment: string, projectDir: string): void {
  const document = (parseYaml(text) ?? {}) as { config?: Record<string, unknown> };
  const raw = fromConfigMap(document.config ?? {});
  const result = validateStackConfig(raw);
  const issues: ConfigIssue[] = result.ok ? [] : [...result.issues];
  issues.push(...nameClashes(raw, environment, projectDir));
  if (issues.length > 0) throw new ConfigValidationError(issues.map(withFlag), `Pulumi.${environment}.yaml`);
}

function nameClashes(raw: Record<string, unknown>, environment: string, projectDir: string): ConfigIssue[] {
  const prefix = String(raw.namePrefix ?? "sovstack");
  const tier = String(raw.environment);
  return stackFilesIn(projectDir)
    .filter((other) => other.environment !== environment)
    .filter((other) => {
      const config = readStackFile(other.path);
      return String(config.namePrefix ?? "sovstack") === prefix && String(config.environment) === tier;
    })
    .map((other) => ({
      key: "namePrefix",
      received: prefix,
      message:
        `with the ${tier} tier gives the resource and bucket names of Pulumi.${other.environment}.yaml ` +
        `(${prefix}-${tier}-...): the two environments would overwrite each other. ` +
        `Allowed: a prefix no other environment of this tier uses. Fix: choose another one, e.g. ${prefix}-${environment}.`,
    }));
}

function withFlag(issue: ConfigIssue): ConfigIssue {
  const flag = FLAG_OF[issue.key];
  return flag ? { ...issue, message: `${issue.message} (sovstack init sets it with ${flag})` } : issue;
}
