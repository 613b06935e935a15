import type { LocalContext, Product } from "../../context";
import { Acls, aclRoutes } from "./acl";
import { Connectors, connectorRoutes } from "./connectors";
import { Ipam, ipamRoutes } from "./ipam";
import { PrivateNetworks, privateNetworkRoutes } from "./private-networks";
import { Routes, routeRoutes } from "./routes";
import { VpcState } from "./state";
import { Vpcs, vpcRoutes } from "./vpcs";

export { Ipam, type ResourceBooking } from "./ipam";
export type { IpRecord, PrivateNetworkRecord } from "./state";

/**
 * IPAM and private networks for the products that attach resources to them (RDB, containers):
 * `ipamFor(context).bookFor(...)` books an address, `networksFor(context).get(...)` checks a
 * network exists. State is shared through the store, so these see what the APIs created.
 */
export function ipamFor(context: LocalContext): Ipam {
  return new Ipam(stateOf(context));
}

export function networksFor(context: LocalContext): PrivateNetworks {
  const state = stateOf(context);
  return new PrivateNetworks(state, new Vpcs(state));
}

function stateOf(context: LocalContext): VpcState {
  return new VpcState(context.store, context.organizationId, context.defaultProjectId);
}

/**
 * VPC API v2 (VPCs with a default one per project and region, private networks and their
 * subnets, routes, VPC connectors, ACLs) and IPAM API v1 (IP addresses of private networks).
 */
export const vpc: Product = {
  name: "vpc",
  register(routes, context: LocalContext) {
    const state = stateOf(context);
    const vpcs = new Vpcs(state);
    vpcRoutes(routes, vpcs);
    privateNetworkRoutes(routes, new PrivateNetworks(state, vpcs));
    routeRoutes(routes, new Routes(state, vpcs));
    connectorRoutes(routes, new Connectors(state, vpcs));
    aclRoutes(routes, new Acls(state, vpcs));
    ipamRoutes(routes, new Ipam(state));
  },
};
