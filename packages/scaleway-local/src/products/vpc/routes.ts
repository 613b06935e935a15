import { randomUUID } from "node:crypto";
import { invalidArgument, notFound } from "../../http/errors";
import { paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  optionalString,
  optionalStrings,
  optionalUuid,
  queryBoolean,
  queryValues,
  requiredString,
  uuid,
} from "../../http/input";
import { contains, formatCidr, parseCidr } from "./cidr";
import { region } from "./regions";
import type { PrivateNetworkRecord, RouteRecord, VpcState } from "./state";
import type { Vpcs } from "./vpcs";

type Nexthop = Pick<RouteRecord, "nexthop_resource_id" | "nexthop_private_network_id" | "nexthop_vpc_connector_id">;

/**
 * Routes of a VPC: custom routes towards a resource in a private network or a VPC
 * connector, and the read-only routes every subnet gets, which the listing with next
 * hops shows beside them.
 */
export class Routes {
  constructor(
    private readonly state: VpcState,
    private readonly vpcs: Vpcs,
  ) {}

  create(regionName: string, body: Record<string, unknown>): RouteRecord {
    const vpc = this.vpcs.get(regionName, requiredString(body, "vpc_id"));
    const now = nowIso();
    return this.state.routes.insert({
      id: randomUUID(),
      description: optionalString(body, "description") ?? "",
      tags: optionalStrings(body, "tags") ?? [],
      vpc_id: vpc.id,
      destination: destination(requiredString(body, "destination")),
      ...this.nexthop(regionName, vpc.id, body, true)!,
      region: regionName,
      created_at: now,
      updated_at: now,
    });
  }

  get(regionName: string, id: string): RouteRecord {
    const route = this.state.routes.get(uuid(id, "route_id"));
    if (!route || route.region !== region(regionName)) throw notFound("route", id);
    return route;
  }

  update(regionName: string, id: string, body: Record<string, unknown>): RouteRecord {
    const route = this.get(regionName, id);
    const description = optionalString(body, "description");
    const tags = optionalStrings(body, "tags");
    const target = optionalString(body, "destination");
    return this.state.routes.update(route.id, {
      ...(description !== undefined ? { description } : {}),
      ...(tags !== undefined ? { tags } : {}),
      ...(target ? { destination: destination(target) } : {}),
      ...this.nexthop(regionName, route.vpc_id, body, false),
      updated_at: nowIso(),
    });
  }

  delete(regionName: string, id: string): void {
    this.state.routes.delete(this.get(regionName, id).id);
  }

  /** Custom routes and subnet routes of a VPC, each with what its next hop is. */
  withNexthop(regionName: string, request: ApiRequest): Record<string, unknown>[] {
    const { query } = request;
    region(regionName);
    const isIpv6 = queryBoolean(query, "is_ipv6");
    const tags = queryValues(request, "tags");
    const contained = query.contains ? parseCidr(query.contains) : undefined;
    const type = query.nexthop_resource_type === "unknown_type" ? undefined : query.nexthop_resource_type;
    const networks = this.state.privateNetworks.list(
      (pn) => pn.region === regionName && (!query.vpc_id || pn.vpc_id === query.vpc_id),
    );
    const subnetRoutes = networks.flatMap((pn) => this.subnetRoutes(pn));
    const custom = this.state.routes
      .list((route) => route.region === regionName && (!query.vpc_id || route.vpc_id === query.vpc_id))
      // Tags select custom routes; subnet routes carry the managed tag only and always show.
      .filter((route) => tags.length === 0 || tags.some((tag) => route.tags.includes(tag)))
      .map((route) => this.entry(route));
    const all = [...subnetRoutes, ...custom].filter(({ route, nexthop_resource_type }) => {
      const target = parseCidr(String(route.destination));
      return (
        (isIpv6 === undefined || (target?.family === 6) === isIpv6) &&
        (!contained || (target !== undefined && contains(target, contained))) &&
        (!query.nexthop_resource_id || route.nexthop_resource_id === query.nexthop_resource_id) &&
        (!query.nexthop_private_network_id || route.nexthop_private_network_id === query.nexthop_private_network_id) &&
        (!query.nexthop_vpc_connector_id || route.nexthop_vpc_connector_id === query.nexthop_vpc_connector_id) &&
        (!type || nexthop_resource_type === type)
      );
    });
    const sign = query.order_by === "created_at_desc" ? -1 : 1;
    return all.sort((a, b) => sign * String(a.route.created_at).localeCompare(String(b.route.created_at)));
  }

  view(route: RouteRecord): Record<string, unknown> {
    return {
      id: route.id,
      description: route.description,
      tags: route.tags,
      vpc_id: route.vpc_id,
      destination: route.destination,
      nexthop_resource_id: route.nexthop_resource_id,
      nexthop_private_network_id: route.nexthop_private_network_id,
      nexthop_vpc_connector_id: route.nexthop_vpc_connector_id,
      created_at: route.created_at,
      updated_at: route.updated_at,
      is_read_only: false,
      region: route.region,
      type: "custom",
    };
  }

  private entry(route: RouteRecord) {
    // What IPAM knows of the next hop resource: its IP, name and type.
    const ip = route.nexthop_resource_id
      ? this.state.ips.list(
          (ip) =>
            ip.resource?.id === route.nexthop_resource_id &&
            (!route.nexthop_private_network_id || ip.private_network_id === route.nexthop_private_network_id),
        )[0]
      : undefined;
    return {
      route: this.view(route),
      nexthop_ip: ip ? ip.address.split("/")[0]! : null,
      nexthop_name: ip?.resource?.name ?? null,
      nexthop_resource_type: route.nexthop_vpc_connector_id ? "vpc_connector" : (ip?.resource?.type ?? "unknown_type"),
    };
  }

  private subnetRoutes(pn: PrivateNetworkRecord) {
    return pn.subnets.map((subnet) => ({
      route: {
        id: "",
        description: "Local Private Network route",
        tags: ["MANAGED"],
        vpc_id: pn.vpc_id,
        destination: subnet.subnet,
        nexthop_resource_id: null,
        nexthop_private_network_id: pn.id,
        nexthop_vpc_connector_id: null,
        created_at: subnet.created_at,
        updated_at: subnet.updated_at,
        is_read_only: true,
        region: pn.region,
        type: "subnet",
      } as Record<string, unknown>,
      nexthop_ip: null,
      nexthop_name: null,
      nexthop_resource_type: "unknown_type",
    }));
  }

  /** A route goes to a resource (in a private network of the VPC) or to a VPC connector. */
  private nexthop(
    regionName: string,
    vpcId: string,
    body: Record<string, unknown>,
    required: boolean,
  ): Nexthop | undefined {
    const resourceId = optionalUuid(body, "nexthop_resource_id");
    const networkId = optionalUuid(body, "nexthop_private_network_id");
    const connectorId = optionalUuid(body, "nexthop_vpc_connector_id");
    if (!resourceId && !networkId && !connectorId) {
      if (required)
        throw invalidArgument("nexthop_resource_id", "a next hop resource or VPC connector is required", "required");
      return undefined;
    }
    if (connectorId && (resourceId || networkId))
      throw invalidArgument("nexthop_vpc_connector_id", "a route goes to a resource or to a VPC connector, not both");
    if (networkId) {
      const pn = this.state.privateNetworks.get(networkId);
      if (!pn || pn.region !== regionName) throw notFound("private_network", networkId);
      if (pn.vpc_id !== vpcId)
        throw invalidArgument("nexthop_private_network_id", "must be a private network of the route's VPC");
    }
    if (connectorId) {
      const connector = this.state.connectors.get(connectorId);
      if (!connector || connector.region !== regionName) throw notFound("vpc_connector", connectorId);
      if (connector.vpc_id !== vpcId)
        throw invalidArgument("nexthop_vpc_connector_id", "must be a connector of the route's VPC");
    }
    return {
      nexthop_resource_id: resourceId ?? null,
      nexthop_private_network_id: networkId ?? null,
      nexthop_vpc_connector_id: connectorId ?? null,
    };
  }
}

function destination(text: string): string {
  const cidr = parseCidr(text);
  if (!cidr) throw invalidArgument("destination", `${text} is not a CIDR with its host bits at zero`);
  return formatCidr(cidr);
}

export function routeRoutes(routes: ProductRoutes, model: Routes) {
  const base = "/vpc/v2/regions/:region/routes";
  routes.post(base, "CreateRoute", ({ params, body }) => ({ body: model.view(model.create(params.region!, body)) }));
  routes.get(`${base}/:routeId`, "GetRoute", ({ params }) => ({
    body: model.view(model.get(params.region!, params.routeId!)),
  }));
  routes.patch(`${base}/:routeId`, "UpdateRoute", ({ params, body }) => ({
    body: model.view(model.update(params.region!, params.routeId!, body)),
  }));
  routes.delete(`${base}/:routeId`, "DeleteRoute", ({ params }) => {
    model.delete(params.region!, params.routeId!);
    return { status: 204 };
  });
  routes.get("/vpc/v2/regions/:region/routes-with-nexthop", "ListRoutesWithNexthop", (request) => ({
    body: paginate(model.withNexthop(request.params.region!, request), request.query, "routes"),
  }));
}
