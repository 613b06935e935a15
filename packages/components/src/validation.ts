/**
 * Checks of a component's plain arguments, run before any child is created. Every
 * problem is collected, then all are thrown at once, each naming the component,
 * the argument, what is allowed and the fix.
 */
export class ComponentValidationError extends Error {
  readonly problems: readonly string[];

  constructor(component: string, problems: readonly string[]) {
    super(
      `${component}: ${problems.length === 1 ? "1 invalid argument" : `${problems.length} invalid arguments`}; nothing was created:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ComponentValidationError";
    this.problems = problems;
  }
}

export class ArgChecks {
  private readonly problems: string[] = [];

  constructor(private readonly component: string) {}

  /** A whole number within [min, max], when the argument is a plain value. */
  range(key: string, value: unknown, min: number, max: number, unit = ""): this {
    if (value === undefined || !isPlain(value)) return this;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      const suffix = unit ? ` ${unit}` : "";
      this.fail(key, value, `a whole number from ${min} to ${max}${suffix}`, `pass a value from ${min} to ${max}`);
    }
    return this;
  }

  oneOf(key: string, value: unknown, values: readonly unknown[]): this {
    if (value === undefined || !isPlain(value)) return this;
    if (!values.includes(value))
      this.fail(key, value, `one of ${values.join(", ")}`, `pass one of ${values.join(", ")}`);
    return this;
  }

  /** A rule of its own: `ok` false records the problem. */
  rule(ok: boolean, key: string, value: unknown, allowed: string, fix: string): this {
    if (!ok) this.fail(key, value, allowed, fix);
    return this;
  }

  /** Throws every problem found so far. */
  done(): void {
    if (this.problems.length > 0) throw new ComponentValidationError(this.component, this.problems);
  }

  private fail(key: string, value: unknown, allowed: string, fix: string): void {
    this.problems.push(`${key}: ${JSON.stringify(value)} is not valid. Allowed: ${allowed}. Fix: ${fix}.`);
  }
}

/** Outputs and promises are checked by the provider at deployment; plain values are checked here. */
function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
}
