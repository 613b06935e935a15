import { invalidArgument, notFound, transientState } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { findNodeType } from "./catalogue";
import { contentsOf, templateOf, type Instances } from "./instances";
import type { RdbModel } from "./model";
import type { SnapshotRecord } from "./records";
import { optionalBoolean, optionalDate, optionalString, requiredString } from "./validation";
import { instanceView, snapshotView } from "./views";

const YEAR = 365 * 24 * 3600_000;

/**
 * Snapshots of a whole instance: real, stopped copies of its server's data folder (made
 * the way pg_basebackup makes one). An instance made from one starts with that data.
 */
export class Snapshots {
  /** Snapshots whose copy is still being made, by id. */
  private readonly copying = new Map<string, Promise<void>>();

  constructor(
    private readonly model: RdbModel,
    private readonly instances: Instances,
  ) {}

  create(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const now = nowIso();
    const snapshot = this.model.snapshots.insert({
      id: this.model.newId(),
      region,
      instance_id: instance.id,
      instance_name: instance.name,
      name: requiredString(body, "name"),
      status: "creating",
      size: null,
      expires_at: optionalDate(body, "expires_at") ?? new Date(Date.now() + YEAR).toISOString(),
      created_at: now,
      updated_at: null,
      node_type: instance.node_type,
      volume_type: { class: instance.volume.class, type: instance.volume.type },
      project_id: instance.project_id,
      engine: instance.engine,
      ...(instance._server ? { _password: instance._server.password } : {}),
      _source: { instance: templateOf(instance), contents: contentsOf(this.model, instance.id) },
    });
    this.model.transition(this.model.instances, instance, "snapshotting", "ready");
    this.model.transition(this.model.snapshots, snapshot, "creating", "ready");
    this.copy(snapshot, instance._server ? instance.id : undefined, instance.volume.size);
    return snapshotView(this.view(snapshot));
  }

  get(region: string, id: string) {
    return snapshotView(this.view(this.require(region, id)));
  }

  list(region: string, query: Readonly<Record<string, string>>) {
    const snapshots = this.model.snapshots
      .list((s) => s.region === region)
      .filter((s) => !query.instance_id || s.instance_id === query.instance_id)
      .filter((s) => !query.name || s.name.includes(query.name))
      .filter((s) => !query.project_id || s.project_id === query.project_id)
      .map((s) => snapshotView(this.view(s)));
    return paginate(orderBy(snapshots, query.order_by, "created_at_asc"), query, "snapshots");
  }

  update(region: string, id: string, body: Record<string, unknown>) {
    const snapshot = this.require(region, id);
    snapshot.name = optionalString(body, "name") ?? snapshot.name;
    snapshot.expires_at = optionalDate(body, "expires_at") ?? snapshot.expires_at;
    snapshot.updated_at = nowIso();
    this.model.snapshots.touch();
    return snapshotView(this.view(snapshot));
  }

  /** Gone at once, as on the service; its files go in the background. */
  delete(region: string, id: string) {
    const snapshot = this.require(region, id);
    this.model.snapshots.delete(snapshot.id);
    const copy = this.copying.get(snapshot.id) ?? Promise.resolve();
    void copy.then(() => this.model.servers.manager.deleteSnapshot(snapshot.id)).catch(() => undefined);
    return snapshotView({ ...this.view(snapshot), status: "deleting" });
  }

  async createInstance(region: string, id: string, body: Record<string, unknown>) {
    const snapshot = this.require(region, id);
    // A client that did not wait for the copy waits here, rather than failing.
    await this.copying.get(snapshot.id);
    if (snapshot.status === "error") throw transientState("instance_snapshot", id, "error");
    const source = snapshot._source;
    const nodeTypeName = optionalString(body, "node_type") ?? snapshot.node_type;
    if (!findNodeType(nodeTypeName)) throw invalidArgument("node_type", "unknown node type");
    const endpoints = [{ id: this.model.newId(), name: null, kind: "load_balancer" as const }];
    const instance = await this.instances.derive(
      source.instance,
      {
        name: requiredString(body, "instance_name"),
        node_type: nodeTypeName.toLowerCase(),
        is_ha_cluster: optionalBoolean(body, "is_ha_cluster") ?? source.instance.is_ha_cluster,
        endpoints,
      },
      (server) =>
        this.model.servers.manager.restoreSnapshot(snapshot.id, server.id, {
          ...server,
          snapshotPassword: snapshot._password!,
        }),
      source.contents,
    );
    return instanceView(this.model, instance);
  }

  private copy(snapshot: SnapshotRecord, serverId: string | undefined, volumeSize: number) {
    const done = (size: number) => {
      this.copying.delete(snapshot.id);
      const current = this.model.snapshots.get(snapshot.id);
      if (!current) return;
      current.size = size;
      current.updated_at = nowIso();
      this.model.snapshots.touch();
    };
    if (!serverId) return done(volumeSize);
    const work = this.model.servers
      .copyFrom(serverId, () => this.model.servers.manager.saveSnapshot(serverId, snapshot.id))
      .then(done, () => {
        this.copying.delete(snapshot.id);
        const current = this.model.snapshots.get(snapshot.id);
        if (!current) return;
        current.status = "error";
        delete current._next;
        this.model.snapshots.touch();
      });
    this.copying.set(snapshot.id, work);
  }

  /** Settled for an answer: `creating` while its copy is being made. */
  private view(snapshot: SnapshotRecord): SnapshotRecord {
    this.model.settle(this.model.snapshots, snapshot);
    return this.copying.has(snapshot.id) && snapshot.status === "ready"
      ? { ...snapshot, status: "creating" }
      : snapshot;
  }

  private require(region: string, id: string): SnapshotRecord {
    const snapshot = this.model.snapshots.get(id);
    if (!snapshot || snapshot.region !== region) throw notFound("instance_snapshot", id);
    return snapshot;
  }
}

export function registerSnapshots(routes: ProductRoutes, snapshots: Snapshots) {
  const base = "/rdb/v1/regions/:region";
  routes.post(`${base}/instances/:id/snapshots`, "CreateSnapshot", ({ params, body }) => ({
    body: snapshots.create(params.region!, params.id!, body),
  }));
  routes.get(`${base}/snapshots`, "ListSnapshots", ({ params, query }) => ({
    body: snapshots.list(params.region!, query),
  }));
  routes.get(`${base}/snapshots/:id`, "GetSnapshot", ({ params }) => ({
    body: snapshots.get(params.region!, params.id!),
  }));
  routes.patch(`${base}/snapshots/:id`, "UpdateSnapshot", ({ params, body }) => ({
    body: snapshots.update(params.region!, params.id!, body),
  }));
  routes.delete(`${base}/snapshots/:id`, "DeleteSnapshot", ({ params }) => ({
    body: snapshots.delete(params.region!, params.id!),
  }));
  routes.post(`${base}/snapshots/:id/create-instance`, "CreateInstanceFromSnapshot", async ({ params, body }) => ({
    body: await snapshots.createInstance(params.region!, params.id!, body),
  }));
}
