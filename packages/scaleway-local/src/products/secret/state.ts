import type { Collection, Store, StoredRecord } from "../../state/store";

export type SecretType =
  "opaque" | "certificate" | "key_value" | "basic_credentials" | "database_credentials" | "ssh_key";

export type EphemeralAction = "delete" | "disable";

/** When and how a secret's versions expire; `time_to_live` as the API writes it (`1800s`). */
export interface EphemeralPolicy {
  time_to_live: string | null;
  expires_once_accessed: boolean;
  action: EphemeralAction;
}

export interface EphemeralProperties {
  expires_at: string | null;
  expires_once_accessed: boolean;
  action: EphemeralAction;
}

export interface SecretRecord extends StoredRecord {
  project_id: string;
  name: string;
  description: string;
  tags: string[];
  type: SecretType;
  path: string;
  protected: boolean;
  ephemeral_policy: EphemeralPolicy | null;
  used_by: string[];
  key_id: string | null;
  region: string;
  deletion_requested_at: string | null;
  created_at: string;
  updated_at: string;
}

export type VersionStatus = "enabled" | "disabled" | "deleted" | "scheduled_for_deletion";

/** A version, keyed `<secret id>/<revision>`; its payload is kept base64, as given. */
export interface VersionRecord extends StoredRecord {
  secret_id: string;
  revision: number;
  status: VersionStatus;
  description: string;
  ephemeral_properties: EphemeralProperties | null;
  deletion_requested_at: string | null;
  deleted_at: string | null;
  region: string;
  created_at: string;
  updated_at: string;
  _data: string;
  _data_crc32: number | null;
}

export class SecretState {
  readonly secrets: Collection<SecretRecord>;
  readonly versions: Collection<VersionRecord>;

  constructor(
    store: Store,
    readonly defaultProjectId: string,
  ) {
    this.secrets = store.collection("secret.secrets");
    this.versions = store.collection("secret.versions");
  }
}

export function versionKey(secretId: string, revision: number): string {
  return `${secretId}/${revision}`;
}
