/**
 * Faults on demand, for resilience tests: per product and operation, an error rate
 * answered with chosen status codes (429 carries Retry-After), added latency, and
 * dropped connections. Set with SCW_LOCAL_FAULTS (a JSON list of rules) or through
 * the admin endpoint `PUT /__local/faults`.
 */
export interface FaultRule {
  /** Product the rule applies to (e.g. `containers`, `object`); unset: all. */
  readonly product?: string;
  /** Operation (e.g. `CreateContainer`, `PutObject`); unset: all of the product's. */
  readonly operation?: string;
  /** Share of matching calls that fail, 0 to 1. */
  readonly rate?: number;
  /** Statuses a failing call answers, picked at random. @default [503] */
  readonly statuses?: readonly number[];
  /** Retry-After of a 429, in seconds. @default 1 */
  readonly retryAfterSeconds?: number;
  /** Latency added to every matching call, in milliseconds. */
  readonly latencyMs?: number;
  /** Share of matching calls whose connection is closed without an answer, 0 to 1. */
  readonly dropRate?: number;
}

export type FaultDecision =
  | { readonly kind: "pass"; readonly latencyMs: number }
  | { readonly kind: "fail"; readonly latencyMs: number; readonly status: number; readonly retryAfterSeconds: number }
  | { readonly kind: "drop"; readonly latencyMs: number };

export class Faults {
  private rules: FaultRule[] = [];
  /** How many calls were failed or dropped, so that tests can tell faults really happened. */
  injected = 0;

  constructor(
    rules: readonly FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.set(rules);
  }

  set(rules: readonly FaultRule[]): void {
    for (const rule of rules) validateRule(rule);
    this.rules = [...rules];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  decide(product: string, operation: string): FaultDecision {
    const matching = this.rules.filter(
      (rule) => (!rule.product || rule.product === product) && (!rule.operation || rule.operation === operation),
    );
    const latencyMs = matching.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
    for (const rule of matching) {
      if (rule.dropRate && this.random() < rule.dropRate) {
        this.injected++;
        return { kind: "drop", latencyMs };
      }
      if (rule.rate && this.random() < rule.rate) {
        this.injected++;
        const statuses = rule.statuses ?? [503];
        const status = statuses[Math.floor(this.random() * statuses.length)] ?? 503;
        return { kind: "fail", latencyMs, status, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
      }
    }
    return { kind: "pass", latencyMs };
  }
}

const FAULT_STATUSES = [429, 500, 502, 503, 504];

function validateRule(rule: FaultRule): void {
  const share = (value: number | undefined, key: string) => {
    if (value !== undefined && !(value >= 0 && value <= 1))
      throw new Error(`fault rule ${key} must be from 0 to 1, got ${value}`);
  };
  share(rule.rate, "rate");
  share(rule.dropRate, "dropRate");
  for (const status of rule.statuses ?? []) {
    if (!FAULT_STATUSES.includes(status))
      throw new Error(`fault rule statuses must be among ${FAULT_STATUSES.join(", ")}, got ${status}`);
  }
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) throw new Error(`fault rule latencyMs must be 0 or more`);
}

export function faultsFromEnv(value: string | undefined): FaultRule[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as FaultRule[]) : [parsed as FaultRule];
  } catch (error) {
    throw new Error(`SCW_LOCAL_FAULTS is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
