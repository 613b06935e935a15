/** One problem found in a stack configuration: the key, what is wrong and how to fix it. */
export interface ConfigIssue {
  /** Dotted key, e.g. `services.api.memoryMb`. */
  readonly key: string;
  /** What is wrong, what is allowed and the fix. */
  readonly message: string;
  /** The value received, when there was one. */
  readonly received?: unknown;
}

export function formatIssue(issue: ConfigIssue): string {
  const key = issue.key === "" ? "(top level)" : issue.key;
  if (issue.received === undefined) return `${key}: ${issue.message}`;
  return `${key}: ${describeValue(issue.received)} is not valid. ${issue.message}`;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return "a list";
  return "an object";
}

/** Thrown before any resource is registered when a configuration has problems; lists all of them. */
export class ConfigValidationError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source?: string) {
    const where = source ? ` in ${source}` : "";
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(
      `The stack configuration${where} has ${count}; nothing was created:\n` +
        issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n"),
    );
    this.name = "ConfigValidationError";
    this.issues = issues;
  }
}
