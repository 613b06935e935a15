import { randomUUID } from "node:crypto";
import { conflict, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalString, optionalStrings, optionalUuid, queryBoolean, queryValues, uuid } from "../../http/input";
import { randomName } from "../../http/names";
import { region } from "./regions";
import type { VpcRecord, VpcState } from "./state";

/**
 * VPCs: each project has a default VPC per region (created when first needed, as the
 * real API has one ready), which holds private networks created without a VPC.
 */
export class Vpcs {
  constructor(private readonly state: VpcState) {}

  create(regionName: string, body: Record<string, unknown>): VpcRecord {
    const now = nowIso();
    return this.state.vpcs.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("vpc"),
      organization_id: this.state.organizationId,
      project_id: optionalUuid(body, "project_id") ?? this.state.defaultProjectId,
      region: region(regionName),
      tags: optionalStrings(body, "tags") ?? [],
      is_default: false,
      // Routing is always on in VPCs today, whatever `enable_routing` says.
      routing_enabled: true,
      custom_routes_propagation_enabled: true,
      created_at: now,
      updated_at: now,
    });
  }

  /** The project's default VPC in a region, created on first use. */
  defaultOf(regionName: string, projectId: string): VpcRecord {
    const existing = this.state.vpcs.list(
      (vpc) => vpc.is_default && vpc.region === regionName && vpc.project_id === projectId,
    )[0];
    if (existing) return existing;
    const now = nowIso();
    return this.state.vpcs.insert({
      id: randomUUID(),
      name: "default",
      organization_id: this.state.organizationId,
      project_id: projectId,
      region: region(regionName),
      tags: ["default"],
      is_default: true,
      routing_enabled: true,
      custom_routes_propagation_enabled: true,
      created_at: now,
      updated_at: now,
    });
  }

  get(regionName: string, id: string): VpcRecord {
    const vpc = this.state.vpcs.get(uuid(id, "vpc_id"));
    if (!vpc || vpc.region !== region(regionName)) throw notFound("vpc", id);
    return vpc;
  }

  list(regionName: string, request: ApiRequest): VpcRecord[] {
    const { query } = request;
    this.defaultOf(region(regionName), query.project_id || this.state.defaultProjectId);
    const tags = queryValues(request, "tags");
    const isDefault = queryBoolean(query, "is_default");
    const routing = queryBoolean(query, "routing_enabled");
    const found = this.state.vpcs.list(
      (vpc) =>
        vpc.region === regionName &&
        (!query.name || vpc.name.includes(query.name)) &&
        (!query.project_id || vpc.project_id === query.project_id) &&
        (!query.organization_id || vpc.organization_id === query.organization_id) &&
        (tags.length === 0 || tags.some((tag) => vpc.tags.includes(tag))) &&
        (isDefault === undefined || vpc.is_default === isDefault) &&
        (routing === undefined || vpc.routing_enabled === routing),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(regionName: string, id: string, body: Record<string, unknown>): VpcRecord {
    const vpc = this.get(regionName, id);
    const name = optionalString(body, "name");
    const tags = optionalStrings(body, "tags");
    return this.state.vpcs.update(vpc.id, {
      ...(name ? { name } : {}),
      ...(tags !== undefined ? { tags } : {}),
      updated_at: nowIso(),
    });
  }

  enable(regionName: string, id: string, feature: "routing_enabled" | "custom_routes_propagation_enabled"): VpcRecord {
    const vpc = this.get(regionName, id);
    return this.state.vpcs.update(vpc.id, { [feature]: true, updated_at: nowIso() });
  }

  /** A VPC must be emptied of private networks first; its routes, connectors and ACLs go with it. */
  delete(regionName: string, id: string): void {
    const vpc = this.get(regionName, id);
    if (this.state.privateNetworks.list((pn) => pn.vpc_id === vpc.id).length > 0)
      throw conflict("vpc", vpc.id, "the VPC still contains private networks; delete them first");
    for (const route of this.state.routes.list((r) => r.vpc_id === vpc.id)) this.state.routes.delete(route.id);
    for (const connector of this.state.connectors.list((c) => c.vpc_id === vpc.id || c.target_vpc_id === vpc.id))
      this.state.connectors.delete(connector.id);
    for (const family of ["4", "6"]) this.state.acls.delete(`${vpc.id}/${family}`);
    this.state.vpcs.delete(vpc.id);
  }

  view(vpc: VpcRecord): Record<string, unknown> {
    return {
      id: vpc.id,
      name: vpc.name,
      organization_id: vpc.organization_id,
      project_id: vpc.project_id,
      region: vpc.region,
      tags: vpc.tags,
      is_default: vpc.is_default,
      created_at: vpc.created_at,
      updated_at: vpc.updated_at,
      private_network_count: this.state.privateNetworks.list((pn) => pn.vpc_id === vpc.id).length,
      routing_enabled: vpc.routing_enabled,
      custom_routes_propagation_enabled: vpc.custom_routes_propagation_enabled,
    };
  }
}

export function vpcRoutes(routes: ProductRoutes, vpcs: Vpcs) {
  const base = "/vpc/v2/regions/:region/vpcs";
  routes.post(base, "CreateVPC", ({ params, body }) => ({ body: vpcs.view(vpcs.create(params.region!, body)) }));
  routes.get(base, "ListVPCs", (request) => ({
    body: paginate(
      vpcs.list(request.params.region!, request).map((vpc) => vpcs.view(vpc)),
      request.query,
      "vpcs",
    ),
  }));
  routes.get(`${base}/:vpcId`, "GetVPC", ({ params }) => ({
    body: vpcs.view(vpcs.get(params.region!, params.vpcId!)),
  }));
  routes.patch(`${base}/:vpcId`, "UpdateVPC", ({ params, body }) => ({
    body: vpcs.view(vpcs.update(params.region!, params.vpcId!, body)),
  }));
  routes.delete(`${base}/:vpcId`, "DeleteVPC", ({ params }) => {
    vpcs.delete(params.region!, params.vpcId!);
    return { status: 204 };
  });
  routes.post(`${base}/:vpcId/enable-routing`, "EnableRouting", ({ params }) => ({
    body: vpcs.view(vpcs.enable(params.region!, params.vpcId!, "routing_enabled")),
  }));
  routes.post(`${base}/:vpcId/enable-custom-routes-propagation`, "EnableCustomRoutesPropagation", ({ params }) => ({
    body: vpcs.view(vpcs.enable(params.region!, params.vpcId!, "custom_routes_propagation_enabled")),
  }));
}
