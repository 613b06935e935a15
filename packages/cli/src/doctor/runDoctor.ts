import { ok, type CheckResult, type DoctorContext } from "./check";
import { checkBackend } from "./backendCheck";
import { checkCredentialFormat } from "./credentialsCheck";
import { checkPassphrase, checkRegion, checkStackFile, readEnvironmentFile } from "./environmentChecks";
import { checkLease } from "./leaseCheck";
import { checkClock, checkCredentialsWork, probeScalewayApi } from "./scalewayApi";
import { resolveScalewayCredentials } from "./scalewayCredentials";
import { checkNode, checkToolchain } from "./toolchainCheck";
import { redactedUrl } from "../state/backendUrl";

export interface DoctorReport {
  readonly environment?: string;
  /** The backend URL, without its password. */
  readonly backend: string;
  /** No check failed (warnings allowed). */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export interface DoctorOptions {
  /** Skip the toolchain check (tests of the other checks). */
  readonly skipToolchain?: boolean;
}

/**
 * Everything a deployment needs before it starts, checked in the order it needs it:
 * the toolchain, credentials that work, a reachable backend, a free lease, a clock in
 * time, the stack file and its region, the passphrase.
 */
export async function runDoctor(context: DoctorContext, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  if (!options.skipToolchain) checks.push(await checkToolchain());
  checks.push(checkNode());

  const { environment } = context;
  const file = environment ? readEnvironmentFile(context, environment) : undefined;
  const config = file && "config" in file ? file.config : undefined;
  const stackProjectId = typeof config?.projectId === "string" ? config.projectId : undefined;

  const credentials = resolveScalewayCredentials(context.env);
  checks.push(checkCredentialFormat(credentials, stackProjectId));
  const probe = await probeScalewayApi(context, credentials, credentials.projectId ?? stackProjectId);
  checks.push(checkCredentialsWork(probe, credentials), checkClock(probe));

  const backend = await checkBackend(context);
  checks.push(backend);
  if (environment) {
    checks.push(
      backend.status === "fail"
        ? {
            name: "lock",
            status: "warn",
            detail: "not checked: the backend is unreachable",
            fix: "see the backend check",
          }
        : await checkLease(context, environment),
    );
  }
  if (file && "missing" in file) checks.push(file.missing);
  if (config && environment)
    checks.push(checkStackFile(config, environment), checkRegion(config, environment, credentials));
  checks.push(checkPassphrase(context, environment));
  if (!environment) checks.push(ok("environment", "none given: pass one to check its stack file, region and lock"));

  return {
    environment,
    backend: redactedUrl(context.backendUrl),
    ok: checks.every((check) => check.status !== "fail"),
    checks,
  };
}
