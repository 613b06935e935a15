import { randomBytes } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { isDeleting, type ContainersModel, type TriggerRecord } from "./model";
import { createTrigger, updateTrigger } from "./triggers";
import { checkRegion, optionalObject, optionalString, requiredString, type Body } from "./values";
import { legacyNotFound, legacyStatus, V1BETA1 } from "./v1beta1";

/**
 * v1beta1 crons. Scaleway folded them into v1 triggers (source `cron`), so they are kept
 * as such: a cron's JSON `args` is the body the trigger posts to the container's `/`.
 */

function args(body: Body): string | undefined {
  const value = optionalObject(body, "args");
  return value === undefined ? undefined : JSON.stringify(value);
}

function view(t: TriggerRecord) {
  let parsed: unknown = {};
  try {
    parsed = JSON.parse(t.cron_config?.body || "{}");
  } catch {
    // A trigger made through v1 may post any text; v1beta1 can only show JSON.
  }
  return {
    id: t.id,
    container_id: t.container_id,
    schedule: t.cron_config?.schedule ?? "",
    args: parsed,
    status: legacyStatus(t.status),
    name: t.name,
  };
}

export function registerCronRoutes(routes: ProductRoutes, model: ContainersModel): void {
  const find = (params: Readonly<Record<string, string>>) => {
    const trigger = model.read("trigger", params.cronId!, checkRegion(params.region));
    if (!trigger || trigger.source_type !== "cron") throw legacyNotFound("cron");
    return trigger;
  };

  routes.post(`${V1BETA1}/crons`, "CreateCron", ({ params, body }) => {
    const trigger = createTrigger(model, checkRegion(params.region), {
      containerId: requiredString(body, "container_id"),
      name: optionalString(body, "name") || `cron-${randomBytes(4).toString("hex")}`,
      source: "cron",
      config: {
        cron_config: {
          schedule: requiredString(body, "schedule"),
          timezone: "UTC",
          body: args(body) ?? "{}",
          headers: {},
        },
      },
    });
    return { body: view(trigger) };
  });
  routes.get(`${V1BETA1}/crons`, "ListCrons", ({ params, query }) => {
    const found = model.list(
      "trigger",
      checkRegion(params.region),
      (t) => t.source_type === "cron" && (!query.container_id || t.container_id === query.container_id),
    );
    return { body: paginate(orderBy(found, query.order_by, "created_at_asc").map(view), query, "crons") };
  });
  routes.get(`${V1BETA1}/crons/:cronId`, "GetCron", ({ params }) => ({ body: view(find(params)) }));
  routes.patch(`${V1BETA1}/crons/:cronId`, "UpdateCron", ({ params, body }) => {
    const trigger = find(params);
    const containerId = optionalString(body, "container_id");
    if (containerId && containerId !== trigger.container_id) {
      throw invalidArgument("container_id", "a cron cannot move to another container");
    }
    const patch = {
      name: optionalString(body, "name"),
      cron: { schedule: optionalString(body, "schedule"), body: args(body) },
    };
    return { body: view(updateTrigger(model, trigger, patch)) };
  });
  routes.delete(`${V1BETA1}/crons/:cronId`, "DeleteCron", ({ params }) => {
    const trigger = find(params);
    if (!isDeleting(trigger)) model.delete("trigger", trigger);
    return { body: view(trigger) };
  });
}
