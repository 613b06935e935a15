/**
 * Conformance of the local Scaleway with real recorded traffic.
 *   npx tsx packages/scaleway-local/conformance/run.ts [product ...] [--only <cassette part>] [--verbose]
 * Prints the pass rate per product over the calls to APIs the local Scaleway serves (and
 * over all calls); exits 1 when a product is under 95%.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replayProduct } from "./replay";
import { PRODUCTS, RECORDINGS, summarize, THRESHOLD } from "./summary";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const chosen = args.filter((a, i) => !a.startsWith("--") && (onlyIndex < 0 || i !== onlyIndex + 1));
const caDir = mkdtempSync(join(tmpdir(), "scaleway-local-ca-"));

let failed = false;
for (const product of chosen.length ? chosen : PRODUCTS) {
  const summary = summarize(await replayProduct(RECORDINGS, product, { caDir, only }), verbose);
  failed ||= summary.servedRate < THRESHOLD;
  for (const line of summary.lines) console.log(line);
}
rmSync(caDir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
