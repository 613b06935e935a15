import { randomUUID } from "node:crypto";
import { invalidArgument, notFound, transientState } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { isDeleting, type ContainersModel, type TriggerRecord } from "./model";
import { V1 } from "./namespaces";
import {
  checkCron,
  checkRegion,
  optionalEnum,
  optionalObject,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  type Body,
} from "./values";

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
type Source = TriggerRecord["source_type"];
type SourceConfig = Pick<TriggerRecord, "cron_config" | "sqs_config" | "nats_config">;

export interface TriggerInput {
  readonly containerId: string;
  readonly name: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly destination?: Partial<TriggerRecord["destination_config"]>;
  readonly source: Source;
  readonly config: SourceConfig;
}

export interface TriggerPatch {
  readonly name?: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly destination?: Partial<TriggerRecord["destination_config"]>;
  /** Only the fields given; `undefined` keeps a field. */
  readonly cron?: Partial<NonNullable<TriggerRecord["cron_config"]>>;
  readonly sqs?: Partial<NonNullable<TriggerRecord["sqs_config"]>>;
  readonly nats?: Partial<NonNullable<TriggerRecord["nats_config"]>>;
}

/** Triggers call a container: on a cron schedule, or for messages of an SQS queue or a NATS subject. */
export function createTrigger(model: ContainersModel, region: string, input: TriggerInput): TriggerRecord {
  const container = model.lookup("container", input.containerId, region);
  if (!container || isDeleting(container)) throw notFound("container", input.containerId);
  if (input.config.cron_config) {
    checkCron(input.config.cron_config.schedule, input.config.cron_config.timezone, "cron_config");
  }
  const now = nowIso();
  const trigger: TriggerRecord = {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? "",
    tags: input.tags ?? [],
    status: "creating",
    container_id: container.id,
    namespace_id: container.namespace_id,
    destination_config: {
      http_path: input.destination?.http_path ?? "/",
      http_method: input.destination?.http_method ?? "post",
    },
    source_type: input.source,
    created_at: now,
    updated_at: now,
    ...input.config,
    region,
  };
  model.insert("trigger", trigger);
  return model.begin("trigger", trigger, "creating", "ready");
}

/** Names, descriptions and tags change in place; a new destination or source configuration redeploys the trigger. */
export function updateTrigger(model: ContainersModel, trigger: TriggerRecord, patch: TriggerPatch): TriggerRecord {
  if (isDeleting(trigger)) throw transientState("trigger", trigger.id, trigger.status);
  const given = { cron: patch.cron, sqs: patch.sqs, nats: patch.nats };
  for (const [source, config] of Object.entries(given)) {
    if (config && source !== trigger.source_type) {
      throw invalidArgument(`${source}_config`, `the trigger's source is ${trigger.source_type}: it cannot change`);
    }
  }
  let redeploy = false;
  const merge = <T extends object>(current: T | undefined, changes: Partial<T> | undefined): T | undefined => {
    const defined = Object.entries(changes ?? {}).filter(([, value]) => value !== undefined);
    if (!current || defined.length === 0) return current;
    redeploy = true;
    return { ...current, ...Object.fromEntries(defined) };
  };
  const destination = merge(trigger.destination_config, patch.destination)!;
  const configs = {
    cron_config: merge(trigger.cron_config, patch.cron),
    sqs_config: merge(trigger.sqs_config, patch.sqs),
    nats_config: merge(trigger.nats_config, patch.nats),
  };
  // Checked before any change, so that a refused update leaves the trigger as it was.
  if (configs.cron_config) checkCron(configs.cron_config.schedule, configs.cron_config.timezone, "cron_config");
  if (patch.name !== undefined) trigger.name = patch.name;
  if (patch.description !== undefined) trigger.description = patch.description;
  if (patch.tags !== undefined) trigger.tags = patch.tags;
  trigger.destination_config = destination;
  Object.assign(trigger, Object.fromEntries(Object.entries(configs).filter(([, config]) => config !== undefined)));
  trigger.updated_at = nowIso();
  if (redeploy) return model.begin("trigger", trigger, "updating", "ready");
  model.save("trigger");
  return trigger;
}

export function listTriggers(model: ContainersModel, region: string, query: Readonly<Record<string, string>>) {
  const namespaces = model.collection("namespace");
  const found = model.list(
    "trigger",
    region,
    (t) =>
      (!query.container_id || t.container_id === query.container_id) &&
      (!query.namespace_id || t.namespace_id === query.namespace_id) &&
      (!query.project_id || namespaces.get(t.namespace_id)?.project_id === query.project_id) &&
      (!query.organization_id || namespaces.get(t.namespace_id)?.organization_id === query.organization_id),
  );
  return orderBy(found, query.order_by, "created_at_asc");
}

/** A trigger's source configuration from a create request; secrets (SQS key, NATS credentials) are not kept. */
function v1Source(body: Body, region: string): { source: Source; config: SourceConfig } {
  const cron = optionalObject(body, "cron_config");
  const sqs = optionalObject(body, "sqs_config");
  const nats = optionalObject(body, "nats_config");
  if ([cron, sqs, nats].filter(Boolean).length !== 1) {
    throw invalidArgument("cron_config", "exactly one of cron_config, sqs_config, nats_config is required", "required");
  }
  if (cron) {
    const cronConfig = {
      schedule: requiredString(cron, "schedule"),
      timezone: optionalString(cron, "timezone") || "UTC",
      body: optionalString(cron, "body") ?? "",
      headers: optionalStringMap(cron, "headers") ?? {},
    };
    return { source: "cron", config: { cron_config: cronConfig } };
  }
  if (sqs) {
    const sqsConfig = {
      region: optionalString(sqs, "region") || region,
      endpoint: optionalString(sqs, "endpoint") ?? "",
      queue_url: requiredString(sqs, "queue_url"),
      access_key_id: optionalString(sqs, "access_key_id") ?? "",
    };
    return { source: "sqs", config: { sqs_config: sqsConfig } };
  }
  const natsConfig = {
    server_urls: optionalStringList(nats!, "server_urls") ?? [],
    subject: requiredString(nats!, "subject"),
  };
  return { source: "nats", config: { nats_config: natsConfig } };
}

function destination(body: Body): TriggerPatch["destination"] {
  const config = optionalObject(body, "destination_config");
  if (!config) return undefined;
  return {
    http_path: optionalString(config, "http_path") || undefined,
    http_method: optionalEnum(config, "http_method", HTTP_METHODS),
  };
}

function v1Patch(body: Body): TriggerPatch {
  const cron = optionalObject(body, "cron_config");
  const sqs = optionalObject(body, "sqs_config");
  const nats = optionalObject(body, "nats_config");
  return {
    name: optionalString(body, "name"),
    description: optionalString(body, "description"),
    tags: optionalStringList(body, "tags"),
    destination: destination(body),
    ...(cron && {
      cron: {
        schedule: optionalString(cron, "schedule"),
        timezone: optionalString(cron, "timezone"),
        body: optionalString(cron, "body"),
        headers: optionalStringMap(cron, "headers"),
      },
    }),
    ...(sqs && {
      sqs: {
        region: optionalString(sqs, "region"),
        endpoint: optionalString(sqs, "endpoint"),
        queue_url: optionalString(sqs, "queue_url"),
        access_key_id: optionalString(sqs, "access_key_id"),
      },
    }),
    ...(nats && {
      nats: { server_urls: optionalStringList(nats, "server_urls"), subject: optionalString(nats, "subject") },
    }),
  };
}

export function triggerV1View(t: TriggerRecord) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    tags: t.tags,
    status: t.status,
    ...(t.status === "ready" || t.status === "error" ? { error_message: "" } : {}),
    container_id: t.container_id,
    destination_config: t.destination_config,
    source_type: t.source_type,
    created_at: t.created_at,
    updated_at: t.updated_at,
    ...(t.cron_config && { cron_config: t.cron_config }),
    ...(t.sqs_config && { sqs_config: t.sqs_config }),
    ...(t.nats_config && { nats_config: t.nats_config }),
  };
}

export function registerTriggerRoutes(routes: ProductRoutes, model: ContainersModel): void {
  const find = (params: Readonly<Record<string, string>>) => {
    const id = params.triggerId!;
    const trigger = model.read("trigger", id, checkRegion(params.region));
    if (!trigger) throw notFound("trigger", id);
    return trigger;
  };

  routes.post(`${V1}/triggers`, "CreateTrigger", ({ params, body }) => {
    const region = checkRegion(params.region);
    const input: TriggerInput = {
      containerId: requiredString(body, "container_id"),
      name: requiredString(body, "name"),
      description: optionalString(body, "description"),
      tags: optionalStringList(body, "tags"),
      destination: destination(body),
      ...v1Source(body, region),
    };
    return { body: triggerV1View(createTrigger(model, region, input)) };
  });
  routes.get(`${V1}/triggers`, "ListTriggers", ({ params, query }) => ({
    body: paginate(listTriggers(model, checkRegion(params.region), query).map(triggerV1View), query, "triggers"),
  }));
  routes.get(`${V1}/triggers/:triggerId`, "GetTrigger", ({ params }) => ({ body: triggerV1View(find(params)) }));
  routes.patch(`${V1}/triggers/:triggerId`, "UpdateTrigger", ({ params, body }) => ({
    body: triggerV1View(updateTrigger(model, find(params), v1Patch(body))),
  }));
  routes.delete(`${V1}/triggers/:triggerId`, "DeleteTrigger", ({ params }) => {
    const trigger = find(params);
    if (!isDeleting(trigger)) model.delete("trigger", trigger);
    return { body: triggerV1View(trigger) };
  });
}
