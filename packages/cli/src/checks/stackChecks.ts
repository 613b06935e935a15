import type { Stack } from "@pulumi/pulumi/automation";
import { exportState } from "../engine/stateExport";
import { checkDatabaseReachability, type ReachabilityProblem } from "./databaseReachability";
import { findPlaintextSecrets, type PlaintextSecret } from "./plaintextSecrets";

export interface StackCheckReport {
  readonly plaintextSecrets: readonly PlaintextSecret[];
  readonly databaseProblems: readonly ReachabilityProblem[];
  readonly databasesChecked: number;
  readonly ok: boolean;
}

/**
 * Checks of a deployed stack that no resource policy can make: the state as exported
 * holds no secret in plain text, and every database is reachable on a private network
 * only, as the API says.
 */
export async function checkDeployedStack(
  stack: Stack,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StackCheckReport> {
  const [encrypted, decrypted] = await Promise.all([exportState(stack), exportState(stack, { showSecrets: true })]);
  const plaintextSecrets = findPlaintextSecrets(encrypted, decrypted);
  const resources =
    (encrypted as { deployment?: { resources?: Array<{ type: string; id?: string }> } }).deployment?.resources ?? [];
  const instances = resources
    .filter((r) => r.type === "scaleway:databases/instance:Instance" && r.id)
    .map((r) => r.id!);
  const databaseProblems = await checkDatabaseReachability(instances, env);
  return {
    plaintextSecrets,
    databaseProblems,
    databasesChecked: instances.length,
    ok: plaintextSecrets.length === 0 && databaseProblems.length === 0,
  };
}

export function describeReport(report: StackCheckReport): string {
  const lines = [
    report.plaintextSecrets.length === 0
      ? "state: no secret in plain text"
      : `state: ${report.plaintextSecrets.length} secret(s) in plain text: ${report.plaintextSecrets.map((s) => `${s.where} ${s.property}`).join(", ")}. Fix: mark them with pulumi.secret() or additionalSecretOutputs.`,
    report.databaseProblems.length === 0
      ? `databases: ${report.databasesChecked} checked, reachable on their private network only`
      : `databases: ${report.databaseProblems.map((p) => `${p.instance} ${p.problem}`).join("; ")}. Fix: remove the public endpoint (load balancer) and keep the private network endpoint.`,
  ];
  return lines.join("\n");
}
