import { invalidArgument } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { freePort, sql } from "../../postgres";
import type { Endpoints } from "./endpoints";
import { certificateFor, contentsOf, type Instances } from "./instances";
import { GONE, type RdbModel } from "./model";
import type { ReadReplicaRecord } from "./records";
import { objectList, optionalBoolean, requiredString } from "./validation";
import { instanceView, replicaView } from "./views";

/**
 * Read Replicas: real hot standbys, copied from the instance's server and streaming from
 * it, on their own port. Reads work, writes are refused, as on the service. Promoting one
 * turns its server into a new instance's.
 */
export class ReadReplicas {
  constructor(
    private readonly model: RdbModel,
    private readonly endpoints: Endpoints,
    private readonly instances: Instances,
  ) {}

  async create(region: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, requiredString(body, "instance_id"));
    const sameZone = optionalBoolean(body, "same_zone") ?? true;
    const specs = objectList(body, "endpoint_spec");
    const endpoints = this.endpoints.fromSpecs(specs.length ? specs : [{ direct_access: {} }], region, true, sameZone);
    const id = this.model.newId();
    const certificate = await certificateFor(id, region);
    const replica = this.model.replicas.insert({
      id,
      region,
      instance_id: instance.id,
      same_zone: sameZone,
      status: "provisioning",
      endpoints,
      _certificate: certificate.certPem,
      // A standby has its primary's roles, superuser password included.
      ...(instance._server ? { _server: { port: await freePort(), password: instance._server.password } } : {}),
    });
    this.model.transition(this.model.replicas, replica, "provisioning", "ready");
    if (instance._server) this.follow(replica, instance.id, certificate);
    return replicaView(this.model, replica);
  }

  get(region: string, id: string) {
    return replicaView(this.model, this.model.replica(region, id));
  }

  delete(region: string, id: string) {
    const replica = this.usable(region, id);
    this.model.beginDeletion(this.model.replicas, replica);
    this.model.servers.remove(replica.id);
    return replicaView(this.model, replica);
  }

  /** Copies the instance's server again and follows it from there. */
  async reset(region: string, id: string) {
    const replica = this.usable(region, id);
    this.model.transition(this.model.replicas, replica, "initializing", "ready");
    if (replica._server) {
      const certificate = await certificateFor(replica.id, region);
      replica._certificate = certificate.certPem;
      this.model.servers.launch(replica.id, () =>
        this.model.servers.copyFrom(replica.instance_id, async () => {
          await this.model.servers.manager.remove(replica.id);
          return this.model.servers.manager.clone(replica.instance_id, replica.id, {
            password: replica._server!.password,
            certificate,
            port: replica._server!.port,
            follow: true,
          });
        }),
      );
    }
    return replicaView(this.model, replica);
  }

  /** The replica becomes a standalone instance, like its primary, holding its data. */
  async promote(region: string, id: string) {
    const replica = this.usable(region, id);
    const primary = this.model.instance(region, replica.instance_id);
    this.model.replicas.delete(replica.id);
    const server = replica._server;
    const instance = await this.instances.derive(
      primary,
      {
        name: `promoted - ${primary.name}`,
        endpoints: replica.endpoints.map((e) => ({
          ...e,
          kind: e.kind === "direct_access" ? "load_balancer" : e.kind,
        })),
        ...(server ? { _server: { ...server } } : {}),
      },
      async (made) => {
        await this.model.servers.cluster(replica.id);
        const cluster = await this.model.servers.manager.rename(replica.id, made.id);
        await sql.promote(cluster);
        await this.model.servers.manager.renewCertificate(made.id, made.certificate);
        return cluster;
      },
      contentsOf(this.model, primary.id),
    );
    this.model.transition(this.model.instances, instance, "initializing", "ready");
    return instanceView(this.model, instance);
  }

  async addEndpoints(region: string, id: string, body: Record<string, unknown>) {
    const replica = this.usable(region, id);
    const specs = objectList(body, "endpoint_spec");
    if (!specs.length) throw invalidArgument("endpoint_spec", "endpoint_spec is required", "required");
    for (const spec of specs)
      this.endpoints.attach(replica, this.endpoints.fromSpec(spec, region, true, replica.same_zone));
    this.model.transition(this.model.replicas, replica, "initializing", "ready");
    return replicaView(this.model, replica);
  }

  /** Starts again, in the background, the standbys kept in a data folder. */
  resume() {
    for (const replica of this.model.replicas.list((r) => r._server !== undefined && r.status !== GONE)) {
      const ref = replica._server!;
      this.model.servers.launch(replica.id, async () => {
        const cluster = await this.model.servers.manager.open(replica.id, ref);
        await cluster.start();
        return cluster;
      });
    }
  }

  private follow(
    replica: ReadReplicaRecord,
    instanceId: string,
    certificate: Awaited<ReturnType<typeof certificateFor>>,
  ) {
    this.model.servers.launch(
      replica.id,
      () =>
        this.model.servers.copyFrom(instanceId, () =>
          this.model.servers.manager.clone(instanceId, replica.id, {
            password: replica._server!.password,
            certificate,
            port: replica._server!.port,
            follow: true,
          }),
        ),
      (cluster) => {
        const current = this.model.replicas.get(replica.id);
        if (!current?._server) return;
        current._server.port = cluster.port;
        current._provisioned = true;
        this.model.replicas.touch();
      },
    );
  }

  private usable(region: string, id: string): ReadReplicaRecord {
    const replica = this.model.replica(region, id);
    if (replica.status === "deleting" || replica.status === GONE)
      throw invalidArgument("read_replica_id", "this Read Replica is being deleted");
    return replica;
  }
}

export function registerReadReplicas(routes: ProductRoutes, replicas: ReadReplicas) {
  const base = "/rdb/v1/regions/:region/read-replicas";
  routes.post(base, "CreateReadReplica", async ({ params, body }) => ({
    body: await replicas.create(params.region!, body),
  }));
  routes.get(`${base}/:id`, "GetReadReplica", ({ params }) => ({ body: replicas.get(params.region!, params.id!) }));
  routes.delete(`${base}/:id`, "DeleteReadReplica", ({ params }) => ({
    body: replicas.delete(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/reset`, "ResetReadReplica", async ({ params }) => ({
    body: await replicas.reset(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/promote`, "PromoteReadReplica", async ({ params }) => ({
    body: await replicas.promote(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/endpoints`, "CreateReadReplicaEndpoint", async ({ params, body }) => ({
    body: await replicas.addEndpoints(params.region!, params.id!, body),
  }));
}
