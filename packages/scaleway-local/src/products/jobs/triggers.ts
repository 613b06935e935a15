import { randomUUID } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  checkCron,
  checkRegion,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredString,
} from "../containers/values";
import { BASES } from "./definitions";
import { jobsNotFound, type JobTriggerRecord, type JobsModel } from "./model";

/** v1alpha2 triggers: cron schedules that start a definition, each with its own command and arguments. */
export function registerJobTriggerRoutes(routes: ProductRoutes, model: JobsModel): void {
  const base = BASES.v1alpha2;
  const find = (params: Readonly<Record<string, string>>) => {
    const trigger = model.triggers.get(params.triggerId!);
    if (!trigger || trigger.region !== checkRegion(params.region)) throw jobsNotFound("trigger");
    return trigger;
  };
  const view = (t: JobTriggerRecord) => ({
    id: t.id,
    job_definition_id: t.job_definition_id,
    name: t.name,
    created_at: t.created_at,
    updated_at: t.updated_at,
    cron_config: t.cron_config,
  });

  routes.post(`${base}/triggers`, "CreateTrigger", ({ params, body }) => {
    const definition = model.definition(requiredString(body, "job_definition_id"), checkRegion(params.region));
    const cron = optionalObject(body, "cron_config");
    if (!cron) throw invalidArgument("cron_config", "cron_config is required", "required");
    const cronConfig = {
      schedule: requiredString(cron, "schedule"),
      timezone: optionalString(cron, "timezone") || "UTC",
      startup_command: optionalStringList(cron, "startup_command") ?? [],
      args: optionalStringList(cron, "args") ?? [],
    };
    checkCron(cronConfig.schedule, cronConfig.timezone, "cron_config");
    const now = nowIso();
    const trigger = model.triggers.insert({
      id: randomUUID(),
      job_definition_id: definition.id,
      name: requiredString(body, "name"),
      created_at: now,
      updated_at: now,
      cron_config: cronConfig,
      region: definition.region,
    });
    return { body: view(trigger) };
  });
  routes.get(`${base}/triggers`, "ListTriggers", ({ params, query }) => {
    const region = checkRegion(params.region);
    const found = model.triggers.list(
      (t) => t.region === region && (!query.job_definition_id || t.job_definition_id === query.job_definition_id),
    );
    return { body: paginate(orderBy(found, query.order_by, "created_at_asc").map(view), query, "triggers") };
  });
  routes.get(`${base}/triggers/:triggerId`, "GetTrigger", ({ params }) => ({ body: view(find(params)) }));
  routes.patch(`${base}/triggers/:triggerId`, "UpdateTrigger", ({ params, body }) => {
    const trigger = find(params);
    const name = optionalString(body, "name");
    const cron = optionalObject(body, "cron_config");
    const cronConfig = cron && {
      schedule: optionalString(cron, "schedule") || trigger.cron_config.schedule,
      timezone: optionalString(cron, "timezone") || trigger.cron_config.timezone,
      startup_command: optionalStringList(cron, "startup_command") ?? trigger.cron_config.startup_command,
      args: optionalStringList(cron, "args") ?? trigger.cron_config.args,
    };
    if (cronConfig) checkCron(cronConfig.schedule, cronConfig.timezone, "cron_config");
    if (name) trigger.name = name;
    if (cronConfig) trigger.cron_config = cronConfig;
    trigger.updated_at = nowIso();
    model.triggers.touch();
    return { body: view(trigger) };
  });
  routes.delete(`${base}/triggers/:triggerId`, "DeleteTrigger", ({ params }) => {
    model.triggers.delete(find(params).id);
    return { status: 204 };
  });
}
