import { initPostgresBackend } from "./postgresBackend";
import type { InitPlan } from "./plan";
import { InitReport } from "./report";
import { initS3Backend } from "./s3Backend";

/** Prepares the backend a checked plan names; `log` gets progress, one line per resource. */
export async function runStateInit(plan: InitPlan, log: (message: string) => void = () => {}): Promise<InitReport> {
  const report = new InitReport(plan.backend, log);
  if (plan.kind === "s3") await initS3Backend(plan, report);
  else await initPostgresBackend(plan, report);
  return report;
}
