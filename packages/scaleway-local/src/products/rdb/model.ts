import { randomUUID } from "node:crypto";
import type { LocalContext } from "../../context";
import { notFound, transientState } from "../../http/errors";
import type { WithLifecycle } from "../../state/lifecycle";
import type { Collection, StoredRecord } from "../../state/store";
import type {
  BackupRecord,
  DatabaseRecord,
  EndpointRecord,
  InstanceLogRecord,
  InstanceRecord,
  PrivilegeRecord,
  ReadReplicaRecord,
  SnapshotRecord,
  UserRecord,
} from "./records";
import { RdbServers } from "./servers";

/** Status of a record whose deletion is over: the read that finds it so removes it (404). */
export const GONE = "_gone";

type Transitional = StoredRecord & WithLifecycle & { status: string; _shown?: boolean };
type EndpointOwner = InstanceRecord | ReadReplicaRecord;

/**
 * The state of the Managed Databases API and the rules every part shares: lookups by
 * region, life cycles, deletions a polling client sees happen, and the real servers.
 */
export class RdbModel {
  readonly instances: Collection<InstanceRecord>;
  readonly replicas: Collection<ReadReplicaRecord>;
  readonly users: Collection<UserRecord>;
  readonly databases: Collection<DatabaseRecord>;
  readonly privileges: Collection<PrivilegeRecord>;
  readonly backups: Collection<BackupRecord>;
  readonly snapshots: Collection<SnapshotRecord>;
  readonly logs: Collection<InstanceLogRecord>;
  readonly servers: RdbServers;

  constructor(readonly context: LocalContext) {
    const { store } = context;
    this.instances = store.collection("rdb.instances");
    this.replicas = store.collection("rdb.read_replicas");
    this.users = store.collection("rdb.users");
    this.databases = store.collection("rdb.databases");
    this.privileges = store.collection("rdb.privileges");
    this.backups = store.collection("rdb.backups");
    this.snapshots = store.collection("rdb.snapshots");
    this.logs = store.collection("rdb.logs");
    this.servers = new RdbServers(context.dataDir, (id, port) => this.serverMoved(id, port));
  }

  newId(): string {
    return randomUUID();
  }

  /** An instance of `region` as a read sees it; the API's 404 once it is gone. */
  instance(region: string, id: string): InstanceRecord {
    const record = this.instances.get(id);
    const found = record?.region === region ? this.visible(this.instances, record) : undefined;
    if (!found) throw notFound("instance", id);
    this.settleEndpoints(this.instances, found);
    return found;
  }

  /** An instance that can take changes: not being deleted. */
  usableInstance(region: string, id: string): InstanceRecord {
    const instance = this.instance(region, id);
    if (instance.status === "deleting" || instance.status === GONE) throw transientState("instance", id, "deleting");
    return instance;
  }

  listInstances(region: string): InstanceRecord[] {
    return this.instances
      .list((record) => record.region === region)
      .flatMap((record) => {
        const found = this.visible(this.instances, record);
        if (found) this.settleEndpoints(this.instances, found);
        return found ? [found] : [];
      });
  }

  replica(region: string, id: string): ReadReplicaRecord {
    const record = this.replicas.get(id);
    const found = record?.region === region ? this.visible(this.replicas, record) : undefined;
    if (!found) throw notFound("read_replica", id);
    this.settleEndpoints(this.replicas, found);
    return found;
  }

  /** The Read Replicas of an instance, as its answer lists them (a read of each). */
  replicasOf(instanceId: string): ReadReplicaRecord[] {
    return this.replicas
      .list((r) => r.instance_id === instanceId)
      .flatMap((record) => {
        const found = this.visible(this.replicas, record);
        if (found) this.settleEndpoints(this.replicas, found);
        return found ? [found] : [];
      });
  }

  /** The instance or Read Replica holding endpoint `id`. */
  endpointOwner(region: string, id: string): { owner: EndpointOwner; endpoint: EndpointRecord; isReplica: boolean } {
    for (const [collection, isReplica] of [
      [this.instances, false],
      [this.replicas, true],
    ] as const) {
      for (const owner of (collection as Collection<EndpointOwner>).list((r) => r.region === region)) {
        const endpoint = owner.endpoints.find((e) => e.id === id && !e._removed);
        if (endpoint) return { owner, endpoint, isReplica };
      }
    }
    throw notFound("endpoint", id);
  }

  /** Starts a transition (`provisioning` → `ready`...) and saves it. */
  transition<T extends Transitional>(collection: Collection<T>, record: T, status: string, to: string) {
    this.context.lifecycle.begin(record, status, to);
    record._shown = false;
    collection.touch();
  }

  /** Starts a deletion that a polling client sees: `deleting`, then 404. */
  beginDeletion<T extends Transitional>(collection: Collection<T>, record: T) {
    this.transition(collection, record, "deleting", GONE);
  }

  usersOf(instanceId: string): UserRecord[] {
    return this.users.list((u) => u.instance_id === instanceId);
  }

  databasesOf(instanceId: string): DatabaseRecord[] {
    return this.databases.list((d) => d.instance_id === instanceId);
  }

  /** Forgets what belonged to a deleted instance (its server goes separately). */
  forgetContents(instanceId: string) {
    for (const collection of [this.users, this.databases, this.privileges] as const) {
      for (const record of (collection as Collection<StoredRecord & { instance_id: string }>).list(
        (r) => r.instance_id === instanceId,
      ))
        collection.delete(record.id);
    }
  }

  /**
   * Settles a record's life cycle for a read. A status that moves on is shown by at least
   * one read first, as on the service, whose clients (the Terraform provider) poll for it:
   * a deletion answers `deleting` once, then 404.
   */
  settle<T extends Transitional>(collection: Collection<T>, record: T): void {
    if (record._next && !record._shown) {
      record._shown = true;
      collection.touch();
    } else if (this.context.lifecycle.settle(record)) {
      delete record._shown;
      collection.touch();
    }
  }

  private visible<T extends Transitional>(collection: Collection<T>, record: T): T | undefined {
    this.settle(collection, record);
    if (record.status !== GONE) return record;
    collection.delete(record.id);
    return undefined;
  }

  /**
   * Endpoint changes take effect when their owner is ready again: a new public endpoint
   * (made last by the service) appears then, a deleted one disappears then.
   */
  private settleEndpoints<T extends EndpointOwner>(collection: Collection<T>, owner: T) {
    if (owner.status !== "ready" || !owner.endpoints.some((e) => e._removed || e._pending)) return;
    owner.endpoints = owner.endpoints.filter((e) => !e._removed);
    for (const endpoint of owner.endpoints) delete endpoint._pending;
    collection.touch();
  }

  private serverMoved(id: string, port: number) {
    for (const collection of [this.instances, this.replicas] as Array<Collection<EndpointOwner>>) {
      const record = collection.get(id);
      if (record?._server) {
        record._server.port = port;
        collection.touch();
      }
    }
  }
}
