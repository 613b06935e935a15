import { invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { sql, type Permission, type PostgresCluster } from "../../postgres";
import type { RdbModel } from "./model";
import type { InstanceRecord } from "./records";
import { checkPermission, requiredString } from "./validation";

/**
 * Privileges: a user's permission on a database (`readonly`, `readwrite`, `all`, `custom`,
 * `none`), made real with GRANTs on the server. Admin users have everything everywhere.
 */
export class Privileges {
  constructor(private readonly model: RdbModel) {}

  permissionOf(instanceId: string, database: string, user: string): Permission {
    return this.model.privileges.get(`${instanceId}/${database}/${user}`)?.permission ?? "none";
  }

  /**
   * Makes the real grants of one database match the API's permissions. `cluster` is given
   * while the server is being made (waiting for it there would wait for ourselves).
   */
  async sync(instance: InstanceRecord, database: string, cluster?: PostgresCluster): Promise<void> {
    if (!instance._server) return;
    cluster ??= await this.model.servers.cluster(instance.id);
    const users = this.model.usersOf(instance.id);
    const grants = users.map((user) => ({
      role: user.name,
      permission: user.is_admin ? ("all" as const) : this.permissionOf(instance.id, database, user.name),
    }));
    await sql.syncPrivileges(
      cluster,
      database,
      grants,
      users.map((user) => user.name),
    );
  }

  /** Every database again: after a user came, went admin or stopped being one. */
  async syncAll(instance: InstanceRecord, cluster?: PostgresCluster): Promise<void> {
    for (const database of this.model.databasesOf(instance.id)) await this.sync(instance, database.name, cluster);
  }

  async set(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const databaseName = requiredString(body, "database_name");
    const userName = requiredString(body, "user_name");
    const permission = checkPermission(body.permission);
    if (!this.model.databases.get(`${instance.id}/${databaseName}`)) throw notFound("database", databaseName);
    if (!this.model.users.get(`${instance.id}/${userName}`)) throw notFound("user", userName);
    const id = `${instance.id}/${databaseName}/${userName}`;
    const record = { id, instance_id: instance.id, database_name: databaseName, user_name: userName, permission };
    if (this.model.privileges.get(id)) this.model.privileges.update(id, record);
    else this.model.privileges.insert(record);
    await this.sync(instance, databaseName);
    return { database_name: databaseName, permission, user_name: userName };
  }

  list(region: string, instanceId: string, query: Readonly<Record<string, string>>) {
    const instance = this.model.instance(region, instanceId);
    const rows = this.model
      .databasesOf(instance.id)
      .filter((d) => !query.database_name || d.name === query.database_name)
      .flatMap((database) =>
        this.model
          .usersOf(instance.id)
          .filter((u) => !query.user_name || u.name === query.user_name)
          .map((user) => ({
            database_name: database.name,
            permission: this.permissionOf(instance.id, database.name, user.name),
            user_name: user.name,
          })),
      );
    if (query.order_by && !/^(user_name|database_name)_(asc|desc)$/.test(query.order_by))
      throw invalidArgument(
        "order_by",
        "must be user_name_asc, user_name_desc, database_name_asc or database_name_desc",
      );
    return paginate(orderBy(rows, query.order_by, "user_name_asc"), query, "privileges");
  }
}

export function registerPrivileges(routes: ProductRoutes, privileges: Privileges) {
  const path = "/rdb/v1/regions/:region/instances/:id/privileges";
  routes.get(path, "ListPrivileges", ({ params, query }) => ({
    body: privileges.list(params.region!, params.id!, query),
  }));
  routes.put(path, "SetPrivilege", async ({ params, body }) => ({
    body: await privileges.set(params.region!, params.id!, body),
  }));
}
