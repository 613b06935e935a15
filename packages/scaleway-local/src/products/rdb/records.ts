import type { WithLifecycle } from "../../state/lifecycle";
import type { StoredRecord } from "../../state/store";
import type { Permission } from "../../postgres";

/** What the local Scaleway keeps of the Managed Databases API; `_` keys never reach an answer. */

export interface Setting {
  name: string;
  value: string;
}

export interface PrivateNetworkDetails {
  private_network_id: string;
  service_ip: string;
  zone: string;
  provisioning_mode: "static" | "ipam";
}

/**
 * An endpoint of an instance or Read Replica. Its address is the real server's: 127.0.0.1
 * and the port the server listens on, whatever kind it is.
 */
export interface EndpointRecord {
  id: string;
  name: string | null;
  kind: "load_balancer" | "private_network" | "direct_access";
  private_network?: PrivateNetworkDetails;
  /** Deleted: shown until its owner is ready again, as the service does while it removes it. */
  _removed?: boolean;
  /** New and public: shown once its owner is ready. */
  _pending?: boolean;
}

/** How to reach the real server again after a restart of the local Scaleway. */
export interface ServerRef {
  port: number;
  password: string;
}

export interface AclRule {
  ip: string;
  description: string;
}

export interface InstanceRecord extends StoredRecord, WithLifecycle {
  region: string;
  name: string;
  organization_id: string;
  project_id: string;
  status: string;
  engine: string;
  node_type: string;
  created_at: string;
  tags: string[];
  settings: Setting[];
  init_settings: Setting[];
  is_ha_cluster: boolean;
  backup_schedule: { disabled: boolean; frequency: number; retention: number; next_run_at: string | null };
  backup_same_region: boolean;
  logs_policy: { max_age_retention: number; total_disk_retention: number | null };
  encryption: { enabled: boolean };
  volume: { class: string; size: number; type: string };
  endpoints: EndpointRecord[];
  _acls: AclRule[];
  /** The PEM certificate the server presents (GET …/certificate). */
  _certificate: string;
  /** The real PostgreSQL server; none for MySQL. */
  _server?: ServerRef;
  /** The server came up once (later waits show `initializing`, not `provisioning`). */
  _provisioned?: boolean;
  /** The transitional status was shown to a read (it moves on only after that). */
  _shown?: boolean;
}

export interface ReadReplicaRecord extends StoredRecord, WithLifecycle {
  region: string;
  instance_id: string;
  same_zone: boolean;
  status: string;
  endpoints: EndpointRecord[];
  _certificate: string;
  _server?: ServerRef;
  _provisioned?: boolean;
  _shown?: boolean;
}

/** Key `<instance id>/<name>`. */
export interface UserRecord extends StoredRecord {
  instance_id: string;
  name: string;
  is_admin: boolean;
}

/** Key `<instance id>/<name>`. */
export interface DatabaseRecord extends StoredRecord {
  instance_id: string;
  name: string;
  managed: boolean;
}

/** Key `<instance id>/<database>/<user>`; absent means `none`. */
export interface PrivilegeRecord extends StoredRecord {
  instance_id: string;
  database_name: string;
  user_name: string;
  permission: Permission;
}

export interface BackupRecord extends StoredRecord, WithLifecycle {
  region: string;
  instance_id: string;
  instance_name: string;
  database_name: string;
  name: string;
  status: string;
  size: number | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string | null;
  download_url: string | null;
  download_url_expires_at: string | null;
  same_region: boolean;
  project_id: string;
}

export interface SnapshotRecord extends StoredRecord, WithLifecycle {
  region: string;
  instance_id: string;
  instance_name: string;
  name: string;
  status: string;
  size: number | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string | null;
  node_type: string;
  volume_type: { class: string; type: string };
  project_id: string;
  engine: string;
  /** The superuser password the snapshot's files hold; none for MySQL. */
  _password?: string;
  /** The instance as it was, to make new ones from the snapshot. */
  _source: { instance: InstanceTemplate; contents: Contents };
}

/** What a derived instance copies from its source (an instance, or a snapshot's record of one). */
export type InstanceTemplate = Pick<
  InstanceRecord,
  | "id"
  | "region"
  | "engine"
  | "project_id"
  | "organization_id"
  | "name"
  | "node_type"
  | "tags"
  | "settings"
  | "init_settings"
  | "is_ha_cluster"
  | "backup_schedule"
  | "backup_same_region"
  | "logs_policy"
  | "encryption"
  | "volume"
>;

/** The users, databases and privileges of an instance, as records (never passwords). */
export interface Contents {
  readonly users: UserRecord[];
  readonly databases: DatabaseRecord[];
  readonly privileges: PrivilegeRecord[];
}

export interface InstanceLogRecord extends StoredRecord, WithLifecycle {
  region: string;
  instance_id: string;
  status: string;
  node_name: string;
  download_url: string | null;
  expires_at: string;
  created_at: string;
}
