import type { PlannedResource } from "./plan";

/** Resources of one Scaleway type, e.g. `scaleway:object/bucket:Bucket`. */
export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** The single resource of a type; fails when there is none or several. */
export function single(resources: readonly PlannedResource[], type: string): PlannedResource {
  const found = ofType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}
