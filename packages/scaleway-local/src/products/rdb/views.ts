import { upgradableVersions } from "./catalogue";
import { GONE, type RdbModel } from "./model";
import type {
  AclRule,
  BackupRecord,
  DatabaseRecord,
  EndpointRecord,
  InstanceLogRecord,
  InstanceRecord,
  ReadReplicaRecord,
  SnapshotRecord,
  UserRecord,
} from "./records";

/** The JSON the API answers, field for field as the service does. */

/** Where every endpoint leads: the real server on loopback. */
export const ENDPOINT_IP = "127.0.0.1";
/** The port MySQL endpoints show: nothing listens there, MySQL has no real server here. */
const MYSQL_PORT = 3306;

type Owner = InstanceRecord | ReadReplicaRecord;

export function endpointView(endpoint: EndpointRecord, owner: Owner) {
  const base = { id: endpoint.id, ip: ENDPOINT_IP, name: endpoint.name, port: owner._server?.port ?? MYSQL_PORT };
  if (endpoint.kind === "private_network") return { ...base, private_network: { ...endpoint.private_network! } };
  if (endpoint.kind === "direct_access") return { ...base, direct_access: {} };
  return { ...base, load_balancer: {} };
}

/**
 * The status a client sees: the record's, except that a ready resource whose real server
 * is not up (yet) is still `provisioning` (first start) or `initializing`, and `error`
 * when the server failed.
 */
export function displayStatus(model: RdbModel, record: Owner): string {
  if (record.status === GONE) return "deleting";
  if (record.status !== "ready" || !record._server) return record.status;
  switch (model.servers.state(record.id)) {
    case "running":
      return "ready";
    case "failed":
      return "error";
    default:
      return record._provisioned ? "initializing" : "provisioning";
  }
}

/**
 * The endpoints a client sees: Private Network ones first, as the service lists them; a
 * new public endpoint only once its owner is ready (the service makes it last).
 */
function shownEndpoints(owner: Owner): EndpointRecord[] {
  const shown = owner.endpoints.filter((e) => !e._pending);
  return [...shown.filter((e) => e.kind === "private_network"), ...shown.filter((e) => e.kind !== "private_network")];
}

export function instanceView(model: RdbModel, instance: InstanceRecord) {
  const shown = shownEndpoints(instance);
  const endpoints = shown.map((e) => endpointView(e, instance));
  const loadBalancer = shown.find((e) => e.kind === "load_balancer" && !e._removed);
  return {
    backup_same_region: instance.backup_same_region,
    backup_schedule: { ...instance.backup_schedule },
    created_at: instance.created_at,
    encryption: { ...instance.encryption },
    endpoint: loadBalancer ? endpointView(loadBalancer, instance) : null,
    endpoints,
    engine: instance.engine,
    id: instance.id,
    init_settings: instance.init_settings.map((s) => ({ ...s })),
    is_ha_cluster: instance.is_ha_cluster,
    logs_policy: { ...instance.logs_policy },
    maintenances: [],
    name: instance.name,
    node_type: instance.node_type,
    organization_id: instance.organization_id,
    project_id: instance.project_id,
    read_replicas: model.replicasOf(instance.id).map((r) => replicaView(model, r)),
    region: instance.region,
    settings: instance.settings.map((s) => ({ ...s })),
    status: displayStatus(model, instance),
    tags: [...instance.tags],
    upgradable_version: upgradableVersions(instance.engine),
    volume: { ...instance.volume },
  };
}

export function replicaView(model: RdbModel, replica: ReadReplicaRecord) {
  return {
    endpoints: shownEndpoints(replica).map((e) => endpointView(e, replica)),
    id: replica.id,
    instance_id: replica.instance_id,
    region: replica.region,
    same_zone: replica.same_zone,
    status: displayStatus(model, replica),
  };
}

export function userView(user: UserRecord) {
  return { is_admin: user.is_admin, name: user.name };
}

export function databaseView(database: DatabaseRecord, size: number, owner: string) {
  return { managed: database.managed, name: database.name, owner, size };
}

export function aclView(rule: AclRule, instance: InstanceRecord) {
  return {
    action: "allow",
    description: rule.description || "IP allowed",
    direction: "inbound",
    ip: rule.ip,
    port: instance._server?.port ?? MYSQL_PORT,
    protocol: "tcp",
  };
}

export function backupView(backup: BackupRecord) {
  return {
    created_at: backup.created_at,
    database_name: backup.database_name,
    download_url: backup.download_url,
    download_url_expires_at: backup.download_url_expires_at,
    expires_at: backup.expires_at,
    id: backup.id,
    instance_id: backup.instance_id,
    instance_name: backup.instance_name,
    name: backup.name,
    region: backup.region,
    same_region: backup.same_region,
    size: backup.size,
    status: backup.status,
    updated_at: backup.updated_at,
  };
}

export function snapshotView(snapshot: SnapshotRecord) {
  return {
    created_at: snapshot.created_at,
    expires_at: snapshot.expires_at,
    id: snapshot.id,
    instance_id: snapshot.instance_id,
    instance_name: snapshot.instance_name,
    name: snapshot.name,
    node_type: snapshot.node_type,
    region: snapshot.region,
    size: snapshot.size,
    status: snapshot.status,
    updated_at: snapshot.updated_at,
    volume_type: { ...snapshot.volume_type },
  };
}

export function logView(log: InstanceLogRecord) {
  return {
    created_at: log.created_at,
    download_url: log.download_url,
    expires_at: log.expires_at,
    id: log.id,
    node_name: log.node_name,
    region: log.region,
    status: log.status,
  };
}
