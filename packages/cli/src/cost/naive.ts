import type { UsageAssumptions } from "./assumptions";
import { estimateResources, type Estimate } from "./estimate";
import { numberInput, type CostedResource } from "./resources";

/**
 * The same stack configured naively, for comparison: every service always on (min scale
 * at least 1, no scale to zero) and every database highly available, sizes unchanged.
 */
export function naiveResources(resources: readonly CostedResource[]): CostedResource[] {
  return resources.map((resource) => {
    switch (resource.type) {
      case "scaleway:containers/container:Container":
        return {
          ...resource,
          inputs: { ...resource.inputs, minScale: Math.max(1, numberInput(resource.inputs, "minScale") ?? 0) },
        };
      case "scaleway:databases/instance:Instance":
        return { ...resource, inputs: { ...resource.inputs, isHaCluster: true } };
      default:
        return resource;
    }
  });
}

/** An estimate next to the naive one, and what the stack's configuration saves. */
export interface NaiveComparison {
  readonly actual: Estimate;
  readonly naive: Estimate;
  readonly savingEur: number;
  /** The saving as a share of the naive cost, in percent (0 when the naive cost is 0). */
  readonly savingPercent: number;
}

export function compareWithNaive(
  resources: readonly CostedResource[],
  assumptions: UsageAssumptions,
  environment?: string,
): NaiveComparison {
  const actual = estimateResources(resources, assumptions, environment);
  const naive = estimateResources(naiveResources(resources), assumptions, environment);
  const savingEur = naive.totalEur - actual.totalEur;
  return { actual, naive, savingEur, savingPercent: naive.totalEur > 0 ? (100 * savingEur) / naive.totalEur : 0 };
}
