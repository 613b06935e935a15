import { randomBytes, randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStrings,
  optionalUuid,
  queryBoolean,
  queryValues,
  uuid,
} from "../../http/input";
import { type Cidr, containsAddress, formatAddress, hostMask, parseAddress, parseCidr, size } from "./cidr";
import { region } from "./regions";
import type { IpRecord, IpResource, PrivateNetworkRecord, SubnetRecord, VpcState } from "./state";

/** What another product (a database, a container) books for one of its resources. */
export interface ResourceBooking {
  readonly projectId: string;
  readonly privateNetworkId: string;
  readonly resource: {
    readonly type: string;
    readonly id: string;
    readonly name: string;
    readonly macAddress?: string;
  };
  readonly isIpv6?: boolean;
  /** A chosen address in the network's subnet; the first free one otherwise. */
  readonly address?: string;
  readonly tags?: readonly string[];
}

/**
 * IPAM: IP addresses of private networks, booked by hand (custom resources) or by the
 * products that attach resources to a network. IPv4 addresses start at .2 (.1 is the
 * gateway); IPv6 ones get a random interface ID in the /64.
 */
export class Ipam {
  constructor(private readonly state: VpcState) {}

  /** BookIP: the source is a private network or one of its subnets. */
  book(regionName: string, body: Record<string, unknown>): IpRecord {
    region(regionName);
    const source = optionalObject(body, "source");
    if (!source) throw invalidArgument("source", "source is required", "required");
    if (source.zonal) throw invalidArgument("source.zonal", "public (zonal) IPs are not served by the local Scaleway");
    const isIpv6 = optionalBoolean(body, "is_ipv6") ?? false;
    const { pn, subnet } = this.subnetOf(regionName, source, isIpv6);
    const custom = optionalObject(body, "resource");
    return this.insert(pn, subnet, {
      projectId: optionalUuid(body, "project_id") ?? pn.project_id,
      address: optionalString(body, "address"),
      tags: optionalStrings(body, "tags") ?? [],
      resource: custom ? customResource(custom) : null,
    });
  }

  /** For other products: books an address of a private network for one of their resources. */
  bookFor(regionName: string, booking: ResourceBooking): IpRecord {
    const pn = this.state.privateNetworks.get(booking.privateNetworkId);
    if (!pn || pn.region !== regionName) throw notFound("private_network", booking.privateNetworkId);
    const family = booking.isIpv6 ? 6 : 4;
    const subnet = pn.subnets.find((s) => parseCidr(s.subnet)?.family === family)!;
    return this.insert(pn, subnet, {
      projectId: booking.projectId,
      address: booking.address,
      tags: [...(booking.tags ?? [])],
      resource: {
        type: booking.resource.type,
        id: booking.resource.id,
        name: booking.resource.name,
        mac_address: booking.resource.macAddress ?? randomMac(),
      },
    });
  }

  /** For other products: releases every IP booked for a resource (when it leaves its networks). */
  releaseFor(resourceId: string, privateNetworkId?: string): void {
    for (const ip of this.state.ips.list(
      (ip) => ip.resource?.id === resourceId && (!privateNetworkId || ip.private_network_id === privateNetworkId),
    ))
      this.state.ips.delete(ip.id);
  }

  /** For other products: the IPs of a resource. */
  ipsOf(resourceId: string): IpRecord[] {
    return this.state.ips.list((ip) => ip.resource?.id === resourceId);
  }

  get(regionName: string, id: string): IpRecord {
    const ip = this.state.ips.get(uuid(id, "ip_id"));
    if (!ip || ip.region !== region(regionName)) throw notFound("ip", id);
    return ip;
  }

  list(regionName: string, request: ApiRequest): IpRecord[] {
    const { query } = request;
    region(regionName);
    const resourceIds = queryValues(request, "resource_ids");
    const types = queryValues(request, "resource_types").filter((t) => t !== "unknown_type");
    const type = query.resource_type === "unknown_type" ? undefined : query.resource_type;
    const tags = queryValues(request, "tags");
    const ipIds = queryValues(request, "ip_ids");
    const attached = queryBoolean(query, "attached");
    const isIpv6 = queryBoolean(query, "is_ipv6");
    const vpcId = query.vpc_id || query.source_vpc_id;
    const found = this.state.ips.list(
      (ip) =>
        ip.region === regionName &&
        (!query.project_id || ip.project_id === query.project_id) &&
        (!query.organization_id || query.organization_id === this.state.organizationId) &&
        (!query.private_network_id || ip.private_network_id === query.private_network_id) &&
        (!query.subnet_id || ip.subnet_id === query.subnet_id) &&
        (!vpcId || ip.vpc_id === vpcId) &&
        (attached === undefined || attached === (ip.resource !== null)) &&
        (!query.resource_id || ip.resource?.id === query.resource_id) &&
        (resourceIds.length === 0 || resourceIds.includes(ip.resource?.id ?? "")) &&
        (!type || ip.resource?.type === type) &&
        (types.length === 0 || types.includes(ip.resource?.type ?? "")) &&
        (!query.resource_name || ip.resource?.name === query.resource_name) &&
        (!query.mac_address || ip.resource?.mac_address?.toLowerCase() === query.mac_address.toLowerCase()) &&
        (tags.length === 0 || tags.some((tag) => ip.tags.includes(tag))) &&
        (isIpv6 === undefined || ip.is_ipv6 === isIpv6) &&
        (ipIds.length === 0 || ipIds.includes(ip.id)),
    );
    // Sort keys the records lack: the address as a fixed-width number, the MAC, when attached.
    const sortable = found.map((ip) => ({
      ...ip,
      ip_address: parseAddress(ip.address.split("/")[0]!)!.value.toString(16).padStart(32, "0"),
      mac_address: ip.resource?.mac_address ?? "",
      attached_at: ip.updated_at,
    }));
    return orderBy(sortable, query.order_by, "created_at_desc");
  }

  update(regionName: string, id: string, body: Record<string, unknown>): IpRecord {
    const ip = this.get(regionName, id);
    const tags = optionalStrings(body, "tags");
    const reverses = body.reverses;
    if (reverses !== undefined && reverses !== null && !Array.isArray(reverses))
      throw invalidArgument("reverses", "must be a list of {hostname, address}");
    return this.state.ips.update(ip.id, {
      ...(tags !== undefined ? { tags } : {}),
      ...(Array.isArray(reverses)
        ? {
            reverses: reverses.map((r: Record<string, unknown>) => ({
              hostname: String(r.hostname ?? ""),
              address: String(r.address ?? ip.address.split("/")[0]),
            })),
          }
        : {}),
      updated_at: nowIso(),
    });
  }

  release(regionName: string, id: string): void {
    this.state.ips.delete(this.get(regionName, id).id);
  }

  releaseSet(regionName: string, body: Record<string, unknown>): void {
    const ips = (optionalStrings(body, "ip_ids") ?? []).map((id) => this.get(regionName, id));
    for (const ip of ips) this.state.ips.delete(ip.id);
  }

  attach(regionName: string, id: string, body: Record<string, unknown>): IpRecord {
    const ip = this.get(regionName, id);
    if (ip.resource) throw conflict("ip", ip.id, "the IP is already attached to a resource");
    const resource = optionalObject(body, "resource");
    if (!resource) throw invalidArgument("resource", "resource is required", "required");
    return this.state.ips.update(ip.id, { resource: customResource(resource), updated_at: nowIso() });
  }

  detach(regionName: string, id: string): IpRecord {
    const ip = this.get(regionName, id);
    if (!ip.resource) throw conflict("ip", ip.id, "the IP is not attached to a resource");
    return this.state.ips.update(ip.id, { resource: null, updated_at: nowIso() });
  }

  move(regionName: string, id: string, body: Record<string, unknown>): IpRecord {
    const ip = this.get(regionName, id);
    const to = optionalObject(body, "to_resource");
    return this.state.ips.update(ip.id, { resource: to ? customResource(to) : null, updated_at: nowIso() });
  }

  view(ip: IpRecord): Record<string, unknown> {
    return {
      id: ip.id,
      address: ip.address,
      project_id: ip.project_id,
      is_ipv6: ip.is_ipv6,
      created_at: ip.created_at,
      updated_at: ip.updated_at,
      source: { subnet_id: ip.subnet_id },
      resource: ip.resource,
      tags: ip.tags,
      reverses: ip.reverses,
      region: ip.region,
      zone: null,
    };
  }

  private subnetOf(
    regionName: string,
    source: Record<string, unknown>,
    isIpv6: boolean,
  ): { pn: PrivateNetworkRecord; subnet: SubnetRecord } {
    const family = isIpv6 ? 6 : 4;
    const subnetId = optionalUuid(source, "subnet_id");
    const pnId = optionalUuid(source, "private_network_id");
    if (subnetId) {
      const pn = this.state.privateNetworks.list(
        (p) => p.region === regionName && p.subnets.some((s) => s.id === subnetId),
      )[0];
      const subnet = pn?.subnets.find((s) => s.id === subnetId);
      if (!pn || !subnet) throw notFound("subnet", subnetId);
      if (parseCidr(subnet.subnet)!.family !== family)
        throw invalidArgument("is_ipv6", `the subnet is not an IPv${family} subnet`);
      return { pn, subnet };
    }
    if (!pnId) throw invalidArgument("source", "one of private_network_id and subnet_id is required", "required");
    const pn = this.state.privateNetworks.get(pnId);
    if (!pn || pn.region !== regionName) throw notFound("private_network", pnId);
    return { pn, subnet: pn.subnets.find((s) => parseCidr(s.subnet)?.family === family)! };
  }

  private insert(
    pn: PrivateNetworkRecord,
    subnet: SubnetRecord,
    options: { projectId: string; address: string | undefined; tags: string[]; resource: IpResource | null },
  ): IpRecord {
    const cidr = parseCidr(subnet.subnet)!;
    const taken = new Set(
      this.state.ips
        .list((ip) => ip.subnet_id === subnet.id)
        .map((ip) => parseAddress(ip.address.split("/")[0]!)!.value),
    );
    const value = options.address ? chosenAddress(cidr, options.address, taken) : freeAddress(cidr, taken);
    const now = nowIso();
    return this.state.ips.insert({
      id: randomUUID(),
      address: `${formatAddress(cidr.family, value)}/${cidr.prefix}`,
      project_id: options.projectId,
      is_ipv6: cidr.family === 6,
      region: pn.region,
      subnet_id: subnet.id,
      private_network_id: pn.id,
      vpc_id: pn.vpc_id,
      resource: options.resource,
      tags: options.tags,
      reverses: [],
      created_at: now,
      updated_at: now,
    });
  }
}

/** Addresses a subnet keeps for itself: the network, the gateway (.1) and, in IPv4, broadcast. */
function reserved(cidr: Cidr, value: bigint): boolean {
  const offset = value - cidr.network;
  return offset === 0n || offset === 1n || (cidr.family === 4 && offset === size(cidr) - 1n);
}

function chosenAddress(cidr: Cidr, text: string, taken: ReadonlySet<bigint>): bigint {
  const parsed = parseAddress(text.split("/")[0]!);
  if (!parsed || !containsAddress(cidr, parsed.family, parsed.value) || reserved(cidr, parsed.value))
    throw invalidArgument(
      "address",
      `must be a free host address of ${formatAddress(cidr.family, cidr.network)}/${cidr.prefix}`,
    );
  if (taken.has(parsed.value)) throw conflict("ip", text, `${text} is already booked`);
  return parsed.value;
}

function freeAddress(cidr: Cidr, taken: ReadonlySet<bigint>): bigint {
  if (cidr.family === 6) {
    for (;;) {
      const value = cidr.network | (BigInt(`0x${randomBytes(8).toString("hex")}`) & hostMask(6, cidr.prefix));
      if (!reserved(cidr, value) && !taken.has(value)) return value;
    }
  }
  for (let value = cidr.network + 2n; value < cidr.network + size(cidr) - 1n; value++)
    if (!taken.has(value)) return value;
  throw conflict("ip", "", `no free address is left in ${formatAddress(4, cidr.network)}/${cidr.prefix}`);
}

function customResource(body: Record<string, unknown>): IpResource {
  const mac = optionalString(body, "mac_address");
  if (mac && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac))
    throw invalidArgument("resource.mac_address", "must be a MAC address");
  return { type: "custom", id: "", mac_address: mac ?? null, name: optionalString(body, "name") ?? null };
}

/** A locally administered MAC address, as the platform gives the interfaces it creates. */
function randomMac(): string {
  return ["02", "00", "00", ...randomBytes(3).toString("hex").match(/../g)!].join(":").toUpperCase();
}

export function ipamRoutes(routes: ProductRoutes, ipam: Ipam) {
  const base = "/ipam/v1/regions/:region";
  routes.post(`${base}/ips`, "BookIP", ({ params, body }) => ({ body: ipam.view(ipam.book(params.region!, body)) }));
  routes.get(`${base}/ips`, "ListIPs", (request) => ({
    body: paginate(
      ipam.list(request.params.region!, request).map((ip) => ipam.view(ip)),
      request.query,
      "ips",
    ),
  }));
  routes.get(`${base}/ips/:ipId`, "GetIP", ({ params }) => ({
    body: ipam.view(ipam.get(params.region!, params.ipId!)),
  }));
  routes.patch(`${base}/ips/:ipId`, "UpdateIP", ({ params, body }) => ({
    body: ipam.view(ipam.update(params.region!, params.ipId!, body)),
  }));
  routes.delete(`${base}/ips/:ipId`, "ReleaseIP", ({ params }) => {
    ipam.release(params.region!, params.ipId!);
    return { status: 204 };
  });
  routes.post(`${base}/ip-sets/release`, "ReleaseIPSet", ({ params, body }) => {
    ipam.releaseSet(params.region!, body);
    return { status: 204 };
  });
  routes.post(`${base}/ips/:ipId/attach`, "AttachIP", ({ params, body }) => ({
    body: ipam.view(ipam.attach(params.region!, params.ipId!, body)),
  }));
  routes.post(`${base}/ips/:ipId/detach`, "DetachIP", ({ params }) => ({
    body: ipam.view(ipam.detach(params.region!, params.ipId!)),
  }));
  routes.post(`${base}/ips/:ipId/move`, "MoveIP", ({ params, body }) => ({
    body: ipam.view(ipam.move(params.region!, params.ipId!, body)),
  }));
}
