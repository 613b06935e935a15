import type { LocalContext } from "../../context";
import { ScalewayError } from "../../http/errors";
import type { Collection, StoredRecord } from "../../state/store";
import { Transitions } from "../containers/transitions";

export interface DefinitionRecord extends StoredRecord {
  name: string;
  project_id: string;
  organization_id: string;
  created_at: string;
  updated_at: string;
  /** mvCPU. */
  cpu_limit: number;
  /** MiB. */
  memory_limit: number;
  /** MiB. */
  local_storage_capacity: number;
  image_uri: string;
  /** The deprecated one-string command; `startup_command` and `args` replace it. */
  command: string;
  startup_command: string[];
  args: string[];
  environment_variables: Record<string, string>;
  job_timeout: string;
  description: string;
  cron_schedule: { schedule: string; timezone: string } | null;
  retry_policy?: { max_retries: number };
  region: string;
}

export type RunState = "validated" | "queued" | "running" | "succeeded" | "failed" | "interrupting" | "interrupted";

export interface RunRecord extends StoredRecord {
  job_definition_id: string;
  project_id: string;
  organization_id: string;
  /** The run's state (`status` so that the shared life cycle moves it). */
  status: RunState;
  _next?: { to: string; at: number };
  _unread?: boolean;
  reason: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  terminated_at: string | null;
  run_duration: string | null;
  exit_code: number | null;
  cpu_limit: number;
  memory_limit: number;
  local_storage_capacity: number;
  command: string;
  startup_command: string[];
  args: string[];
  environment_variables: Record<string, string>;
  region: string;
}

/** A reference to a Secret Manager secret, exposed to the job as a file or an environment variable. */
export interface SecretRefRecord extends StoredRecord {
  job_definition_id: string;
  secret_manager_id: string;
  secret_manager_version: string;
  file?: { path: string };
  env_var?: { name: string };
  created_at: string;
  region: string;
}

export interface JobTriggerRecord extends StoredRecord {
  job_definition_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  cron_config: { schedule: string; timezone: string; startup_command: string[]; args: string[] };
  region: string;
}

/** A run goes validated -> queued -> running -> succeeded (no image runs); a stop interrupts it. */
const NEXT_STATE: Partial<Record<RunState, RunState>> = {
  validated: "queued",
  queued: "running",
  running: "succeeded",
  interrupting: "interrupted",
};
export const ACTIVE_STATES: readonly RunState[] = ["validated", "queued", "running", "interrupting"];

/** Serverless Jobs API 404s are plain sentences: `{"message":"job definition is not found"}`. */
export function jobsNotFound(what: string): ScalewayError {
  return new ScalewayError(404, { message: `${what} is not found` });
}

/** What the jobs API keeps, and the life cycle of runs. */
export class JobsModel {
  readonly definitions: Collection<DefinitionRecord>;
  readonly runs: Collection<RunRecord>;
  readonly secrets: Collection<SecretRefRecord>;
  readonly triggers: Collection<JobTriggerRecord>;
  private readonly transitions: Transitions;

  constructor(readonly context: LocalContext) {
    this.transitions = new Transitions(context.lifecycle);
    this.definitions = context.store.collection<DefinitionRecord>("jobs.definitions");
    this.runs = context.store.collection<RunRecord>("jobs.runs");
    this.secrets = context.store.collection<SecretRefRecord>("jobs.secrets");
    this.triggers = context.store.collection<JobTriggerRecord>("jobs.triggers");
  }

  definition(id: string, region: string): DefinitionRecord {
    const definition = this.definitions.get(id);
    if (!definition || definition.region !== region) throw jobsNotFound("job definition");
    return definition;
  }

  run(id: string, region: string): RunRecord {
    const run = this.runs.get(id);
    if (!run || run.region !== region) throw jobsNotFound("job run");
    return this.advance(run);
  }

  /** Starts a run: validated now, then each following state one transition later. */
  begin(run: RunRecord): RunRecord {
    this.transitions.begin(run, run.status, NEXT_STATE[run.status]!);
    return run;
  }

  /** Interrupts an active run; a stop of a finished run changes nothing. */
  stop(run: RunRecord): RunRecord {
    if (!ACTIVE_STATES.includes(run.status) || run.status === "interrupting") return run;
    run.reason = "cancellation";
    run.updated_at = new Date().toISOString();
    this.transitions.begin(run, "interrupting", "interrupted");
    this.runs.touch();
    return run;
  }

  /**
   * Reads a run: moves it to its next state when that is due, stamped with the time it
   * happened. As for containers, every state is shown to at least one read, so that a
   * client sees a run queued, then running, whatever the local delay.
   */
  advance(run: RunRecord): RunRecord {
    const due = run._next;
    if (!due || !this.transitions.read(run)) return run;
    if (!run._next) {
      const at = new Date(due.at).toISOString();
      run.updated_at = at;
      if (run.status === "running") run.started_at = at;
      if (run.status === "succeeded" || run.status === "interrupted") {
        run.terminated_at = at;
        if (run.started_at) run.run_duration = `${(due.at - Date.parse(run.started_at)) / 1000}s`;
        if (run.status === "succeeded") run.exit_code = 0;
      }
      const next = NEXT_STATE[run.status];
      if (next) this.transitions.begin(run, run.status, next);
    }
    this.runs.touch();
    return run;
  }

  /** Forgets a definition with its runs, secret references and triggers. */
  remove(definition: DefinitionRecord): void {
    const of = (record: { job_definition_id: string }) => record.job_definition_id === definition.id;
    for (const run of this.runs.list(of)) this.runs.delete(run.id);
    for (const secret of this.secrets.list(of)) this.secrets.delete(secret.id);
    for (const trigger of this.triggers.list(of)) this.triggers.delete(trigger.id);
    this.definitions.delete(definition.id);
  }
}
