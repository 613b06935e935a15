import { invalidArgument } from "../../http/errors";
import type { ProjectSettingsStore } from "./project-settings";

export interface Plan {
  readonly name: string;
  readonly retention_metrics_interval: string;
  readonly retention_logs_interval: string;
  readonly retention_traces_interval: string;
  readonly sample_ingestion_price: number;
  readonly logs_ingestion_price: number;
  readonly traces_ingestion_price: number;
  readonly monthly_price: number;
}

// As GET /cockpit/v1/plans answers them (deprecated: retention is set per data source now).
export const PLANS: readonly Plan[] = [
  plan("custom", "31536000s", "2678400s", 29),
  plan("free", "2678400s", "604800s", 0),
  plan("premium", "31536000s", "2678400s", 29),
];

function plan(name: string, metrics: string, logsAndTraces: string, monthlyPrice: number): Plan {
  return {
    name,
    retention_metrics_interval: metrics,
    retention_logs_interval: logsAndTraces,
    retention_traces_interval: logsAndTraces,
    sample_ingestion_price: 15,
    logs_ingestion_price: 35,
    traces_ingestion_price: 35,
    monthly_price: monthlyPrice,
  };
}

/** The pricing plan of each project, kept for the provider's deprecated `plan` argument. */
export class Plans {
  constructor(private readonly settings: ProjectSettingsStore) {}

  select(projectId: string, name: string | undefined): Plan {
    const chosen = PLANS.find((p) => p.name === name);
    if (!chosen) throw invalidArgument("plan_name", `plan_name must be one of ${PLANS.map((p) => p.name).join(", ")}`);
    this.settings.save({ ...this.settings.get(projectId), plan: chosen.name });
    return chosen;
  }

  current(projectId: string): Plan {
    const name = this.settings.get(projectId).plan;
    return PLANS.find((p) => p.name === name) ?? PLANS[1]!;
  }
}
