import { conflict, invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { sql } from "../../postgres";
import type { RdbModel } from "./model";
import type { Privileges } from "./privileges";
import type { InstanceRecord } from "./records";
import { checkPassword, checkUserName, optionalBoolean, optionalString, requiredString } from "./validation";
import { userView } from "./views";

/** Users of an instance: real login roles, with the password given; admins may create databases and roles. */
export class Users {
  constructor(
    private readonly model: RdbModel,
    private readonly privileges: Privileges,
  ) {}

  /** Records a user and creates its role (used at instance creation too, once the server is up). */
  async add(instance: InstanceRecord, name: string, password: string, isAdmin: boolean) {
    if (instance._server) await sql.createRole(await this.model.servers.cluster(instance.id), name, password, isAdmin);
    const user = this.model.users.insert({
      id: `${instance.id}/${name}`,
      instance_id: instance.id,
      name,
      is_admin: isAdmin,
    });
    // Grants name their creators: tables the new user makes must reach the others too.
    await this.privileges.syncAll(instance);
    return user;
  }

  async create(region: string, instanceId: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const name = checkUserName(requiredString(body, "name"));
    const password = checkPassword(requiredString(body, "password"));
    if (this.model.users.get(`${instance.id}/${name}`)) throw conflict("user", name, "user already exists");
    return userView(await this.add(instance, name, password, optionalBoolean(body, "is_admin") ?? false));
  }

  async update(region: string, instanceId: string, name: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, instanceId);
    const user = this.model.users.get(`${instance.id}/${name}`);
    if (!user) throw notFound("user", name);
    const password = optionalString(body, "password");
    if (password !== undefined) checkPassword(password);
    const isAdmin = optionalBoolean(body, "is_admin");
    if (instance._server)
      await sql.updateRole(await this.model.servers.cluster(instance.id), name, { password, isAdmin });
    if (isAdmin !== undefined && isAdmin !== user.is_admin) {
      user.is_admin = isAdmin;
      this.model.users.touch();
      await this.privileges.syncAll(instance);
    }
    return userView(user);
  }

  async delete(region: string, instanceId: string, name: string) {
    const instance = this.model.usableInstance(region, instanceId);
    const id = `${instance.id}/${name}`;
    if (!this.model.users.get(id)) throw notFound("user", name);
    if (instance._server) await sql.dropRole(await this.model.servers.cluster(instance.id), name);
    this.model.users.delete(id);
    for (const privilege of this.model.privileges.list((p) => p.instance_id === instance.id && p.user_name === name))
      this.model.privileges.delete(privilege.id);
  }

  list(region: string, instanceId: string, query: Readonly<Record<string, string>>) {
    const instance = this.model.instance(region, instanceId);
    const users = this.model
      .usersOf(instance.id)
      .filter((u) => !query.name || u.name === query.name)
      .map(userView);
    if (query.order_by && !/^(name|is_admin)_(asc|desc)$/.test(query.order_by))
      throw invalidArgument("order_by", "must be name_asc, name_desc, is_admin_asc or is_admin_desc");
    return paginate(orderBy(users, query.order_by, "name_asc"), query, "users");
  }
}

export function registerUsers(routes: ProductRoutes, users: Users) {
  const path = "/rdb/v1/regions/:region/instances/:id/users";
  routes.get(path, "ListUsers", ({ params, query }) => ({ body: users.list(params.region!, params.id!, query) }));
  routes.post(path, "CreateUser", async ({ params, body }) => ({
    body: await users.create(params.region!, params.id!, body),
  }));
  routes.patch(`${path}/:name`, "UpdateUser", async ({ params, body }) => ({
    body: await users.update(params.region!, params.id!, params.name!, body),
  }));
  routes.delete(`${path}/:name`, "DeleteUser", async ({ params }) => {
    await users.delete(params.region!, params.id!, params.name!);
    return { status: 204 };
  });
}
