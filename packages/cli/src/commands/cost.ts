import type { Command } from "commander";
import {
  assumptionDocs,
  assumptionsFor,
  overridesFor,
  parseAssumptionOverrides,
  type AssumptionOverride,
} from "../cost/assumptions";
import type { EnvironmentCost } from "../cost/format";
import { priceTable } from "../cost/prices";
import { progress } from "../output";
import { UsageError } from "../usageError";

interface CostOptions {
  readonly json?: boolean;
  readonly naive?: boolean;
  readonly assume?: string[];
}

const DEFAULT_ENVIRONMENTS = ["dev", "staging", "production"];

/** Repeated `--assume` options, in order (no default, so that help shows none). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Refuses an `env.key=value` override for an environment not being estimated. */
function checkScopes(overrides: readonly AssumptionOverride[], environments: readonly string[]): void {
  for (const { environment, key } of overrides) {
    if (environment !== undefined && !environments.includes(environment)) {
      throw new UsageError(
        `--assume ${environment}.${key}=…: ${environment} is not among the environments estimated (${environments.join(", ")}). ` +
          `Fix: name one of them, or add ${environment} to the command.`,
      );
    }
  }
}

/** Estimates each environment in turn: Pulumi's mocks are process-wide, so plans cannot overlap. */
async function estimateEnvironments(
  environments: readonly string[],
  overrides: readonly AssumptionOverride[],
  naive: boolean,
): Promise<EnvironmentCost[]> {
  const { planEnvironment } = await import("../cost/planned");
  const { compareWithNaive } = await import("../cost/naive");
  const { estimateResources } = await import("../cost/estimate");
  const costs: EnvironmentCost[] = [];
  for (const environment of environments) {
    progress(`planning ${environment} through Pulumi's mocks (offline)`);
    const resources = await planEnvironment(environment);
    const assumptions = assumptionsFor(environment, overridesFor(environment, overrides));
    if (naive) {
      const comparison = compareWithNaive(resources, assumptions, environment);
      costs.push({ environment, estimate: comparison.actual, comparison });
    } else {
      costs.push({ environment, estimate: estimateResources(resources, assumptions, environment) });
    }
  }
  return costs;
}

/**
 * `sovstack cost [env...]`: monthly € estimate per resource, environments side by side. Planning
 * loads the components and Pulumi, so the action imports it: help stays fast.
 */
export function registerCostCommand(program: Command): void {
  program
    .command("cost")
    .description(
      "estimate each environment's monthly cost in euros (excl. VAT) from its stack file, offline, resource by resource",
    )
    .argument("[env...]", `environments (Pulumi.<env>.yaml files) (default: ${DEFAULT_ENVIRONMENTS.join(" ")})`)
    .option("--json", "print the estimates as JSON")
    .option("--naive", "add the cost of a naive configuration (always on, HA everywhere) and the saving")
    .option(
      "--assume <key=value>",
      "change a usage assumption, for all environments or one (env.key=value); repeatable",
      collect,
    )
    .addHelpText(
      "after",
      [
        "",
        `Prices: Scaleway, ${priceTable.region}, read ${priceTable.priceDate} (packages/cli/src/cost/prices.ts, each with its source).`,
        "Usage assumptions (defaults differ per environment; every estimate prints the ones it used):",
        ...Object.entries(assumptionDocs).map(([key, doc]) => `  ${key.padEnd(33)} ${doc}`),
        "",
        "Examples:",
        "  sovstack cost",
        "  sovstack cost production --naive",
        "  sovstack cost dev staging --assume bucketStoredGb=50 --assume staging.databaseDataGb=10 --json",
      ].join("\n"),
    )
    .action(async (requested: string[], options: CostOptions) => {
      const environments = requested.length > 0 ? [...new Set(requested)] : DEFAULT_ENVIRONMENTS;
      const { environmentsIn, stackFileOf } = await import("../engine/stackFiles");
      const { costJson, formatEstimate, formatSideBySide } = await import("../cost/format");
      // Every argument is checked before any planning starts.
      for (const environment of environments) stackFileOf(environment);
      const overrides = parseAssumptionOverrides(options.assume ?? []);
      checkScopes(overrides, environments);
      const costs = await estimateEnvironments(environments, overrides, Boolean(options.naive));
      if (options.json) {
        console.log(JSON.stringify(costJson(costs), null, 2));
        return;
      }
      console.log(
        `Monthly estimate in € (EUR, excl. VAT), Scaleway prices of ${priceTable.priceDate}, region ${priceTable.region}.\n`,
      );
      for (const cost of costs) console.log(`${formatEstimate(cost)}\n`);
      if (costs.length > 1) console.log(formatSideBySide(costs));
      const others = environmentsIn().filter((name) => !environments.includes(name));
      if (requested.length === 0 && others.length > 0)
        progress(`other environment files not estimated: ${others.join(", ")} (name them to include them)`);
    });
}
