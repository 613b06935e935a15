import { asArray, asRecord, asString, type Plain, type PlainRecord } from "./inputs";
import { isOfType, types } from "./resourceTypes";

/**
 * Where the workloads of Scaleway (containers, functions, their namespaces and jobs) take
 * their environment and command line. Jobs name their variables `env` and take secrets as
 * `secretReferences` to Secret Manager; the others take `secretEnvironmentVariables`.
 */
export const WORKLOAD_TYPES: readonly string[] = [
  ...types.container,
  ...types.containerNamespace,
  ...types.function,
  ...types.functionNamespace,
  ...types.jobDefinition,
];

export function isJob(type: string): boolean {
  return isOfType(type, "jobDefinition");
}

/** Plain (non-secret) environment variables, name to value. */
export function plainEnvironment(type: string, inputs: PlainRecord): PlainRecord {
  return asRecord(isJob(type) ? inputs.env : inputs.environmentVariables) ?? {};
}

/** Secret environment variables, name to value (containers, functions and namespaces). */
export function secretEnvironment(inputs: PlainRecord): PlainRecord {
  return asRecord(inputs.secretEnvironmentVariables) ?? {};
}

/** Strings of the command line: container args and commands, job command, args and startup commands. */
export function commandLine(inputs: PlainRecord): string[] {
  const strings = (value: Plain | undefined): string[] => {
    const single = asString(value);
    if (single !== undefined) return [single];
    return (asArray(value) ?? []).map(asString).filter((text): text is string => text !== undefined);
  };
  const parts: (Plain | undefined)[] = [inputs.args, inputs.commands, inputs.command, inputs.startupCommands];
  return parts.flatMap(strings);
}

/** Where the fix puts a secret for this type of workload. */
export function secretHome(type: string): string {
  return isJob(type)
    ? "secretReferences (a Secret Manager secret)"
    : "secretEnvironmentVariables, fed from Secret Manager";
}
