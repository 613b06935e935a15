import type { Collection, Store, StoredRecord } from "../../state/store";

/** What IAM keeps, one store collection per kind, so that it survives a restart with a dataDir. */
export interface ApplicationRecord extends StoredRecord {
  name: string;
  description: string;
  organization_id: string;
  tags: string[];
  created_at: string;
  updated_at: string;
}

/** An API key, keyed by its access key; the secret key is never kept, only its digest. */
export interface ApiKeyRecord extends StoredRecord {
  description: string;
  default_project_id: string;
  expires_at: string | null;
  application_id?: string;
  user_id?: string;
  creation_ip: string;
  created_at: string;
  updated_at: string;
  _secret_key_sha256: string;
}

export interface GroupRecord extends StoredRecord {
  name: string;
  description: string;
  organization_id: string;
  user_ids: string[];
  application_ids: string[];
  tags: string[];
  created_at: string;
  updated_at: string;
}

export interface RuleRecord {
  id: string;
  permission_set_names: string[];
  condition: string;
  organization_id?: string;
  project_ids?: string[];
}

export interface PolicyRecord extends StoredRecord {
  name: string;
  description: string;
  organization_id: string;
  tags: string[];
  user_id?: string;
  group_id?: string;
  application_id?: string;
  no_principal?: boolean;
  created_at: string;
  updated_at: string;
  _rules: RuleRecord[];
}

export interface UserRecord extends StoredRecord {
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  phone_number: string;
  locale: string;
  organization_id: string;
  type: "owner" | "member";
  status: "invitation_pending" | "activated";
  tags: string[];
  locked: boolean;
  account_root_user_id: string;
  created_at: string;
  updated_at: string;
}

export interface SshKeyRecord extends StoredRecord {
  name: string;
  public_key: string;
  fingerprint: string;
  organization_id: string;
  project_id: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface SamlRecord extends StoredRecord {
  organization_id: string;
  entity_id: string;
  single_sign_on_url: string;
}

export interface SamlCertificateRecord extends StoredRecord {
  saml_id: string;
  type: string;
  origin: string;
  content: string;
  expires_at: string | null;
}

export interface ScimRecord extends StoredRecord {
  organization_id: string;
  created_at: string;
}

export class IamState {
  readonly applications: Collection<ApplicationRecord>;
  readonly apiKeys: Collection<ApiKeyRecord>;
  readonly groups: Collection<GroupRecord>;
  readonly policies: Collection<PolicyRecord>;
  readonly users: Collection<UserRecord>;
  readonly sshKeys: Collection<SshKeyRecord>;
  readonly saml: Collection<SamlRecord>;
  readonly samlCertificates: Collection<SamlCertificateRecord>;
  readonly scim: Collection<ScimRecord>;

  constructor(
    store: Store,
    /** The local organisation and its default project. */
    readonly organizationId: string,
    readonly defaultProjectId: string,
  ) {
    this.applications = store.collection("iam.applications");
    this.apiKeys = store.collection("iam.apiKeys");
    this.groups = store.collection("iam.groups");
    this.policies = store.collection("iam.policies");
    this.users = store.collection("iam.users");
    this.sshKeys = store.collection("iam.sshKeys");
    this.saml = store.collection("iam.saml");
    this.samlCertificates = store.collection("iam.samlCertificates");
    this.scim = store.collection("iam.scim");
  }
}
