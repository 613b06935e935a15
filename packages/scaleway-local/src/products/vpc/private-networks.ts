import { createHash, randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  optionalBoolean,
  optionalString,
  optionalStrings,
  optionalUuid,
  queryBoolean,
  queryValues,
  uuid,
} from "../../http/input";
import { randomName } from "../../http/names";
import { type Cidr, contains, formatCidr, overlaps, parseCidr, PRIVATE_IPV4 } from "./cidr";
import { region } from "./regions";
import type { PrivateNetworkRecord, SubnetRecord, VpcState } from "./state";
import type { Vpcs } from "./vpcs";

/** Where automatic IPv4 subnets come from, and their size, as the real API allocates them. */
const IPV4_POOL = parseCidr("172.16.0.0/12")!;
const IPV4_PREFIX = 22;

/**
 * Private networks: an IPv4 and an IPv6 subnet at least (allocated when not given, apart
 * from every other subnet of the project in the region; given ones must not overlap
 * another of the same VPC), in a VPC (the project's default one when none is named),
 * with DHCP on.
 */
export class PrivateNetworks {
  constructor(
    private readonly state: VpcState,
    private readonly vpcs: Vpcs,
  ) {}

  create(regionName: string, body: Record<string, unknown>): PrivateNetworkRecord {
    region(regionName);
    const projectId = optionalUuid(body, "project_id") ?? this.state.defaultProjectId;
    const vpcId = optionalUuid(body, "vpc_id");
    const vpc = vpcId ? this.vpcs.get(regionName, vpcId) : this.vpcs.defaultOf(regionName, projectId);
    const id = randomUUID();
    const given = (optionalStrings(body, "subnets") ?? []).map((text) => this.cidr(text));
    this.checkFree(
      given,
      this.subnetsOf((pn) => pn.vpc_id === vpc.id),
    );
    // Automatic ranges avoid the whole project's, so that VPCs can later be connected.
    const taken = this.subnetsOf((pn) => pn.region === regionName && pn.project_id === vpc.project_id);
    const subnets = [...given];
    if (!subnets.some((s) => s.family === 4)) subnets.push(this.nextIpv4([...taken, ...subnets]));
    if (!subnets.some((s) => s.family === 6))
      subnets.push(this.nextIpv6(regionName, vpc.project_id, id, [...taken, ...subnets]));
    const now = nowIso();
    return this.state.privateNetworks.insert({
      id,
      name: optionalString(body, "name") || randomName("pn"),
      organization_id: this.state.organizationId,
      project_id: vpc.project_id,
      region: regionName,
      tags: optionalStrings(body, "tags") ?? [],
      vpc_id: vpc.id,
      subnets: subnets.map((cidr) => ({
        id: randomUUID(),
        subnet: formatCidr(cidr),
        created_at: now,
        updated_at: now,
      })),
      dhcp_enabled: true,
      default_route_propagation_enabled: optionalBoolean(body, "default_route_propagation_enabled") ?? false,
      created_at: now,
      updated_at: now,
    });
  }

  get(regionName: string, id: string): PrivateNetworkRecord {
    const pn = this.state.privateNetworks.get(uuid(id, "private_network_id"));
    if (!pn || pn.region !== region(regionName)) throw notFound("private_network", id);
    return pn;
  }

  list(regionName: string, request: ApiRequest): PrivateNetworkRecord[] {
    const { query } = request;
    region(regionName);
    const tags = queryValues(request, "tags");
    const ids = queryValues(request, "private_network_ids");
    const dhcp = queryBoolean(query, "dhcp_enabled");
    const found = this.state.privateNetworks.list(
      (pn) =>
        pn.region === regionName &&
        (!query.name || pn.name.includes(query.name)) &&
        (!query.project_id || pn.project_id === query.project_id) &&
        (!query.organization_id || pn.organization_id === query.organization_id) &&
        (!query.vpc_id || pn.vpc_id === query.vpc_id) &&
        (ids.length === 0 || ids.includes(pn.id)) &&
        (tags.length === 0 || tags.some((tag) => pn.tags.includes(tag))) &&
        (dhcp === undefined || pn.dhcp_enabled === dhcp),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(regionName: string, id: string, body: Record<string, unknown>): PrivateNetworkRecord {
    const pn = this.get(regionName, id);
    const name = optionalString(body, "name");
    const tags = optionalStrings(body, "tags");
    const propagation = optionalBoolean(body, "default_route_propagation_enabled");
    return this.state.privateNetworks.update(pn.id, {
      ...(name ? { name } : {}),
      ...(tags !== undefined ? { tags } : {}),
      ...(propagation !== undefined ? { default_route_propagation_enabled: propagation } : {}),
      updated_at: nowIso(),
    });
  }

  enableDhcp(regionName: string, id: string): PrivateNetworkRecord {
    const pn = this.get(regionName, id);
    return this.state.privateNetworks.update(pn.id, { dhcp_enabled: true, updated_at: nowIso() });
  }

  /**
   * A network whose IPs are still attached to resources (an instance, a database) cannot
   * go; IPs booked without a resource are released with it, and so are its routes.
   */
  delete(regionName: string, id: string): void {
    const pn = this.get(regionName, id);
    const ips = this.state.ips.list((ip) => ip.private_network_id === pn.id);
    const attached = ips.filter((ip) => ip.resource && ip.resource.type !== "custom");
    if (attached.length > 0)
      throw conflict("private_network", pn.id, `the private network still has ${attached.length} attached resource(s)`);
    for (const ip of ips) this.state.ips.delete(ip.id);
    for (const route of this.state.routes.list((r) => r.nexthop_private_network_id === pn.id))
      this.state.routes.delete(route.id);
    this.state.privateNetworks.delete(pn.id);
  }

  addSubnets(regionName: string, id: string, body: Record<string, unknown>): string[] {
    const pn = this.get(regionName, id);
    const given = (optionalStrings(body, "subnets") ?? []).map((text) => this.cidr(text));
    this.checkFree(
      given,
      this.subnetsOf((other) => other.vpc_id === pn.vpc_id),
    );
    const now = nowIso();
    const added: SubnetRecord[] = given.map((cidr) => ({
      id: randomUUID(),
      subnet: formatCidr(cidr),
      created_at: now,
      updated_at: now,
    }));
    this.state.privateNetworks.update(pn.id, { subnets: [...pn.subnets, ...added], updated_at: now });
    return added.map((subnet) => subnet.subnet);
  }

  /** Removes subnets, keeping one of each family: a network always has both. */
  deleteSubnets(regionName: string, id: string, body: Record<string, unknown>): string[] {
    const pn = this.get(regionName, id);
    const removed = (optionalStrings(body, "subnets") ?? []).map((text) => formatCidr(this.cidr(text)));
    for (const subnet of removed) if (!pn.subnets.some((s) => s.subnet === subnet)) throw notFound("subnet", subnet);
    const kept = pn.subnets.filter((s) => !removed.includes(s.subnet));
    for (const family of [4, 6])
      if (!kept.some((s) => parseCidr(s.subnet)?.family === family))
        throw invalidArgument("subnets", `a private network keeps at least one IPv${family} subnet`);
    const inUse = this.state.ips.list(
      (ip) => ip.private_network_id === pn.id && !kept.some((s) => s.id === ip.subnet_id),
    );
    if (inUse.length > 0) throw conflict("subnet", inUse[0]!.subnet_id, "IPs are still booked in this subnet");
    this.state.privateNetworks.update(pn.id, { subnets: kept, updated_at: nowIso() });
    return removed;
  }

  /** Subnets of a region as their own resources, with the network and VPC they belong to. */
  subnets(regionName: string, request: ApiRequest): Record<string, unknown>[] {
    const { query } = request;
    const ids = queryValues(request, "subnet_ids");
    const found = this.list(regionName, {
      ...request,
      query: { project_id: query.project_id ?? "", vpc_id: query.vpc_id ?? "" },
    })
      .flatMap((pn) => pn.subnets.map((subnet) => this.subnetView(pn, subnet)))
      .filter((subnet) => ids.length === 0 || ids.includes(String(subnet.id)));
    return orderBy(found, query.order_by, "created_at_asc");
  }

  view(pn: PrivateNetworkRecord): Record<string, unknown> {
    return {
      id: pn.id,
      name: pn.name,
      organization_id: pn.organization_id,
      project_id: pn.project_id,
      region: pn.region,
      tags: pn.tags,
      created_at: pn.created_at,
      updated_at: pn.updated_at,
      subnets: pn.subnets.map((subnet) => this.subnetView(pn, subnet)),
      vpc_id: pn.vpc_id,
      dhcp_enabled: pn.dhcp_enabled,
      default_route_propagation_enabled: pn.default_route_propagation_enabled,
    };
  }

  subnetView(pn: PrivateNetworkRecord, subnet: SubnetRecord): Record<string, unknown> {
    return {
      id: subnet.id,
      created_at: subnet.created_at,
      updated_at: subnet.updated_at,
      subnet: subnet.subnet,
      project_id: pn.project_id,
      private_network_id: pn.id,
      vpc_id: pn.vpc_id,
    };
  }

  private cidr(text: string): Cidr {
    const cidr = parseCidr(text);
    if (!cidr) throw invalidArgument("subnets", `${text} is not a CIDR with its host bits at zero`);
    if (
      cidr.family === 4 &&
      (!PRIVATE_IPV4.some((range) => contains(range, cidr)) || cidr.prefix < 16 || cidr.prefix > 29)
    )
      throw invalidArgument("subnets", `${text} must be a private IPv4 range (RFC 1918) from /16 to /29`);
    if (cidr.family === 6 && cidr.prefix !== 64) throw invalidArgument("subnets", `${text} must be an IPv6 /64`);
    return cidr;
  }

  private subnetsOf(filter: (pn: PrivateNetworkRecord) => boolean): Cidr[] {
    return this.state.privateNetworks.list(filter).flatMap((pn) => pn.subnets.map((s) => parseCidr(s.subnet)!));
  }

  private checkFree(given: readonly Cidr[], taken: readonly Cidr[]): void {
    given.forEach((cidr, index) => {
      const clash = [...taken, ...given.slice(0, index)].find((other) => overlaps(cidr, other));
      if (clash) throw invalidArgument("subnets", `${formatCidr(cidr)} overlaps ${formatCidr(clash)}, already in use`);
    });
  }

  /** The first free /22 of 172.16.0.0/12. */
  private nextIpv4(taken: readonly Cidr[]): Cidr {
    const step = 1n << BigInt(32 - IPV4_PREFIX);
    for (
      let network = IPV4_POOL.network;
      contains(IPV4_POOL, { family: 4, network, prefix: IPV4_PREFIX });
      network += step
    ) {
      const candidate: Cidr = { family: 4, network, prefix: IPV4_PREFIX };
      if (!taken.some((other) => overlaps(candidate, other))) return candidate;
    }
    throw conflict("subnet", "", "no free IPv4 range is left in 172.16.0.0/12");
  }

  /** A /64 of the project's own ULA /48 (stable per project and region), picked from the network's ID. */
  private nextIpv6(regionName: string, projectId: string, pnId: string, taken: readonly Cidr[]): Cidr {
    const hash = createHash("sha256").update(`${projectId}/${regionName}`).digest();
    const ula = (0xfdn << 120n) | (BigInt(`0x${hash.subarray(0, 5).toString("hex")}`) << 80n);
    let subnetId = BigInt(`0x${createHash("sha256").update(pnId).digest("hex").slice(0, 4)}`);
    for (let tries = 0; tries < 0x10000; tries++, subnetId = (subnetId + 1n) & 0xffffn) {
      const candidate: Cidr = { family: 6, network: ula | (subnetId << 64n), prefix: 64 };
      if (!taken.some((other) => overlaps(candidate, other))) return candidate;
    }
    throw conflict("subnet", "", "no free IPv6 /64 is left in the project's prefix");
  }
}

export function privateNetworkRoutes(routes: ProductRoutes, networks: PrivateNetworks) {
  const base = "/vpc/v2/regions/:region/private-networks";
  routes.post(base, "CreatePrivateNetwork", ({ params, body }) => ({
    body: networks.view(networks.create(params.region!, body)),
  }));
  routes.get(base, "ListPrivateNetworks", (request) => ({
    body: paginate(
      networks.list(request.params.region!, request).map((pn) => networks.view(pn)),
      request.query,
      "private_networks",
    ),
  }));
  routes.get(`${base}/:privateNetworkId`, "GetPrivateNetwork", ({ params }) => ({
    body: networks.view(networks.get(params.region!, params.privateNetworkId!)),
  }));
  routes.patch(`${base}/:privateNetworkId`, "UpdatePrivateNetwork", ({ params, body }) => ({
    body: networks.view(networks.update(params.region!, params.privateNetworkId!, body)),
  }));
  routes.delete(`${base}/:privateNetworkId`, "DeletePrivateNetwork", ({ params }) => {
    networks.delete(params.region!, params.privateNetworkId!);
    return { status: 204 };
  });
  routes.post(`${base}/:privateNetworkId/enable-dhcp`, "EnableDHCP", ({ params }) => ({
    body: networks.view(networks.enableDhcp(params.region!, params.privateNetworkId!)),
  }));
  routes.post(`${base}/:privateNetworkId/subnets`, "AddSubnets", ({ params, body }) => ({
    body: { subnets: networks.addSubnets(params.region!, params.privateNetworkId!, body) },
  }));
  routes.delete(`${base}/:privateNetworkId/subnets`, "DeleteSubnets", ({ params, body }) => ({
    body: { subnets: networks.deleteSubnets(params.region!, params.privateNetworkId!, body) },
  }));
  routes.get("/vpc/v2/regions/:region/subnets", "ListSubnets", (request) => ({
    body: paginate(networks.subnets(request.params.region!, request), request.query, "subnets"),
  }));
}
