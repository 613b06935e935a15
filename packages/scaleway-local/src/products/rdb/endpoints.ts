import { invalidArgument, preconditionFailed } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import type { RdbModel } from "./model";
import type { EndpointRecord, InstanceRecord, ReadReplicaRecord } from "./records";
import { checkCidr, requiredString } from "./validation";
import { ENDPOINT_IP, endpointView } from "./views";

/**
 * Endpoints: how clients reach an instance (load balancer, Private Network) or a Read
 * Replica (direct access, Private Network). All lead to the real server on 127.0.0.1;
 * a Private Network endpoint keeps the network details and the service IP asked for.
 */
export class Endpoints {
  constructor(private readonly model: RdbModel) {}

  /** Endpoints from a list of specs, checked as a whole (one of a kind). */
  fromSpecs(specs: readonly unknown[], region: string, forReplica: boolean, sameZone = true): EndpointRecord[] {
    const draft = { endpoints: [] as EndpointRecord[] };
    for (const spec of specs) this.attach(draft, this.fromSpec(spec, region, forReplica, sameZone));
    return draft.endpoints;
  }

  /** An endpoint from an `endpoint_spec` item. */
  fromSpec(spec: unknown, region: string, forReplica: boolean, sameZone = true): EndpointRecord {
    const item = (spec ?? {}) as Record<string, unknown>;
    const id = this.model.newId();
    // Public endpoints show once their owner is ready (see views).
    if (item.load_balancer !== undefined && !forReplica)
      return { id, name: null, kind: "load_balancer", _pending: true };
    if (item.direct_access !== undefined && forReplica)
      return { id, name: null, kind: "direct_access", _pending: true };
    if (item.private_network && typeof item.private_network === "object") {
      const network = item.private_network as Record<string, unknown>;
      const networkId = requiredString(network, "private_network_id");
      const ipam = network.service_ip === undefined || network.service_ip === null;
      return {
        id,
        name: null,
        kind: "private_network",
        private_network: {
          private_network_id: networkId,
          // With IPAM the address is the service's choice: the local one is loopback.
          service_ip: ipam ? `${ENDPOINT_IP}/32` : checkCidr(network.service_ip, "service_ip"),
          zone: `${region}-${sameZone ? 1 : 2}`,
          provisioning_mode: ipam ? "ipam" : "static",
        },
      };
    }
    throw invalidArgument(
      "endpoint_spec",
      forReplica ? "must hold direct_access or private_network" : "must hold load_balancer or private_network",
    );
  }

  /** Adds an endpoint, one of a kind (and one Private Network) per owner, as the service allows. */
  attach(owner: { endpoints: EndpointRecord[] }, endpoint: EndpointRecord) {
    const live = owner.endpoints.filter((e) => !e._removed);
    if (live.some((e) => e.kind === endpoint.kind))
      throw preconditionFailed("endpoint_limit", `this resource already has a ${endpoint.kind} endpoint`);
    owner.endpoints.push(endpoint);
  }

  createForInstance(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const endpoint = this.fromSpec(body.endpoint_spec, region, false);
    this.attach(instance, endpoint);
    this.model.transition(this.model.instances, instance, "initializing", "ready");
    // The service creates a load balancer asynchronously and answers an empty endpoint.
    if (endpoint.kind === "load_balancer") return { id: "", name: null, port: 0 };
    return endpointView(endpoint, instance);
  }

  get(region: string, id: string) {
    const { owner, endpoint } = this.model.endpointOwner(region, id);
    return endpointView(endpoint, owner);
  }

  delete(region: string, id: string) {
    const { owner, endpoint, isReplica } = this.model.endpointOwner(region, id);
    endpoint._removed = true;
    // It goes once the owner is ready again.
    if (isReplica) this.model.transition(this.model.replicas, owner as ReadReplicaRecord, "configuring", "ready");
    else this.model.transition(this.model.instances, owner as InstanceRecord, "configuring", "ready");
  }

  /** Moves an endpoint to another instance (after a major upgrade, say). */
  migrate(region: string, id: string, body: Record<string, unknown>) {
    const { owner, endpoint, isReplica } = this.model.endpointOwner(region, id);
    if (isReplica) throw invalidArgument("endpoint_id", "Read Replica endpoints cannot move to an instance");
    const target = this.model.usableInstance(region, requiredString(body, "instance_id"));
    owner.endpoints = owner.endpoints.filter((e) => e.id !== id);
    this.attach(target, endpoint);
    this.model.instances.touch();
    return endpointView(endpoint, target);
  }
}

export function registerEndpoints(routes: ProductRoutes, endpoints: Endpoints) {
  const base = "/rdb/v1/regions/:region";
  routes.post(`${base}/instances/:id/endpoints`, "CreateEndpoint", ({ params, body }) => ({
    body: endpoints.createForInstance(params.region!, params.id!, body),
  }));
  routes.get(`${base}/endpoints/:id`, "GetEndpoint", ({ params }) => ({
    body: endpoints.get(params.region!, params.id!),
  }));
  routes.delete(`${base}/endpoints/:id`, "DeleteEndpoint", ({ params }) => {
    endpoints.delete(params.region!, params.id!);
    return { status: 204 };
  });
  routes.post(`${base}/endpoints/:id/migrate`, "MigrateEndpoint", ({ params, body }) => ({
    body: endpoints.migrate(params.region!, params.id!, body),
  }));
}
