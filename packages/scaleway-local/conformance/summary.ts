import { resolve } from "node:path";
import type { ProductReport } from "./replay";

/** The recordings' folders of the products the stack uses. */
export const PRODUCTS = ["account", "container", "rdb", "iam", "secret", "vpc", "cockpit", "object"];
export const RECORDINGS = resolve(import.meta.dirname, "../../../../shared/scaleway-api-recordings");
export const THRESHOLD = 0.95;

export interface ProductSummary {
  readonly product: string;
  /** Pass rate over the calls to APIs the local Scaleway serves: the figure held to THRESHOLD. */
  readonly servedRate: number;
  readonly served: number;
  readonly rate: number;
  readonly lines: readonly string[];
}

/** A product's figures and the lines that explain them: rates, APIs not served, most frequent failures. */
export function summarize(report: ProductReport, verbose = false): ProductSummary {
  const served = report.results.filter((r) => r.served);
  const servedRate = served.length ? served.filter((r) => r.passed).length / served.length : 1;
  const rate = report.total ? report.passed / report.total : 1;
  const lines = [
    `${report.product.padEnd(10)} ${(servedRate * 100).toFixed(1).padStart(5)}% of ${served.length} calls to APIs the local Scaleway serves` +
      `  (all calls: ${(rate * 100).toFixed(1)}%, ${report.passed}/${report.total})`,
  ];
  const unserved = new Map<string, number>();
  for (const r of report.results.filter((r) => !r.served)) unserved.set(r.api, (unserved.get(r.api) ?? 0) + 1);
  if (unserved.size) {
    lines.push(
      `    not served (the stack does not use them): ${[...unserved].map(([api, n]) => `${api} ${n}`).join(", ")}`,
    );
  }
  const failures = served.filter((r) => !r.passed);
  const byCall = new Map<string, number>();
  for (const failure of failures) byCall.set(failure.call, (byCall.get(failure.call) ?? 0) + 1);
  for (const [call, count] of [...byCall.entries()].sort((a, b) => b[1] - a[1]).slice(0, verbose ? 100 : 8)) {
    const example = failures.find((f) => f.call === call)!;
    lines.push(
      `    ${String(count).padStart(4)} x ${call}  e.g. ${example.cassette}#${example.id}: ${example.problems.slice(0, 3).join("; ")}`,
    );
  }
  return { product: report.product, servedRate, served: served.length, rate, lines };
}
