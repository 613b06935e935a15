/**
 * Writes config/<environment>.json from the ENFORCEMENT table and the evaluation
 * platform's settings: `npm run config -w @sovstack/policy`. A test fails when they differ.
 * `sovstack init` writes a new stack's file with the same functions.
 */
import { writePolicyConfig } from "./configFile";
import { ENVIRONMENTS } from "./environment";

for (const environment of ENVIRONMENTS) console.log(`wrote ${await writePolicyConfig(environment, environment)}`);
