import { paint } from "../output";
import type { CostLine } from "./costLine";
import type { Estimate } from "./estimate";
import type { NaiveComparison } from "./naive";

/** An environment's estimate, with its naive counterpart when asked for. */
export interface EnvironmentCost {
  readonly environment: string;
  readonly estimate: Estimate;
  readonly comparison?: NaiveComparison;
}

/** 1.23 or −1.23; a deduction that rounds to nothing is 0.00, not −0.00. */
const cents = (eur: number) => (Math.abs(eur) < 0.005 ? "0.00" : eur.toFixed(2).replace("-", "−"));
const amount = (eur: number, width = 9) => cents(eur).padStart(width);

/** Free resources summed up by product: "4 IAM, 2 VPC". */
function freeSummary(lines: readonly CostLine[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.product, (counts.get(line.product) ?? 0) + 1);
  return [...counts].map(([product, count]) => `${count} ${product}`).join(", ");
}

/** One environment: each resource that costs something, most expensive first, then the total. */
export function formatEstimate({ environment, estimate, comparison }: EnvironmentCost): string {
  const costing = estimate.lines.filter((line) => line.monthlyEur !== 0 || !line.priced);
  const free = estimate.lines.filter((line) => line.monthlyEur === 0 && line.priced);
  const out = [paint(`${environment}: ${amount(estimate.totalEur, 0)} € a month`, "bold")];
  out.push(`  ${"€/month".padStart(9)}  resource (product)`);
  for (const line of [...costing].sort((a, b) => b.monthlyEur - a.monthlyEur)) {
    const flag = line.priced ? "" : paint(" [not priced]", "yellow");
    out.push(`  ${amount(line.monthlyEur)}  ${line.resource} (${line.product})${flag}`);
    out.push(`  ${" ".repeat(9)}    ${line.drivers}`);
  }
  if (free.length > 0) out.push(`  ${amount(0)}  ${free.length} resources at no charge: ${freeSummary(free)}`);
  out.push(`  ${paint(amount(estimate.totalEur), "bold")}  total`);
  if (comparison) {
    out.push(
      `  ${amount(comparison.naive.totalEur)}  naive configuration (every service always on, every database HA)`,
      `  ${amount(comparison.savingEur)}  saving (${comparison.savingPercent.toFixed(1)}% of the naive cost)`,
    );
  }
  if (estimate.unpriced.length > 0)
    out.push(paint(`  not priced (left out of the total): ${estimate.unpriced.join(", ")}`, "yellow"));
  const assumptions = Object.entries(estimate.assumptions).map(([key, value]) => `${key}=${value}`);
  out.push(`  assumptions: ${assumptions.join(", ")}`);
  return out.join("\n");
}

/** The environments side by side: each product's share and the totals. */
export function formatSideBySide(costs: readonly EnvironmentCost[]): string {
  const sumOf = (estimate: Estimate, product: string) =>
    estimate.lines.filter((line) => line.product === product).reduce((sum, line) => sum + line.monthlyEur, 0);
  const products = [...new Set(costs.flatMap(({ estimate }) => estimate.lines.map((line) => line.product)))];
  const weight = (product: string) => costs.reduce((sum, { estimate }) => sum + sumOf(estimate, product), 0);
  products.sort((a, b) => weight(b) - weight(a));
  const width = Math.max(34, ...products.map((product) => product.length + 2));
  const column = Math.max(12, ...costs.map(({ environment }) => environment.length + 2));
  const row = (label: string, cells: string[]) =>
    `  ${label.padEnd(width)}${cells.map((cell) => cell.padStart(column)).join("")}`;
  const out = [paint("Side by side (€ a month, excl. VAT)", "bold")];
  out.push(
    row(
      "",
      costs.map(({ environment }) => environment),
    ),
  );
  for (const product of products) {
    const sums = costs.map(({ estimate }) => sumOf(estimate, product));
    if (sums.every((sum) => Math.abs(sum) < 0.005)) continue;
    out.push(row(product, sums.map(cents)));
  }
  out.push(
    row(
      "total",
      costs.map(({ estimate }) => cents(estimate.totalEur)),
    ),
  );
  if (costs.every(({ comparison }) => comparison)) {
    out.push(
      row(
        "naive (always on, HA)",
        costs.map(({ comparison }) => cents(comparison!.naive.totalEur)),
      ),
    );
    out.push(
      row(
        "saving",
        costs.map(({ comparison }) => cents(comparison!.savingEur)),
      ),
    );
    out.push(
      row(
        "saving %",
        costs.map(({ comparison }) => `${comparison!.savingPercent.toFixed(1)}%`),
      ),
    );
  }
  return out.join("\n");
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

/** The JSON of `sovstack cost --json`. */
export function costJson(costs: readonly EnvironmentCost[]) {
  const first = costs[0]?.estimate;
  return {
    priceDate: first?.priceDate,
    currency: first?.currency ?? "EUR",
    vat: first?.vat ?? "excluded",
    environments: costs.map(({ environment, estimate, comparison }) => ({
      environment,
      totalEur: round(estimate.totalEur, 2),
      ...(comparison && {
        naive: {
          totalEur: round(comparison.naive.totalEur, 2),
          savingEur: round(comparison.savingEur, 2),
          savingPercent: round(comparison.savingPercent, 1),
        },
      }),
      unpriced: estimate.unpriced,
      assumptions: estimate.assumptions,
      lines: estimate.lines.map((line) => ({
        resource: line.resource,
        type: line.type,
        product: line.product,
        monthlyEur: round(line.monthlyEur),
        drivers: line.drivers,
        assumptions: line.assumptions,
        priced: line.priced,
      })),
    })),
  };
}
