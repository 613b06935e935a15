/**
 * Writes config/<environment>.json from the ENFORCEMENT table and the evaluation
 * platform's settings: `npm run config -w @sovstack/policy`. A test fails when they differ.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { format } from "prettier";
import { ENVIRONMENTS } from "./environment";
import { policyPackConfig } from "./packConfig";

for (const environment of ENVIRONMENTS) {
  const file = resolve(import.meta.dirname, "..", "config", `${environment}.json`);
  const text = await format(JSON.stringify(policyPackConfig(environment)), { parser: "json", printWidth: 120 });
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
