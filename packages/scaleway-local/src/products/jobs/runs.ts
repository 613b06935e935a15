import { randomUUID } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  checkRegion,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalStringMap,
  type Body,
} from "../containers/values";
import { BASES } from "./definitions";
import { ACTIVE_STATES, type DefinitionRecord, type JobsModel, type RunRecord, type RunState } from "./model";

/** Starts `replicas` runs of a definition, each with the start request's overrides. */
export function startRuns(model: JobsModel, definition: DefinitionRecord, body: Body): RunRecord[] {
  const replicas = optionalInteger(body, "replicas", 1, 100) ?? 1;
  const overrides = optionalStringMap(body, "environment_variables") ?? {};
  const now = nowIso();
  return Array.from({ length: replicas }, () =>
    model.runs.insert(
      model.begin({
        id: randomUUID(),
        job_definition_id: definition.id,
        project_id: definition.project_id,
        organization_id: definition.organization_id,
        status: "validated",
        reason: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        terminated_at: null,
        run_duration: null,
        exit_code: null,
        cpu_limit: definition.cpu_limit,
        memory_limit: definition.memory_limit,
        local_storage_capacity: definition.local_storage_capacity,
        command: optionalString(body, "command") ?? definition.command,
        startup_command: optionalStringList(body, "startup_command") ?? definition.startup_command,
        args: optionalStringList(body, "args") ?? definition.args,
        environment_variables: { ...definition.environment_variables, ...overrides },
        region: definition.region,
      }),
    ),
  );
}

function v1alpha2View(r: RunRecord) {
  return {
    id: r.id,
    job_definition_id: r.job_definition_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    started_at: r.started_at,
    terminated_at: r.terminated_at,
    run_duration: r.run_duration,
    state: r.status,
    ...(r.reason && { reason: r.reason }),
    // An exit code only for a run that ended by itself: an interrupted run has none.
    ...(r.exit_code !== null && { exit_code: r.exit_code }),
    cpu_limit: r.cpu_limit,
    memory_limit: r.memory_limit,
    local_storage_capacity: r.local_storage_capacity,
    command: r.command,
    environment_variables: r.environment_variables,
    startup_command: r.startup_command,
    args: r.args,
    region: r.region,
  };
}

/** v1alpha1 states: no `validated` nor interruption, a stopped run is `canceled`. */
const V1ALPHA1_STATES: Record<RunState, string> = {
  validated: "queued",
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  interrupting: "running",
  interrupted: "canceled",
};

function v1alpha1View(r: RunRecord) {
  return {
    id: r.id,
    job_definition_id: r.job_definition_id,
    state: V1ALPHA1_STATES[r.status],
    created_at: r.created_at,
    updated_at: r.updated_at,
    terminated_at: r.terminated_at,
    exit_code: r.exit_code,
    run_duration: r.run_duration,
    error_message: "",
    cpu_limit: r.cpu_limit,
    memory_limit: r.memory_limit,
    command: r.command || [...r.startup_command, ...r.args].join(" "),
    environment_variables: r.environment_variables,
    local_storage_capacity: r.local_storage_capacity,
    started_at: r.started_at,
    region: r.region,
  };
}

/** The resources a job may ask for, as (mvCPU, MiB) pairs. */
const RESOURCES = [
  [70, 128],
  [140, 256],
  [280, 512],
  [560, 1024],
  [1120, 2048],
  [2240, 4096],
  [4480, 8192],
  [6720, 12288],
  [8960, 16384],
  [17920, 32768],
] as const;

export function registerRunRoutes(routes: ProductRoutes, model: JobsModel): void {
  for (const version of ["v1alpha1", "v1alpha2"] as const) {
    const base = BASES[version];
    const view = (run: RunRecord): object => (version === "v1alpha1" ? v1alpha1View(run) : v1alpha2View(run));
    const find = (params: Readonly<Record<string, string>>) => model.run(params.jobRunId!, checkRegion(params.region));

    routes.post(`${base}/job-definitions/:jobDefinitionId/start`, "StartJobDefinition", ({ params, body }) => {
      const definition = model.definition(params.jobDefinitionId!, checkRegion(params.region));
      return { body: { job_runs: startRuns(model, definition, body).map(view) } };
    });
    routes.get(`${base}/job-runs`, "ListJobRuns", ({ params, query }) => {
      const region = checkRegion(params.region);
      // `unknown_state` is how the SDKs say "any state".
      const states = [query.state, ...(query.states ?? "").split(",")].filter((s) => s && s !== "unknown_state");
      const found = model.runs
        .list(
          (r) =>
            r.region === region &&
            (!query.job_definition_id || r.job_definition_id === query.job_definition_id) &&
            (!query.project_id || r.project_id === query.project_id) &&
            (!query.organization_id || r.organization_id === query.organization_id),
        )
        .map((run) => model.advance(run))
        .filter((run) => states.length === 0 || states.includes(run.status));
      return { body: paginate(orderBy(found, query.order_by, "created_at_asc").map(view), query, "job_runs") };
    });
    routes.get(`${base}/job-runs/:jobRunId`, "GetJobRun", ({ params }) => ({ body: view(find(params)) }));
    routes.post(`${base}/job-runs/:jobRunId/stop`, "StopJobRun", ({ params }) => {
      const run = find(params);
      if (!ACTIVE_STATES.includes(run.status)) throw invalidArgument("job_run_id", `the job run is ${run.status}`);
      return { body: view(model.stop(run)) };
    });
  }

  routes.get(`${BASES.v1alpha2}/job-resources`, "ListJobResources", () => ({
    body: {
      resources: RESOURCES.map(([mvcpu, mib]) => ({
        compute_limit_mvcpu: mvcpu,
        memory_limit_bytes: mib * 1024 * 1024,
      })),
    },
  }));
  routes.get(`${BASES.v1alpha1}/jobs-resources`, "ListJobsResources", () => ({
    body: { resources: RESOURCES.map(([cpu, memory]) => ({ cpu_limit: cpu, memory_limit: memory })) },
  }));
  routes.get(`${BASES.v1alpha2}/job-limits`, "GetJobLimits", () => ({ body: { secrets_per_job_definition: 20 } }));
  routes.get(`${BASES.v1alpha1}/jobs-limits`, "GetJobsLimits", () => ({ body: { secrets_per_job_definition: 20 } }));
}
