import { invalidArgument, preconditionFailed } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import {
  freePort,
  issueServerCertificate,
  newPassword,
  sql,
  type PostgresCluster,
  type ServerCertificate,
} from "../../postgres";
import { nowIso } from "../../state/lifecycle";
import { DEFAULT_ACL } from "./acls";
import {
  engineName,
  findEngine,
  findNodeType,
  findUpgradeTarget,
  initSettingsOf,
  isPostgres,
  upgradableVersions,
  volumeFor,
} from "./catalogue";
import type { Endpoints } from "./endpoints";
import { GONE, type RdbModel } from "./model";
import type { Privileges } from "./privileges";
import type { Contents, InstanceRecord, InstanceTemplate, Setting } from "./records";
import { withUnits } from "./settings";
import {
  checkPassword,
  checkUserName,
  objectList,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  stringList,
} from "./validation";
import { ENDPOINT_IP, instanceView } from "./views";

/** The settings a new PostgreSQL instance shows (and its server gets), as on a DB-DEV-S. */
const DEFAULT_SETTINGS: readonly Setting[] = [
  { name: "effective_cache_size", value: "1300" },
  { name: "maintenance_work_mem", value: "150" },
  { name: "max_connections", value: "100" },
  { name: "max_parallel_workers", value: "0" },
  { name: "max_parallel_workers_per_gather", value: "0" },
  { name: "work_mem", value: "4" },
];

const HOUR = 3600_000;

/** What a new instance record is made of; id, status, certificate and server secrets come with it. */
type InstanceInput = Omit<InstanceTemplate, "id"> &
  Pick<InstanceRecord, "created_at" | "endpoints" | "_acls"> & { _server?: InstanceRecord["_server"] };

/** What a copy of the instance takes from it (a snapshot keeps it to make instances later). */
export function templateOf(instance: InstanceRecord): InstanceTemplate {
  return structuredClone({
    id: instance.id,
    region: instance.region,
    engine: instance.engine,
    project_id: instance.project_id,
    organization_id: instance.organization_id,
    name: instance.name,
    node_type: instance.node_type,
    tags: instance.tags,
    settings: instance.settings,
    init_settings: instance.init_settings,
    is_ha_cluster: instance.is_ha_cluster,
    backup_schedule: instance.backup_schedule,
    backup_same_region: instance.backup_same_region,
    logs_policy: instance.logs_policy,
    encryption: instance.encryption,
    volume: instance.volume,
  });
}

export function contentsOf(model: RdbModel, instanceId: string): Contents {
  return {
    users: model.usersOf(instanceId).map((u) => ({ ...u })),
    databases: model.databasesOf(instanceId).map((d) => ({ ...d })),
    privileges: model.privileges.list((p) => p.instance_id === instanceId).map((p) => ({ ...p })),
  };
}

/** How a derived instance gets its server: from the new server's secrets and certificate. */
type MakeServer = (server: {
  id: string;
  password: string;
  port: number;
  certificate: ServerCertificate;
}) => Promise<PostgresCluster>;

/**
 * Database Instances: records with the service's fields and life cycle, each PostgreSQL
 * one backed by a real server made in the background (`provisioning` until it is up).
 */
export class Instances {
  constructor(
    private readonly model: RdbModel,
    private readonly endpoints: Endpoints,
    private readonly privileges: Privileges,
  ) {}

  async create(region: string, body: Record<string, unknown>) {
    const name = requiredString(body, "name");
    const engine = findEngine(requiredString(body, "engine"));
    if (!engine || engine.disabled)
      throw invalidArgument("engine", "unknown or disabled engine: see GET /rdb/v1/regions/{region}/database-engines");
    const nodeType = findNodeType(requiredString(body, "node_type"));
    if (!nodeType) throw invalidArgument("node_type", "unknown node type: see GET /rdb/v1/regions/{region}/node-types");
    const userName = optionalString(body, "user_name") ?? "";
    const password = optionalString(body, "password") ?? "";
    if (userName) {
      checkUserName(userName, "user_name");
      checkPassword(password);
    }
    const volume = volumeFor(
      nodeType,
      optionalString(body, "volume_type") ?? "lssd",
      optionalNumber(body, "volume_size") ?? 0,
    );
    const allowedInit = initSettingsOf(engineName(engine)).map((s) => s.name);
    const initSettings = objectList(body, "init_settings").map((setting) => {
      const item = { name: String(setting.name), value: String(setting.value) };
      if (!allowedInit.includes(item.name))
        throw invalidArgument("init_settings", `${item.name} cannot be set at creation`);
      return item;
    });
    const specs = objectList(body, "init_endpoints");
    const endpoints = this.endpoints.fromSpecs(specs.length ? specs : [{ load_balancer: {} }], region, false);
    const disableBackup = optionalBoolean(body, "disable_backup") ?? false;
    const now = nowIso();
    const instance = await this.insert({
      region,
      name,
      organization_id: this.model.context.organizationId,
      project_id:
        optionalString(body, "project_id") ??
        optionalString(body, "organization_id") ??
        this.model.context.defaultProjectId,
      engine: engineName(engine),
      node_type: nodeType.name,
      created_at: now,
      tags: stringList(body, "tags") ?? [],
      settings: engine.engine === "PostgreSQL" ? DEFAULT_SETTINGS.map((s) => ({ ...s })) : [],
      init_settings: initSettings,
      is_ha_cluster: optionalBoolean(body, "is_ha_cluster") ?? false,
      backup_schedule: {
        disabled: disableBackup,
        frequency: 24,
        retention: 7,
        next_run_at: disableBackup ? null : new Date(Date.now() + 24 * HOUR).toISOString(),
      },
      backup_same_region: optionalBoolean(body, "backup_same_region") ?? false,
      logs_policy: { max_age_retention: 30, total_disk_retention: null },
      encryption: { enabled: Boolean((body.encryption as { enabled?: unknown } | undefined)?.enabled) },
      volume,
      endpoints,
      _acls: DEFAULT_ACL.map((rule) => ({ ...rule })),
    });
    if (userName)
      this.model.users.insert({
        id: `${instance.id}/${userName}`,
        instance_id: instance.id,
        name: userName,
        is_admin: true,
      });
    if (instance._server) {
      this.model.databases.insert({ id: `${instance.id}/rdb`, instance_id: instance.id, name: "rdb", managed: true });
      this.launch(
        instance,
        (server) => this.model.servers.manager.create(server.id, server),
        async (cluster) => {
          if (!userName) return;
          await sql.createRole(cluster, userName, password, true);
          await this.privileges.syncAll(instance, cluster);
        },
      );
    }
    return instanceView(this.model, instance);
  }

  get(region: string, id: string) {
    return instanceView(this.model, this.model.instance(region, id));
  }

  list(region: string, query: Readonly<Record<string, string>>) {
    const tags = query.tags ? query.tags.split(",") : [];
    const instances = this.model
      .listInstances(region)
      .filter((i) => !query.name || i.name.includes(query.name))
      .filter((i) => !query.project_id || i.project_id === query.project_id)
      .filter((i) => !query.organization_id || i.organization_id === query.organization_id)
      .filter((i) => tags.every((tag) => i.tags.includes(tag)))
      // No instance has maintenances here.
      .filter(() => query.has_maintenances !== "true")
      .map((i) => instanceView(this.model, i));
    return paginate(orderBy(instances, query.order_by, "created_at_asc"), query, "instances");
  }

  update(region: string, id: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, id);
    const name = optionalString(body, "name");
    if (name !== undefined) instance.name = name;
    const tags = stringList(body, "tags");
    if (tags !== undefined) instance.tags = tags;
    const schedule = instance.backup_schedule;
    schedule.frequency = optionalNumber(body, "backup_schedule_frequency") ?? schedule.frequency;
    schedule.retention = optionalNumber(body, "backup_schedule_retention") ?? schedule.retention;
    schedule.disabled = optionalBoolean(body, "is_backup_schedule_disabled") ?? schedule.disabled;
    schedule.next_run_at = schedule.disabled ? null : new Date(Date.now() + schedule.frequency * HOUR).toISOString();
    instance.backup_same_region = optionalBoolean(body, "backup_same_region") ?? instance.backup_same_region;
    const policy = body.logs_policy as Record<string, unknown> | undefined;
    if (policy && typeof policy === "object") {
      instance.logs_policy = {
        max_age_retention: optionalNumber(policy, "max_age_retention") ?? instance.logs_policy.max_age_retention,
        total_disk_retention:
          policy.total_disk_retention === undefined
            ? instance.logs_policy.total_disk_retention
            : (optionalNumber(policy, "total_disk_retention") ?? null),
      };
    }
    this.model.instances.touch();
    return instanceView(this.model, instance);
  }

  /** Deletion answers at once; the server stops and its files go in the background. */
  delete(region: string, id: string) {
    const instance = this.model.usableInstance(region, id);
    this.model.beginDeletion(this.model.instances, instance);
    for (const replica of this.model.replicasOf(instance.id)) {
      this.model.beginDeletion(this.model.replicas, replica);
      this.model.servers.remove(replica.id);
    }
    this.model.forgetContents(instance.id);
    this.model.servers.remove(instance.id);
    return instanceView(this.model, instance);
  }

  /** One change at a time, as the service requires; a new major version makes a new instance. */
  async upgrade(region: string, id: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, id);
    const workflow = body.major_upgrade_workflow as
      { upgradable_version_id?: unknown; with_endpoints?: unknown } | undefined;
    const versionId =
      optionalString(body, "upgradable_version_id") ??
      (workflow ? String(workflow.upgradable_version_id ?? "") : undefined);
    if (versionId !== undefined) return this.majorUpgrade(instance, versionId, workflow?.with_endpoints === true);
    const nodeTypeName = optionalString(body, "node_type");
    const volumeSize = optionalNumber(body, "volume_size");
    const volumeType = optionalString(body, "volume_type");
    if (nodeTypeName !== undefined) {
      const nodeType = findNodeType(nodeTypeName);
      if (!nodeType)
        throw invalidArgument("node_type", "unknown node type: see GET /rdb/v1/regions/{region}/node-types");
      instance.node_type = nodeType.name;
    } else if (optionalBoolean(body, "enable_ha") !== undefined) {
      instance.is_ha_cluster = body.enable_ha === true;
    } else if (body.high_availability_mode !== undefined) {
      instance.is_ha_cluster = body.high_availability_mode !== "disabled";
    } else if (volumeSize !== undefined) {
      if (instance.volume.type === "lssd")
        throw invalidArgument("volume_size", "a local volume cannot grow: move to sbs_5k or sbs_15k");
      if (volumeSize < instance.volume.size) throw invalidArgument("volume_size", "a volume can only grow");
      instance.volume = volumeFor(findNodeType(instance.node_type)!, instance.volume.type, volumeSize);
    } else if (volumeType !== undefined) {
      instance.volume = volumeFor(
        findNodeType(instance.node_type)!,
        volumeType,
        volumeType === "lssd" ? 0 : instance.volume.size,
      );
    } else if (optionalBoolean(body, "enable_encryption") !== undefined) {
      instance.encryption = { enabled: body.enable_encryption === true };
    } else {
      throw invalidArgument(
        "node_type",
        "one of node_type, enable_ha, volume_size, volume_type, upgradable_version_id, major_upgrade_workflow, enable_encryption is required",
        "required",
      );
    }
    this.model.transition(this.model.instances, instance, "initializing", "ready");
    return instanceView(this.model, instance);
  }

  async clone(region: string, id: string, body: Record<string, unknown>) {
    const source = this.model.usableInstance(region, id);
    const nodeTypeName = optionalString(body, "node_type");
    const nodeType = nodeTypeName === undefined ? findNodeType(source.node_type) : findNodeType(nodeTypeName);
    if (!nodeType) throw invalidArgument("node_type", "unknown node type");
    const clone = await this.derive(
      source,
      {
        name: requiredString(body, "name"),
        node_type: nodeType.name,
        endpoints: [this.endpoints.fromSpec({ load_balancer: {} }, region, false)],
      },
      (server) =>
        this.model.servers.copyFrom(source.id, () => this.model.servers.manager.clone(source.id, server.id, server)),
    );
    return instanceView(this.model, clone);
  }

  /** Restarts the real server; the instance is `restarting` meanwhile. */
  restart(region: string, id: string) {
    const instance = this.model.usableInstance(region, id);
    this.model.transition(this.model.instances, instance, "restarting", "ready");
    if (instance._server && this.model.servers.state(id) === "running") {
      this.model.servers.launch(id, async () => {
        const cluster = await this.model.servers.cluster(id);
        await cluster.restart();
        return cluster;
      });
    }
    return instanceView(this.model, instance);
  }

  certificate(region: string, id: string) {
    const instance = this.model.instance(region, id);
    return {
      content: Buffer.from(instance._certificate).toString("base64"),
      content_type: "application/x-pem-file",
      name: "ssl_certificate",
    };
  }

  async renewCertificate(region: string, id: string) {
    const instance = this.model.usableInstance(region, id);
    const certificate = await certificateFor(instance.id, region);
    if (instance._server) {
      await this.model.servers.cluster(instance.id);
      await this.model.servers.manager.renewCertificate(instance.id, certificate);
    }
    instance._certificate = certificate.certPem;
    this.model.instances.touch();
  }

  metrics(region: string, id: string) {
    this.model.instance(region, id);
    return { timeseries: [] };
  }

  applyMaintenance(region: string, id: string) {
    this.model.usableInstance(region, id);
    throw preconditionFailed("maintenance", "this Database Instance has no maintenance to apply");
  }

  /** Starts again, in the background, the servers of instances kept in a data folder. */
  resume() {
    for (const instance of this.model.instances.list((i) => i._server !== undefined && i.status !== GONE)) {
      const ref = instance._server!;
      this.model.servers.launch(instance.id, async () => {
        const cluster = await this.model.servers.manager.open(instance.id, ref);
        await cluster.start();
        return cluster;
      });
    }
  }

  /** A new instance like `source` (clone, major upgrade, snapshot restore), holding `contents`. */
  async derive(
    source: InstanceTemplate,
    overrides: Partial<InstanceRecord>,
    make: MakeServer,
    contents: Contents = contentsOf(this.model, source.id),
  ): Promise<InstanceRecord> {
    const instance = await this.insert({
      region: source.region,
      name: source.name,
      organization_id: source.organization_id,
      project_id: source.project_id,
      engine: source.engine,
      node_type: source.node_type,
      created_at: nowIso(),
      tags: [...source.tags],
      settings: source.settings.map((s) => ({ ...s })),
      init_settings: source.init_settings.map((s) => ({ ...s })),
      is_ha_cluster: source.is_ha_cluster,
      backup_schedule: { ...source.backup_schedule },
      backup_same_region: source.backup_same_region,
      logs_policy: { ...source.logs_policy },
      encryption: { ...source.encryption },
      volume: { ...source.volume },
      endpoints: [],
      _acls: DEFAULT_ACL.map((rule) => ({ ...rule })),
      ...overrides,
    });
    this.restoreContents(contents, instance.id);
    if (instance._server) this.launch(instance, make);
    return instance;
  }

  private async majorUpgrade(instance: InstanceRecord, versionId: string, withEndpoints: boolean) {
    const target = findUpgradeTarget(versionId);
    if (!target || !upgradableVersions(instance.engine).some((v) => v.id === versionId))
      throw invalidArgument("upgradable_version_id", "not an upgrade of this instance: see its upgradable_version");
    const endpoints = withEndpoints
      ? instance.endpoints
      : [this.endpoints.fromSpec({ load_balancer: {} }, instance.region, false)];
    if (withEndpoints) instance.endpoints = [];
    this.model.instances.touch();
    const acls = instance._acls.map((rule) => ({ ...rule }));
    const upgraded = await this.derive(instance, { engine: engineName(target), endpoints, _acls: acls }, (server) =>
      this.model.servers.copyFrom(instance.id, () => this.model.servers.manager.clone(instance.id, server.id, server)),
    );
    return instanceView(this.model, upgraded);
  }

  /** The users, databases and privileges a copied server holds, recorded for the new instance. */
  private restoreContents(contents: Contents, toId: string) {
    for (const user of contents.users)
      this.model.users.insert({ ...user, id: `${toId}/${user.name}`, instance_id: toId });
    for (const db of contents.databases)
      this.model.databases.insert({ ...db, id: `${toId}/${db.name}`, instance_id: toId });
    for (const p of contents.privileges)
      this.model.privileges.insert({ ...p, id: `${toId}/${p.database_name}/${p.user_name}`, instance_id: toId });
  }

  /** Saves a new instance in `provisioning`, with its certificate and (PostgreSQL) its server's secrets. */
  private async insert(fields: InstanceInput): Promise<InstanceRecord> {
    const id = this.model.newId();
    const certificate = await certificateFor(id, fields.region);
    const instance: InstanceRecord = {
      ...fields,
      id,
      status: "provisioning",
      _certificate: certificate.certPem,
      ...(isPostgres(fields.engine) && !fields._server
        ? { _server: { port: await freePort(), password: newPassword() } }
        : {}),
    };
    if (instance._server) this.pendingCertificates.set(id, certificate);
    this.model.instances.insert(instance);
    this.model.transition(this.model.instances, instance, "provisioning", "ready");
    return instance;
  }

  /** Private keys wait here for the server they go to; they are never saved in the state. */
  private readonly pendingCertificates = new Map<string, ServerCertificate>();

  /** Makes the server in the background, applies the instance's settings, then `after`. */
  private launch(instance: InstanceRecord, make: MakeServer, after?: (cluster: PostgresCluster) => Promise<void>) {
    const { id } = instance;
    const certificate = this.pendingCertificates.get(id)!;
    this.pendingCertificates.delete(id);
    const { password, port } = instance._server!;
    this.model.servers.launch(
      id,
      async () => {
        const cluster = await make({ id, password, port, certificate });
        if (await sql.applySettings(cluster, withUnits(instance.engine, instance.settings))) await cluster.restart();
        await after?.(cluster);
        return cluster;
      },
      (cluster) => {
        const current = this.model.instances.get(id);
        if (!current?._server) return;
        current._server.port = cluster.port;
        current._provisioned = true;
        this.model.instances.touch();
      },
    );
  }
}

/** The server certificate of an instance or Read Replica, with the names clients use. */
export function certificateFor(id: string, region: string): Promise<ServerCertificate> {
  return issueServerCertificate([`rw-${id}.rdb.${region}.scw.cloud`, "localhost"], [ENDPOINT_IP]);
}

export function registerInstances(routes: ProductRoutes, instances: Instances) {
  const base = "/rdb/v1/regions/:region/instances";
  routes.post(base, "CreateInstance", async ({ params, body }) => ({
    body: await instances.create(params.region!, body),
  }));
  routes.get(base, "ListInstances", ({ params, query }) => ({ body: instances.list(params.region!, query) }));
  routes.get(`${base}/:id`, "GetInstance", ({ params }) => ({ body: instances.get(params.region!, params.id!) }));
  routes.patch(`${base}/:id`, "UpdateInstance", ({ params, body }) => ({
    body: instances.update(params.region!, params.id!, body),
  }));
  routes.delete(`${base}/:id`, "DeleteInstance", ({ params }) => ({
    body: instances.delete(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/upgrade`, "UpgradeInstance", async ({ params, body }) => ({
    body: await instances.upgrade(params.region!, params.id!, body),
  }));
  routes.post(`${base}/:id/clone`, "CloneInstance", async ({ params, body }) => ({
    body: await instances.clone(params.region!, params.id!, body),
  }));
  routes.post(`${base}/:id/restart`, "RestartInstance", ({ params }) => ({
    body: instances.restart(params.region!, params.id!),
  }));
  routes.get(`${base}/:id/certificate`, "GetInstanceCertificate", ({ params }) => ({
    body: instances.certificate(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/renew-certificate`, "RenewInstanceCertificate", async ({ params }) => {
    await instances.renewCertificate(params.region!, params.id!);
    return { status: 204 };
  });
  routes.get(`${base}/:id/metrics`, "GetInstanceMetrics", ({ params }) => ({
    body: instances.metrics(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/apply-maintenance`, "ApplyInstanceMaintenance", ({ params }) => ({
    body: instances.applyMaintenance(params.region!, params.id!),
  }));
}
