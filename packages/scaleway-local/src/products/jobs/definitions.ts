import { randomUUID } from "node:crypto";
import { invalidArgument, ScalewayError } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  checkCron,
  checkRegion,
  optionalDuration,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  type Body,
} from "../containers/values";
import { ACTIVE_STATES, type DefinitionRecord, type JobsModel } from "./model";

export type Version = "v1alpha1" | "v1alpha2";
export const BASES: Record<Version, string> = {
  v1alpha1: "/serverless-jobs/v1alpha1/regions/:region",
  v1alpha2: "/serverless-jobs/v1alpha2/regions/:region",
};

/** A job definition: the image, resources and command of the runs started from it. */
export function createDefinition(model: JobsModel, region: string, body: Body): DefinitionRecord {
  const now = nowIso();
  const definition: DefinitionRecord = {
    id: randomUUID(),
    name: requiredString(body, "name"),
    project_id: requiredString(body, "project_id"),
    organization_id: model.context.organizationId,
    created_at: now,
    updated_at: now,
    cpu_limit: requiredInteger(body, "cpu_limit"),
    memory_limit: requiredInteger(body, "memory_limit"),
    // Sent as 0 when unset by some clients: the API then gives the smallest disk.
    local_storage_capacity: optionalInteger(body, "local_storage_capacity") || 1024,
    image_uri: requiredString(body, "image_uri"),
    command: optionalString(body, "command") ?? "",
    startup_command: optionalStringList(body, "startup_command") ?? [],
    args: optionalStringList(body, "args") ?? [],
    environment_variables: optionalStringMap(body, "environment_variables") ?? {},
    job_timeout: optionalDuration(body, "job_timeout") ?? "86400s",
    description: optionalString(body, "description") ?? "",
    cron_schedule: cronSchedule(body, null),
    region,
  };
  const retries = retryPolicy(body);
  if (retries) definition.retry_policy = retries;
  return model.definitions.insert(definition);
}

/** Reads the whole change first, so that a refused update leaves the definition as it was. */
export function updateDefinition(model: JobsModel, definition: DefinitionRecord, body: Body): DefinitionRecord {
  const changes: Partial<DefinitionRecord> = {
    name: optionalString(body, "name") || undefined,
    cpu_limit: optionalInteger(body, "cpu_limit", 1),
    memory_limit: optionalInteger(body, "memory_limit", 1),
    local_storage_capacity: optionalInteger(body, "local_storage_capacity", 1),
    image_uri: optionalString(body, "image_uri") || undefined,
    command: optionalString(body, "command"),
    startup_command: optionalStringList(body, "startup_command"),
    args: optionalStringList(body, "args"),
    environment_variables: optionalStringMap(body, "environment_variables"),
    description: optionalString(body, "description"),
    job_timeout: optionalDuration(body, "job_timeout"),
    retry_policy: retryPolicy(body),
    // Absent: unchanged; `{schedule: null, timezone: null}`: removed.
    cron_schedule: body.cron_schedule ? cronSchedule(body, definition.cron_schedule) : undefined,
  };
  Object.assign(definition, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
  definition.updated_at = nowIso();
  model.definitions.touch();
  return definition;
}

/** A definition with runs still going cannot go: the provider stops them and tries again. */
export function deleteDefinition(model: JobsModel, definition: DefinitionRecord): void {
  const running = model.runs
    .list((run) => run.job_definition_id === definition.id)
    .some((run) => ACTIVE_STATES.includes(model.advance(run).status));
  if (running) throw new ScalewayError(403, { message: "one or more job runs are still running" });
  model.remove(definition);
}

function requiredInteger(body: Body, key: string): number {
  const value = optionalInteger(body, key, 1);
  if (value === undefined) throw invalidArgument(key, `${key} is required`, "required");
  return value;
}

/** `{schedule, timezone}`; an update with both null removes the schedule. */
function cronSchedule(body: Body, current: DefinitionRecord["cron_schedule"]): DefinitionRecord["cron_schedule"] {
  const cron = optionalObject(body, "cron_schedule");
  if (!cron) return current;
  const schedule = optionalString(cron, "schedule") || undefined;
  const timezone = optionalString(cron, "timezone") || undefined;
  if (!schedule && !timezone) return null;
  const result = { schedule: schedule ?? current?.schedule ?? "", timezone: timezone ?? current?.timezone ?? "UTC" };
  checkCron(result.schedule, result.timezone, "cron_schedule");
  return result;
}

function retryPolicy(body: Body): DefinitionRecord["retry_policy"] {
  const policy = optionalObject(body, "retry_policy");
  if (!policy) return undefined;
  return { max_retries: optionalInteger(policy, "max_retries", 0, 10) ?? 0 };
}

/** v1alpha2, as the provider reads it. */
function v1alpha2View(d: DefinitionRecord) {
  return {
    id: d.id,
    name: d.name,
    project_id: d.project_id,
    created_at: d.created_at,
    updated_at: d.updated_at,
    cpu_limit: d.cpu_limit,
    memory_limit: d.memory_limit,
    local_storage_capacity: d.local_storage_capacity,
    image_uri: d.image_uri,
    command: d.command,
    environment_variables: d.environment_variables,
    job_timeout: d.job_timeout,
    description: d.description,
    cron_schedule: d.cron_schedule,
    startup_command: d.startup_command,
    args: d.args,
    ...(d.retry_policy && { retry_policy: d.retry_policy }),
    region: d.region,
  };
}

/** v1alpha1 only knows the one-string command: a startup command and its arguments are joined into it. */
function v1alpha1View(d: DefinitionRecord) {
  return {
    id: d.id,
    name: d.name,
    created_at: d.created_at,
    updated_at: d.updated_at,
    cpu_limit: d.cpu_limit,
    memory_limit: d.memory_limit,
    image_uri: d.image_uri,
    command: d.command || [...d.startup_command, ...d.args].join(" "),
    project_id: d.project_id,
    environment_variables: d.environment_variables,
    description: d.description,
    job_timeout: d.job_timeout,
    cron_schedule: d.cron_schedule,
    local_storage_capacity: d.local_storage_capacity,
    region: d.region,
  };
}

export function registerDefinitionRoutes(routes: ProductRoutes, model: JobsModel): void {
  for (const version of ["v1alpha1", "v1alpha2"] as const) {
    const base = BASES[version];
    const view = (definition: DefinitionRecord): object =>
      version === "v1alpha1" ? v1alpha1View(definition) : v1alpha2View(definition);
    const find = (params: Readonly<Record<string, string>>) =>
      model.definition(params.jobDefinitionId!, checkRegion(params.region));

    routes.post(`${base}/job-definitions`, "CreateJobDefinition", ({ params, body }) => ({
      body: view(createDefinition(model, checkRegion(params.region), body)),
    }));
    routes.get(`${base}/job-definitions`, "ListJobDefinitions", ({ params, query }) => {
      const region = checkRegion(params.region);
      const found = model.definitions.list(
        (d) =>
          d.region === region &&
          (!query.project_id || d.project_id === query.project_id) &&
          (!query.organization_id || d.organization_id === query.organization_id),
      );
      return { body: paginate(orderBy(found, query.order_by, "created_at_asc").map(view), query, "job_definitions") };
    });
    routes.get(`${base}/job-definitions/:jobDefinitionId`, "GetJobDefinition", ({ params }) => ({
      body: view(find(params)),
    }));
    routes.patch(`${base}/job-definitions/:jobDefinitionId`, "UpdateJobDefinition", ({ params, body }) => ({
      body: view(updateDefinition(model, find(params), body)),
    }));
    routes.delete(`${base}/job-definitions/:jobDefinitionId`, "DeleteJobDefinition", ({ params }) => {
      deleteDefinition(model, find(params));
      return { status: 204 };
    });
  }
}
