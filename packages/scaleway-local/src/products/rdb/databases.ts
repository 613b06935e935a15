import { conflict, invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { SUPERUSER, sql } from "../../postgres";
import type { RdbModel } from "./model";
import type { Privileges } from "./privileges";
import type { InstanceRecord } from "./records";
import { checkDatabaseName, requiredString } from "./validation";
import { databaseView } from "./views";

/** Databases of an instance: real ones, owned by the superuser, sized by the server. */
export class Databases {
  constructor(
    private readonly model: RdbModel,
    private readonly privileges: Privileges,
  ) {}

  async create(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const name = checkDatabaseName(requiredString(body, "name"));
    const id = `${instance.id}/${name}`;
    if (this.model.databases.get(id)) throw conflict("database", name, "database already exists");
    if (instance._server) await sql.createDatabase(await this.model.servers.cluster(instance.id), name);
    const record = this.model.databases.insert({ id, instance_id: instance.id, name, managed: true });
    // Admin users may enter it at once, as on the service.
    await this.privileges.sync(instance, name);
    return databaseView(record, (await this.sizes(instance)).get(name) ?? 0, SUPERUSER);
  }

  async list(region: string, instanceId: string, query: Readonly<Record<string, string>>) {
    const instance = this.model.instance(region, instanceId);
    const sizes = query.skip_size_retrieval === "true" ? new Map<string, number>() : await this.sizes(instance);
    const rows = this.model
      .databasesOf(instance.id)
      .filter((d) => !query.name || d.name === query.name)
      .filter((d) => query.managed === undefined || String(d.managed) === query.managed)
      .filter(() => !query.owner || query.owner === SUPERUSER)
      .map((d) => databaseView(d, sizes.get(d.name) ?? 0, SUPERUSER));
    if (query.order_by && !/^(name|size)_(asc|desc)$/.test(query.order_by))
      throw invalidArgument("order_by", "must be name_asc, name_desc, size_asc or size_desc");
    const sorted = query.order_by?.startsWith("size")
      ? [...rows].sort((a, b) => (query.order_by === "size_desc" ? b.size - a.size : a.size - b.size))
      : orderBy(rows, query.order_by, "name_asc");
    return paginate(sorted, query, "databases");
  }

  async delete(region: string, instanceId: string, name: string) {
    const instance = this.model.usableInstance(region, instanceId);
    const id = `${instance.id}/${name}`;
    if (!this.model.databases.get(id)) throw notFound("database", name);
    if (instance._server) await sql.dropDatabase(await this.model.servers.cluster(instance.id), name);
    this.model.databases.delete(id);
    for (const privilege of this.model.privileges.list(
      (p) => p.instance_id === instance.id && p.database_name === name,
    ))
      this.model.privileges.delete(privilege.id);
  }

  /** Real sizes in bytes; none while the server is not up, rather than making the list wait. */
  private async sizes(instance: InstanceRecord): Promise<Map<string, number>> {
    if (!instance._server || this.model.servers.state(instance.id) !== "running") return new Map();
    return sql.databaseSizes(await this.model.servers.cluster(instance.id)).catch(() => new Map<string, number>());
  }
}

export function registerDatabases(routes: ProductRoutes, databases: Databases) {
  const path = "/rdb/v1/regions/:region/instances/:id/databases";
  routes.get(path, "ListDatabases", async ({ params, query }) => ({
    body: await databases.list(params.region!, params.id!, query),
  }));
  routes.post(path, "CreateDatabase", async ({ params, body }) => ({
    body: await databases.create(params.region!, params.id!, body),
  }));
  routes.delete(`${path}/:name`, "DeleteDatabase", async ({ params }) => {
    await databases.delete(params.region!, params.id!, params.name!);
    return { status: 204 };
  });
}
