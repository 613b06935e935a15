import type { PlannedResource } from "@sovstack/components";

/**
 * A resource as the estimator sees it, whether planned (Pulumi's mocks) or deployed (an
 * exported stack): its Pulumi type token, name and inputs.
 */
export interface CostedResource {
  /** Pulumi type token, e.g. "scaleway:containers/container:Container". */
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The resource's ID, so that a read replica finds its instance (`instanceId`). */
  readonly id?: string;
}

/**
 * The resources of a mocked plan. The plan's mocks give each resource the ID
 * `<name>-id` (packages/components/src/plan.ts), which the inputs of its children hold.
 */
export function resourcesFromPlan(planned: readonly PlannedResource[]): CostedResource[] {
  return planned.map((resource) => ({
    type: resource.type,
    name: resource.name,
    inputs: resource.inputs,
    id: `${resource.name}-id`,
  }));
}

/** A number input, or undefined when absent or not a number (an unknown value of a preview). */
export function numberInput(inputs: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = inputs[key];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function stringInput(inputs: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = inputs[key];
  return typeof value === "string" ? value : undefined;
}
