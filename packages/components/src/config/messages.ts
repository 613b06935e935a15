/**
 * Error texts of the configuration schema. Every message says what is allowed and how
 * to fix it; the key and the value received are added by the formatter.
 */
export function allowed(what: string, fix?: string): string {
  return `Allowed: ${what}. Fix: ${fix ?? "change it to an allowed value"}.`;
}

export function rangeMessage(min: number, max: number, unit?: string): string {
  const suffix = unit ? ` ${unit}` : "";
  return allowed(`a whole number from ${min} to ${max}${suffix}`, `set a value from ${min} to ${max}`);
}

export function oneOfMessage(values: readonly string[]): string {
  return allowed(`one of ${values.join(", ")}`, `use one of ${values.join(", ")}`);
}
