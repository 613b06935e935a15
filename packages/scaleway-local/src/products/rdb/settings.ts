import { invalidArgument } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { sql } from "../../postgres";
import { settingsOf } from "./catalogue";
import type { EngineSetting } from "./engineSettings";
import type { RdbModel } from "./model";
import type { InstanceRecord, Setting } from "./records";
import { objectList, stringList } from "./validation";

/**
 * Advanced settings of an instance, checked against the engine's catalogue and applied to
 * the real server (ALTER SYSTEM, then a reload, or a restart when the setting needs one).
 */
export class Settings {
  constructor(private readonly model: RdbModel) {}

  list(region: string, id: string) {
    return { settings: this.model.instance(region, id).settings.map((s) => ({ ...s })) };
  }

  /** POST (and PATCH): adds or changes the settings given, keeps the others. */
  async add(region: string, id: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, id);
    const given = this.checked(instance, objectList(body, "settings"));
    const kept = instance.settings.filter((s) => !given.some((g) => g.name === s.name));
    await this.apply(instance, [...kept, ...given], []);
    return { settings: instance.settings.map((s) => ({ ...s })) };
  }

  /** PUT: the instance's settings become the ones given; the others go back to their defaults. */
  async set(region: string, id: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, id);
    const given = this.checked(instance, objectList(body, "settings"));
    const removed = instance.settings.filter((s) => !given.some((g) => g.name === s.name)).map((s) => s.name);
    await this.apply(instance, given, removed);
    return { settings: given.map((s) => ({ ...s })) };
  }

  async delete(region: string, id: string, body: Record<string, unknown>) {
    const instance = this.model.usableInstance(region, id);
    const names = stringList(body, "setting_names") ?? [];
    await this.apply(
      instance,
      instance.settings.filter((s) => !names.includes(s.name)),
      names,
    );
    return { settings: instance.settings.map((s) => ({ ...s })) };
  }

  private async apply(instance: InstanceRecord, settings: Setting[], reset: string[]) {
    instance.settings = settings;
    this.model.transition(this.model.instances, instance, "configuring", "ready");
    if (!instance._server) return;
    const cluster = await this.model.servers.cluster(instance.id);
    if (await sql.applySettings(cluster, withUnits(instance.engine, settings), reset)) {
      // Like the service, a setting that needs a restart restarts the server.
      this.model.servers.launch(instance.id, async () => (await cluster.restart(), cluster));
    }
  }

  private checked(instance: InstanceRecord, items: Array<Record<string, unknown>>): Setting[] {
    const catalogue = settingsOf(instance.engine);
    return items.map((item) => {
      const name = String(item.name ?? "");
      const value = String(item.value ?? "");
      const definition = catalogue.find((s) => s.name === name);
      if (!definition)
        throw invalidArgument("settings", `${name} is not a setting of ${instance.engine}: see its available_settings`);
      const problem = valueProblem(definition, value);
      if (problem) throw invalidArgument("settings", `${name}: ${problem}`);
      return { name, value };
    });
  }
}

function valueProblem(setting: EngineSetting, value: string): string | undefined {
  switch (setting.property_type) {
    case "INT": {
      const number = Number(value);
      if (!/^-?\d+$/.test(value)) return "must be an integer";
      if (setting.int_min !== null && number < setting.int_min) return `must be at least ${setting.int_min}`;
      if (setting.int_max !== null && number > setting.int_max) return `must be at most ${setting.int_max}`;
      return undefined;
    }
    case "FLOAT": {
      const number = Number(value);
      if (value.trim() === "" || Number.isNaN(number)) return "must be a number";
      if (setting.float_min !== null && number < setting.float_min) return `must be at least ${setting.float_min}`;
      if (setting.float_max !== null && number > setting.float_max) return `must be at most ${setting.float_max}`;
      return undefined;
    }
    case "BOOLEAN":
      return /^(on|off|true|false|0|1)$/i.test(value) ? undefined : "must be on or off";
    default:
      return setting.string_constraint && !new RegExp(setting.string_constraint).test(value)
        ? `must match ${setting.string_constraint}`
        : undefined;
  }
}

/** Values as PostgreSQL reads them: the catalogue's unit appended (`4` MB is `4MB`). */
export function withUnits(engine: string, settings: readonly Setting[]): Setting[] {
  const catalogue = settingsOf(engine);
  return settings.map(({ name, value }) => {
    const unit = catalogue.find((s) => s.name === name)?.unit;
    return { name, value: unit && /^\d+$/.test(value) ? `${value}${unit}` : value };
  });
}

export function registerSettings(routes: ProductRoutes, settings: Settings) {
  const path = "/rdb/v1/regions/:region/instances/:id/settings";
  // GET and PATCH are conveniences of the local Scaleway; the service has POST, PUT and DELETE.
  routes.get(path, "ListInstanceSettings", ({ params }) => ({ body: settings.list(params.region!, params.id!) }));
  routes.post(path, "AddInstanceSettings", async ({ params, body }) => ({
    body: await settings.add(params.region!, params.id!, body),
  }));
  routes.patch(path, "UpdateInstanceSettings", async ({ params, body }) => ({
    body: await settings.add(params.region!, params.id!, body),
  }));
  routes.put(path, "SetInstanceSettings", async ({ params, body }) => ({
    body: await settings.set(params.region!, params.id!, body),
  }));
  routes.delete(path, "DeleteInstanceSettings", async ({ params, body }) => ({
    body: await settings.delete(params.region!, params.id!, body),
  }));
}
