import { euros } from "./costLine";
import type { Estimate } from "./estimate";

/** How one resource's monthly cost changes. */
export interface CostChange {
  readonly resource: string;
  readonly type: string;
  readonly product: string;
  readonly change: "added" | "removed" | "changed";
  readonly beforeEur: number;
  readonly afterEur: number;
  readonly deltaEur: number;
}

/** The monthly cost of a change: what is deployed (before) against what is planned (after). */
export interface CostDelta {
  readonly beforeEur: number;
  readonly afterEur: number;
  readonly deltaEur: number;
  /** Resources whose cost changes, largest change first. */
  readonly changes: readonly CostChange[];
  /** Resources without a price on either side: the delta leaves them out. */
  readonly unpriced: readonly string[];
}

/** Below a hundredth of a cent a month, a difference is rounding, not a change. */
const EPSILON = 0.0001;

const keyOf = (line: { type: string; resource: string }) => `${line.type}::${line.resource}`;

/** Compares two estimates resource by resource (a resource is its type and name). */
export function costDelta(before: Estimate, after: Estimate): CostDelta {
  const beforeLines = new Map(before.lines.map((line) => [keyOf(line), line]));
  const afterLines = new Map(after.lines.map((line) => [keyOf(line), line]));
  const changes: CostChange[] = [];
  for (const key of new Set([...beforeLines.keys(), ...afterLines.keys()])) {
    const old = beforeLines.get(key);
    const next = afterLines.get(key);
    const beforeEur = old?.monthlyEur ?? 0;
    const afterEur = next?.monthlyEur ?? 0;
    const line = (next ?? old)!;
    const change = !old ? "added" : !next ? "removed" : "changed";
    if (change === "changed" && Math.abs(afterEur - beforeEur) < EPSILON) continue;
    changes.push({
      resource: line.resource,
      type: line.type,
      product: line.product,
      change,
      beforeEur,
      afterEur,
      deltaEur: afterEur - beforeEur,
    });
  }
  changes.sort((a, b) => Math.abs(b.deltaEur) - Math.abs(a.deltaEur));
  return {
    beforeEur: before.totalEur,
    afterEur: after.totalEur,
    deltaEur: after.totalEur - before.totalEur,
    changes,
    unpriced: [...new Set([...before.unpriced, ...after.unpriced])],
  };
}

function signed(amount: number): string {
  return `${amount < 0 ? "−" : "+"}${euros(Math.abs(amount))}`;
}

/**
 * The delta as a few lines for a preview: the total, each resource whose cost changes
 * (with its product: one name can be a container, its IAM application and its API key),
 * then the resources added or removed at no charge, counted per product.
 */
export function describeDelta(delta: CostDelta): string {
  const lines = [
    `Monthly cost: ${signed(delta.deltaEur)} (${euros(delta.beforeEur)} → ${euros(delta.afterEur)}, EUR excl. VAT)`,
  ];
  const charged = delta.changes.filter((change) => Math.abs(change.deltaEur) >= EPSILON);
  for (const change of charged) {
    const detail =
      change.change === "changed" ? `${euros(change.beforeEur)} → ${euros(change.afterEur)}` : change.change;
    lines.push(`  ${signed(change.deltaEur).padStart(10)}  ${change.resource}, ${change.product} (${detail})`);
  }
  for (const kind of ["added", "removed"] as const) {
    const free = delta.changes.filter((change) => change.change === kind && Math.abs(change.deltaEur) < EPSILON);
    if (free.length > 0) lines.push(`  ${free.length} ${kind} at no charge: ${countsByProduct(free)}`);
  }
  if (delta.unpriced.length > 0) lines.push(`  not priced: ${delta.unpriced.join(", ")}`);
  return lines.join("\n");
}

/** "11 IAM, 5 Secret Manager": how many of the changes each product has, most first. */
function countsByProduct(changes: readonly CostChange[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.product, (counts.get(change.product) ?? 0) + 1);
  return [...counts]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([product, count]) => `${count} ${product}`)
    .join(", ");
}
