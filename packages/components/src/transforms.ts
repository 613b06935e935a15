import type * as pulumi from "@pulumi/pulumi";

/**
 * The escape hatch: a component's `transforms` map a child's role (e.g. `container`)
 * to a function that may change the child's arguments before it is created.
 */
export type ChildTransforms<Roles extends string> = Partial<
  Record<Roles, (args: Record<string, unknown>) => Record<string, unknown>>
>;

export function applyTransform<Args extends object, Roles extends string>(
  transforms: ChildTransforms<Roles> | undefined,
  role: Roles,
  args: Args,
): Args {
  const transform = transforms?.[role];
  return transform ? (transform({ ...args } as Record<string, unknown>) as Args) : args;
}

/** Options every child of a component receives. */
export function childOptions(
  parent: pulumi.Resource,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { ...extra, parent };
}
