import type { UsageAssumptions } from "./assumptions";
import { priceTable } from "./prices";

/** One resource's monthly cost, with what it is made of. */
export interface CostLine {
  /** The resource's Pulumi name, or the name of a free-tier deduction. */
  readonly resource: string;
  /** Pulumi type token; empty for a free-tier deduction. */
  readonly type: string;
  /** The Scaleway product that bills it. */
  readonly product: string;
  /** What drives the cost, with each part's amount. */
  readonly drivers: string;
  /** The usage assumptions the amount depends on, as `key=value`. */
  readonly assumptions: readonly string[];
  readonly monthlyEur: number;
  /** False when the price table has no figure for it: the amount leaves that part out. */
  readonly priced: boolean;
  /** Serverless usage, which the account's free tier is deducted from. */
  readonly usage?: { readonly vcpuSeconds: number; readonly gbSeconds: number };
  /** Object Storage egress, which the account's free egress is deducted from. */
  readonly egressGb?: number;
}

export const HOURS_PER_MONTH = priceTable.hoursPerMonth;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** A part of a line: its amount and how it was computed. */
export interface CostPart {
  readonly what: string;
  readonly eur: number;
}

/** €1.23, or −€1.23 for a deduction. */
export function euros(amount: number): string {
  const cents = amount.toFixed(2);
  return cents.startsWith("-") && cents !== "-0.00" ? `−€${cents.slice(1)}` : `€${cents.replace("-", "")}`;
}

/** `what €x + what €y`, the drivers text of a line made of parts. */
export function describeParts(parts: readonly CostPart[]): string {
  return parts.map((part) => `${part.what} ${euros(part.eur)}`).join(" + ");
}

export function sumParts(parts: readonly CostPart[]): number {
  return parts.reduce((total, part) => total + part.eur, 0);
}

/** `key=value` of the assumptions a line used. */
export function used(assumptions: UsageAssumptions, ...keys: (keyof UsageAssumptions)[]): string[] {
  return keys.map((key) => `${key}=${assumptions[key]}`);
}

/** A number without trailing zeros, at most `digits` decimals: 0.28, 2, 0.125. */
export function plain(value: number, digits = 4): string {
  return String(Number(value.toFixed(digits)));
}
