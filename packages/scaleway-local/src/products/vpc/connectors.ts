import { randomUUID } from "node:crypto";
import { invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalString, optionalStrings, queryValues, requiredString, uuid } from "../../http/input";
import { randomName } from "../../http/names";
import { region } from "./regions";
import type { ConnectorRecord, VpcState } from "./state";
import type { Vpcs } from "./vpcs";

/**
 * VPC connectors: one side of a link between two VPCs. A connector is `orphan` until the
 * target VPC has one back, then both are `active`.
 */
export class Connectors {
  constructor(
    private readonly state: VpcState,
    private readonly vpcs: Vpcs,
  ) {}

  create(regionName: string, body: Record<string, unknown>): ConnectorRecord {
    const vpc = this.vpcs.get(regionName, requiredString(body, "vpc_id"));
    const target = this.vpcs.get(regionName, requiredString(body, "target_vpc_id"));
    if (vpc.id === target.id) throw invalidArgument("target_vpc_id", "a VPC cannot be connected to itself");
    const now = nowIso();
    return this.state.connectors.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("connector"),
      organization_id: vpc.organization_id,
      project_id: vpc.project_id,
      region: regionName,
      tags: optionalStrings(body, "tags") ?? [],
      vpc_id: vpc.id,
      target_vpc_id: target.id,
      created_at: now,
      updated_at: now,
    });
  }

  get(regionName: string, id: string): ConnectorRecord {
    const connector = this.state.connectors.get(uuid(id, "vpc_connector_id"));
    if (!connector || connector.region !== region(regionName)) throw notFound("vpc_connector", id);
    return connector;
  }

  list(regionName: string, request: ApiRequest): ConnectorRecord[] {
    const { query } = request;
    region(regionName);
    const tags = queryValues(request, "tags");
    const status = query.status === "unknown_vpc_connector_status" ? undefined : query.status;
    const found = this.state.connectors.list(
      (c) =>
        c.region === regionName &&
        (!query.name || c.name.includes(query.name)) &&
        (!query.project_id || c.project_id === query.project_id) &&
        (!query.organization_id || c.organization_id === query.organization_id) &&
        (!query.vpc_id || c.vpc_id === query.vpc_id) &&
        (!query.target_vpc_id || c.target_vpc_id === query.target_vpc_id) &&
        (tags.length === 0 || tags.some((tag) => c.tags.includes(tag))) &&
        (!status || this.status(c) === status),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(regionName: string, id: string, body: Record<string, unknown>): ConnectorRecord {
    const connector = this.get(regionName, id);
    const name = optionalString(body, "name");
    const tags = optionalStrings(body, "tags");
    return this.state.connectors.update(connector.id, {
      ...(name ? { name } : {}),
      ...(tags !== undefined ? { tags } : {}),
      updated_at: nowIso(),
    });
  }

  /** Routes through a deleted connector go with it. */
  delete(regionName: string, id: string): void {
    const connector = this.get(regionName, id);
    for (const route of this.state.routes.list((r) => r.nexthop_vpc_connector_id === connector.id))
      this.state.routes.delete(route.id);
    this.state.connectors.delete(connector.id);
  }

  view(connector: ConnectorRecord): Record<string, unknown> {
    return {
      id: connector.id,
      name: connector.name,
      organization_id: connector.organization_id,
      project_id: connector.project_id,
      region: connector.region,
      status: this.status(connector),
      tags: connector.tags,
      vpc_id: connector.vpc_id,
      target_vpc_id: connector.target_vpc_id,
      created_at: connector.created_at,
      updated_at: connector.updated_at,
    };
  }

  private status(connector: ConnectorRecord): "orphan" | "active" {
    const peer = this.state.connectors.list(
      (other) => other.vpc_id === connector.target_vpc_id && other.target_vpc_id === connector.vpc_id,
    );
    return peer.length > 0 ? "active" : "orphan";
  }
}

export function connectorRoutes(routes: ProductRoutes, connectors: Connectors) {
  const base = "/vpc/v2/regions/:region/vpc-connectors";
  routes.post(base, "CreateVPCConnector", ({ params, body }) => ({
    body: connectors.view(connectors.create(params.region!, body)),
  }));
  routes.get(base, "ListVPCConnectors", (request) => ({
    body: paginate(
      connectors.list(request.params.region!, request).map((c) => connectors.view(c)),
      request.query,
      "vpc_connectors",
    ),
  }));
  routes.get(`${base}/:connectorId`, "GetVPCConnector", ({ params }) => ({
    body: connectors.view(connectors.get(params.region!, params.connectorId!)),
  }));
  routes.patch(`${base}/:connectorId`, "UpdateVPCConnector", ({ params, body }) => ({
    body: connectors.view(connectors.update(params.region!, params.connectorId!, body)),
  }));
  routes.delete(`${base}/:connectorId`, "DeleteVPCConnector", ({ params }) => {
    connectors.delete(params.region!, params.connectorId!);
    return { status: 204 };
  });
}
