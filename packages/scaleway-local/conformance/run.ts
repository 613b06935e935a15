/**
 * Conformance of the local Scaleway with real recorded traffic.
 *   npx tsx packages/scaleway-local/conformance/run.ts [product ...] [--only <cassette part>] [--verbose]
 * Prints the pass rate per product; exits 1 when a product is under 95%.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { replayProduct } from "./replay";

export const PRODUCTS = ["account", "container", "rdb", "iam", "secret", "vpc", "cockpit", "object"];
export const RECORDINGS = resolve(import.meta.dirname, "../../../../shared/scaleway-api-recordings");
export const THRESHOLD = 0.95;

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const chosen = args.filter((a, i) => !a.startsWith("--") && (onlyIndex < 0 || i !== onlyIndex + 1));
const caDir = mkdtempSync(join(tmpdir(), "scaleway-local-ca-"));

let failed = false;
for (const product of chosen.length ? chosen : PRODUCTS) {
  const report = await replayProduct(RECORDINGS, product, { caDir, only });
  const rate = report.total ? report.passed / report.total : 1;
  failed ||= rate < THRESHOLD;
  console.log(
    `${product.padEnd(10)} ${(rate * 100).toFixed(1).padStart(5)}%  ${report.passed}/${report.total} interactions (${report.skipped} outside the APIs skipped)`,
  );
  const failures = report.results.filter((r) => !r.passed);
  const byCall = new Map<string, number>();
  for (const failure of failures) byCall.set(failure.call, (byCall.get(failure.call) ?? 0) + 1);
  for (const [call, count] of [...byCall.entries()].sort((a, b) => b[1] - a[1]).slice(0, verbose ? 100 : 8)) {
    const example = failures.find((f) => f.call === call)!;
    console.log(
      `    ${String(count).padStart(4)} x ${call}  e.g. ${example.cassette}#${example.id}: ${example.problems.slice(0, 3).join("; ")}`,
    );
  }
}
process.exitCode = failed ? 1 : 0;
