import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { allPropertyChanges, propertyChanges, type PropertyChange } from "./propertyChanges";

/** A resource whose real state differs from the state the code last deployed. */
export interface DriftedResource {
  readonly urn: string;
  /** Short type, as Pulumi prints it: `scaleway:containers:Container`. */
  readonly type: string;
  /** Logical name in the program: `evalplatform-dev-api`. */
  readonly name: string;
  /** Scaleway's ID of the resource (`fr-par/<uuid>`), to find it in the console. */
  readonly id?: string;
  /** `changed`: some properties differ; `deleted`: it no longer exists in Scaleway. */
  readonly change: "changed" | "deleted";
  /** What differs; empty for deleted resources. */
  readonly properties: readonly PropertyChange[];
  /**
   * A secret deleted in Secret Manager, which keeps it until its deletion is carried out:
   * when that was asked for. `up` restores it.
   */
  readonly deletionRequestedAt?: string;
}

export interface DriftReport {
  readonly environment: string;
  readonly drifted: boolean;
  /** Cloud resources read back from Scaleway. */
  readonly resourcesChecked: number;
  readonly resources: readonly DriftedResource[];
}

/**
 * Turns the events of a refresh preview into a drift report. The engine emits one
 * `resOutputsEvent` per resource once it has read it back: `same` when nothing
 * changed, `update` with the differing property paths, `delete` when it is gone.
 */
export function driftFromEvents(environment: string, events: readonly EngineEvent[]): DriftReport {
  let resourcesChecked = 0;
  const resources: DriftedResource[] = [];
  for (const event of events) {
    const step = event.resOutputsEvent?.metadata;
    if (!step || !isCloudResource(step)) continue;
    resourcesChecked++;
    const drifted = driftedResource(step);
    if (drifted) resources.push(drifted);
  }
  resources.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  return { environment, drifted: resources.length > 0, resourcesChecked, resources };
}

/** A resource of a provider, not a component or the provider itself. */
export function isCloudResource(step: StepEventMetadata): boolean {
  const state = step.old ?? step.new;
  return Boolean(state?.custom) && !step.type.startsWith("pulumi:providers:");
}

export function driftedResource(step: StepEventMetadata): DriftedResource | undefined {
  if (step.op === "same" || step.op === "refresh" || step.op === "read") return undefined;
  const base = { urn: step.urn, type: shortType(step.type), name: nameOf(step.urn), id: step.old?.id || step.new?.id };
  if (step.op === "delete" || !step.new) return { ...base, change: "deleted", properties: [] };
  return { ...base, change: "changed", properties: changedProperties(step) };
}

function changedProperties(step: StepEventMetadata): PropertyChange[] {
  const old = step.old;
  const now = step.new;
  if (!old || !now) return [];
  const detailed = Object.entries(step.detailedDiff ?? {});
  if (detailed.length > 0) {
    const fromInputs = detailed.filter(([, diff]) => diff.inputDiff).map(([path]) => path);
    const fromOutputs = detailed.filter(([, diff]) => !diff.inputDiff).map(([path]) => path);
    return [
      ...propertyChanges(old.outputs ?? {}, now.outputs ?? {}, fromOutputs),
      ...propertyChanges(old.inputs ?? {}, now.inputs ?? {}, fromInputs),
    ];
  }
  if (step.diffs && step.diffs.length > 0) return propertyChanges(old.outputs ?? {}, now.outputs ?? {}, step.diffs);
  // No diff from the provider: compare what it read with the state ourselves.
  return allPropertyChanges(old.outputs ?? {}, now.outputs ?? {});
}

/** `scaleway:containers/container:Container` → `scaleway:containers:Container`, as Pulumi prints it. */
export function shortType(type: string): string {
  const [pkg, module, name] = type.split(":");
  if (!module || !name) return type;
  return `${pkg}:${module.split("/")[0]}:${name}`;
}

/** The logical name: what follows the last `::` of the URN. */
export function nameOf(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at < 0 ? urn : urn.slice(at + 2);
}
