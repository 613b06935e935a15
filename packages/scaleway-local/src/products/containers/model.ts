import { argon2Hash } from "./secretHashes";
import type { LocalContext } from "../../context";
import { nowIso } from "../../state/lifecycle";
import type { Collection, StoredRecord } from "../../state/store";
import { GONE, Transitions, type Observed } from "./transitions";

/** Every record is regional: a namespace of fr-par does not exist for nl-ams. */
interface Regional extends StoredRecord, Observed {
  status: string;
  region: string;
}

export interface NamespaceRecord extends Regional {
  name: string;
  organization_id: string;
  project_id: string;
  description: string;
  environment_variables: Record<string, string>;
  /** Key to a hash of the value: values are never kept. */
  secret_environment_variables: Record<string, string>;
  tags: string[];
  created_at: string;
  updated_at: string;
  /** The registry namespace v1beta1 shows; v1 no longer answers it. */
  registry_namespace_id: string;
  registry_endpoint: string;
  vpc_integration_activated: boolean;
}

export interface ProbeRecord {
  failure_threshold: number;
  interval: string;
  timeout: string;
  http?: { path: string };
  tcp?: Record<string, never>;
}

export type ScalingOption =
  { concurrent_requests_threshold: number } | { cpu_usage_threshold: number } | { memory_usage_threshold: number };

export interface ContainerRecord extends Regional {
  name: string;
  namespace_id: string;
  description: string;
  created_at: string;
  updated_at: string;
  min_scale: number;
  max_scale: number;
  memory_limit_bytes: number;
  mvcpu_limit: number;
  timeout: string;
  privacy: "public" | "private";
  image: string;
  protocol: "http1" | "h2c";
  port: number;
  https_connections_only: boolean;
  sandbox: "v1" | "v2";
  local_storage_limit_bytes: number;
  scaling_option: ScalingOption;
  tags: string[];
  private_network_id?: string;
  command: string[];
  args: string[];
  environment_variables: Record<string, string>;
  secret_environment_variables: Record<string, string>;
  public_endpoint: string;
  liveness_probe: ProbeRecord;
  startup_probe: ProbeRecord | null;
  /** False for a v1beta1 container created but never deployed (status `created`). */
  _deployed: boolean;
}

export interface TriggerRecord extends Regional {
  name: string;
  description: string;
  tags: string[];
  container_id: string;
  namespace_id: string;
  destination_config: { http_path: string; http_method: string };
  source_type: "cron" | "sqs" | "nats";
  created_at: string;
  updated_at: string;
  cron_config?: { schedule: string; timezone: string; body: string; headers: Record<string, string> };
  sqs_config?: { region: string; endpoint: string; queue_url: string; access_key_id: string };
  nats_config?: { server_urls: string[]; subject: string };
}

export interface DomainRecord extends Regional {
  hostname: string;
  container_id: string;
  namespace_id: string;
  created_at: string;
  updated_at: string;
  tags: string[];
}

export interface TokenRecord extends Regional {
  container_id?: string;
  namespace_id?: string;
  description: string;
  expires_at: string | null;
  created_at: string;
  /** SHA-256 of the token: the token itself is answered once, at creation, and never kept. */
  _hash: string;
}

export interface Kinds {
  namespace: NamespaceRecord;
  container: ContainerRecord;
  trigger: TriggerRecord;
  domain: DomainRecord;
  token: TokenRecord;
}
export type Kind = keyof Kinds;

/** What the containers API keeps, and the rules every resource shares: reads, life cycle, cascades. */
export class ContainersModel {
  readonly transitions: Transitions;
  private readonly collections: { [K in Kind]: Collection<Kinds[K]> };

  constructor(readonly context: LocalContext) {
    this.transitions = new Transitions(context.lifecycle);
    this.collections = {
      namespace: context.store.collection<NamespaceRecord>("containers.namespaces"),
      container: context.store.collection<ContainerRecord>("containers.containers"),
      trigger: context.store.collection<TriggerRecord>("containers.triggers"),
      domain: context.store.collection<DomainRecord>("containers.domains"),
      token: context.store.collection<TokenRecord>("containers.tokens"),
    };
  }

  collection<K extends Kind>(kind: K): Collection<Kinds[K]> {
    return this.collections[kind];
  }

  /** A record as an API read sees it: a due status change applied, undefined once gone or in another region. */
  read<K extends Kind>(kind: K, id: string, region: string): Kinds[K] | undefined {
    const record = this.collections[kind].get(id);
    if (!record || record.region !== region) return undefined;
    if (this.transitions.read(record)) {
      if (record.status === GONE) {
        this.forget(kind, record.id);
        return undefined;
      }
      this.collections[kind].touch();
    }
    return record;
  }

  /**
   * A record for a check of the model's own (does the namespace exist?): unlike `read`, it
   * leaves the status the next API read shows alone.
   */
  lookup<K extends Kind>(kind: K, id: string, region: string): Kinds[K] | undefined {
    const record = this.collections[kind].get(id);
    if (!record || record.region !== region) return undefined;
    return this.transitions.peek(record) === GONE ? undefined : record;
  }

  /** Records of a region that `filter` keeps and that are not gone, without reading them. */
  existing<K extends Kind>(kind: K, region: string, filter: (record: Kinds[K]) => boolean): Kinds[K][] {
    return this.collections[kind].list(
      (record) => record.region === region && filter(record) && this.transitions.peek(record) !== GONE,
    );
  }

  /** Every record of a region that `filter` keeps, read, oldest first. */
  list<K extends Kind>(kind: K, region: string, filter: (record: Kinds[K]) => boolean = () => true): Kinds[K][] {
    return this.collections[kind]
      .list((record) => record.region === region && filter(record))
      .map((record) => this.read(kind, record.id, region))
      .filter((record): record is Kinds[K] => record !== undefined)
      .sort((a, b) => String(a.created_at ?? "").localeCompare(String(b.created_at ?? "")));
  }

  insert<K extends Kind>(kind: K, record: Kinds[K]): Kinds[K] {
    return this.collections[kind].insert(record);
  }

  /** Saves records changed in place. */
  save(kind: Kind): void {
    this.collections[kind].touch();
  }

  /** Starts a status change that the next read of the record shows. */
  begin<K extends Kind>(kind: K, record: Kinds[K], status: string, to: string): Kinds[K] {
    this.transitions.begin(record, status, to);
    this.collections[kind].touch();
    return record;
  }

  /** Deletes a record as the API does: `deleting` first, then gone, with what hangs on it. */
  delete<K extends Kind>(kind: K, record: Kinds[K]): Kinds[K] {
    record.updated_at = nowIso();
    this.begin(kind, record, "deleting", GONE);
    for (const [childKind, child] of this.children(kind, record.id)) {
      // Children go with their parent; only the parent's own deletion is shown to the next read.
      this.transitions.begin(child, "deleting", GONE, false);
      this.collections[childKind].touch();
    }
    return record;
  }

  /** Forgets a record and everything that depends on it. */
  private forget(kind: Kind, id: string): void {
    for (const [childKind, child] of this.children(kind, id)) this.collections[childKind].delete(child.id);
    this.collections[kind].delete(id);
  }

  private children(kind: Kind, id: string): Array<[Kind, Regional]> {
    const of = <K extends Kind>(childKind: K, match: (record: Kinds[K]) => boolean): Array<[Kind, Regional]> =>
      this.collections[childKind].list(match).map((record) => [childKind, record]);
    if (kind === "namespace") {
      const containers = this.collections.container.list((c) => c.namespace_id === id);
      return [
        ...containers.flatMap((container) => [
          ...this.children("container", container.id),
          ["container", container] as [Kind, Regional],
        ]),
        ...of("token", (t) => t.namespace_id === id),
      ];
    }
    if (kind === "container") {
      return [
        ...of("trigger", (t) => t.container_id === id),
        ...of("domain", (d) => d.container_id === id),
        ...of("token", (t) => t.container_id === id),
      ];
    }
    return [];
  }
}

/** Whether a record is on its way out: it no longer counts for names, hosts and quotas. */
export function isDeleting(record: { status: string }): boolean {
  return record.status === "deleting";
}

/**
 * Secret environment variables as the API keeps them: a salted hash per key, never the
 * value. Like the real API, an update gives the whole map, and an empty value keeps the
 * key's current hash.
 */
export function hashSecrets(
  given: Record<string, string>,
  current: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(given).map(([key, value]) => [key, value === "" && current[key] ? current[key] : hashSecret(value)]),
  );
}

function hashSecret(value: string): string {
  return argon2Hash(value);
}
