/**
 * Monthly cost estimates in euros: of an environment as planned from its stack file, of a
 * deployed stack from its exported state, and of a change between the two.
 */
import type { Deployment } from "@pulumi/pulumi/automation";
import { assumptionsFor, type UsageAssumptions } from "./assumptions";
import { resourcesFromDeployment, stackNameOf } from "./deployment";
import { estimateResources, type Estimate } from "./estimate";
import { compareWithNaive, type NaiveComparison } from "./naive";
import { planEnvironment } from "./planned";

export { costDelta, describeDelta, type CostChange, type CostDelta } from "./delta";
export type { Estimate } from "./estimate";
export type { CostLine } from "./costLine";
export type { UsageAssumptions } from "./assumptions";
export { estimateResources } from "./estimate";
export { resourcesFromDeployment } from "./deployment";
export { priceTable } from "./prices";
export type { NaiveComparison } from "./naive";

export interface EstimateOptions {
  /** Usage assumptions that replace the environment's defaults. */
  readonly assumptions?: Partial<UsageAssumptions>;
  /** The Pulumi project folder. @default infra/ */
  readonly infraDir?: string;
}

/** The monthly cost of an environment as its stack file plans it (offline, through Pulumi's mocks). */
export async function estimatePlanned(environment: string, options: EstimateOptions = {}): Promise<Estimate> {
  const resources = await planEnvironment(environment, options.infraDir);
  return estimateResources(resources, assumptionsFor(environment, options.assumptions), environment);
}

/** An environment as planned and as configured naively (always on, highly available), from one plan. */
export async function estimatePlannedWithNaive(
  environment: string,
  options: EstimateOptions = {},
): Promise<NaiveComparison> {
  const resources = await planEnvironment(environment, options.infraDir);
  return compareWithNaive(resources, assumptionsFor(environment, options.assumptions), environment);
}

/**
 * The monthly cost of a deployed stack, from `await stack.exportStack()`. The environment,
 * which chooses the default assumptions, is the stack's name unless given.
 */
export function estimateDeployed(
  deployment: Deployment,
  options: { readonly environment?: string; readonly assumptions?: Partial<UsageAssumptions> } = {},
): Estimate {
  const environment = options.environment ?? stackNameOf(deployment) ?? "staging";
  return estimateResources(
    resourcesFromDeployment(deployment),
    assumptionsFor(environment, options.assumptions),
    environment,
  );
}
