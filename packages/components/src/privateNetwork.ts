import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { REGIONS } from "./config/limits";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface PrivateNetworkArgs {
  /** Scaleway region. @example "fr-par" */
  readonly region: (typeof REGIONS)[number];
  /** Project. @default the provider's default project */
  readonly projectId?: pulumi.Input<string>;
  /** Tags, as `key=value` strings. */
  readonly tags?: readonly string[];
  /** Per-child escape hatch (`vpc`, `privateNetwork`). */
  readonly transforms?: ChildTransforms<"vpc" | "privateNetwork">;
}

/**
 * A VPC and one regional private network in it: where the database lives and the
 * services reach it, away from the internet.
 */
export class PrivateNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateNetworkId: pulumi.Output<string>;
  private readonly vpc: scaleway.network.Vpc;
  private readonly network: scaleway.network.PrivateNetwork;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    new ArgChecks(`PrivateNetwork ${name}`).oneOf("region", args.region, REGIONS).done();
    super("sovstack:network:PrivateNetwork", name, {}, opts);
    const tags = [...(args.tags ?? [])];

    this.vpc = new scaleway.network.Vpc(
      `${name}-vpc`,
      applyTransform(args.transforms, "vpc", {
        name: `${name}-vpc`,
        region: args.region,
        projectId: args.projectId,
        tags,
      }),
      { parent: this },
    );
    this.network = new scaleway.network.PrivateNetwork(
      `${name}-pn`,
      applyTransform(args.transforms, "privateNetwork", {
        name: `${name}-pn`,
        region: args.region,
        projectId: args.projectId,
        vpcId: this.vpc.id,
        tags,
      }),
      { parent: this },
    );
    this.vpcId = this.vpc.id;
    this.privateNetworkId = this.network.id;
    this.registerOutputs({ vpcId: this.vpcId, privateNetworkId: this.privateNetworkId });
  }

  /** The underlying VPC. */
  get vpcResource(): scaleway.network.Vpc {
    return this.vpc;
  }

  /** The underlying private network. */
  get privateNetworkResource(): scaleway.network.PrivateNetwork {
    return this.network;
  }
}
