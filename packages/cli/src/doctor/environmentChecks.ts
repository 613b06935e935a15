import { existsSync } from "node:fs";
import { join } from "node:path";
import { readStackFile, REGIONS, validateStackConfig } from "@sovstack/components";
import { parseBackendUrl } from "../state/backendUrl";
import { fail, ok, warn, type CheckResult, type DoctorContext } from "./check";
import type { ScalewayCredentials } from "./scalewayCredentials";

/** The sovstack keys of Pulumi.<env>.yaml, or a failure saying how to create it. */
export function readEnvironmentFile(
  context: DoctorContext,
  environment: string,
): { config: Record<string, unknown> } | { missing: CheckResult } {
  const path = join(context.projectDir, `Pulumi.${environment}.yaml`);
  if (!existsSync(path)) {
    return {
      missing: fail(
        "stack file",
        `no Pulumi.${environment}.yaml in ${context.projectDir}`,
        `run \`sovstack init ${environment}\``,
      ),
    };
  }
  return { config: readStackFile(path) };
}

/** The stack file passes the validation a deployment runs first. */
export function checkStackFile(config: Record<string, unknown>, environment: string): CheckResult {
  const result = validateStackConfig(config);
  if (result.ok) return ok("stack file", `Pulumi.${environment}.yaml is valid`);
  const [first] = result.issues;
  const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : "";
  return fail(
    "stack file",
    `Pulumi.${environment}.yaml has ${result.issues.length} problem${result.issues.length > 1 ? "s" : ""}: ${first!.key}: ${first!.message}${more}`,
    `fix the file; \`sovstack preview ${environment}\` lists every problem`,
  );
}

/** The stack's region exists, and the credentials' default region is the same one. */
export function checkRegion(
  config: Record<string, unknown>,
  environment: string,
  credentials: ScalewayCredentials,
): CheckResult {
  const region = typeof config.region === "string" ? config.region : "fr-par";
  if (!(REGIONS as readonly string[]).includes(region)) {
    return fail(
      "region",
      `Pulumi.${environment}.yaml has region "${region}", not one of ${REGIONS.join(", ")}`,
      `set sovstack:region to one of ${REGIONS.join(", ")}`,
    );
  }
  if (credentials.region && credentials.region !== region) {
    return warn(
      "region",
      `${environment} deploys to ${region}, but ${credentials.sources.region} is ${credentials.region}: scw and other tools will look in ${credentials.region}`,
      `export SCW_DEFAULT_REGION=${region}`,
    );
  }
  return ok(
    "region",
    `${environment} deploys to ${region}${credentials.region ? `, as ${credentials.sources.region} says` : ""}`,
  );
}

/** Stacks on a shared backend need their passphrase; file:// stacks fall back to the local one. */
export function checkPassphrase(context: DoctorContext, environment: string | undefined): CheckResult {
  const set = Boolean(context.env.PULUMI_CONFIG_PASSPHRASE || context.env.PULUMI_CONFIG_PASSPHRASE_FILE);
  let kind: string;
  try {
    kind = parseBackendUrl(context.backendUrl).kind;
  } catch {
    kind = "unknown";
  }
  if (set) return ok("passphrase", "PULUMI_CONFIG_PASSPHRASE is set");
  if (kind === "file") return ok("passphrase", "not set: file:// stacks use the local development passphrase");
  const secret = `/sovstack/pulumi-passphrase-${environment ?? "<env>"}`;
  if (context.env.SCW_ACCESS_KEY && context.env.SCW_SECRET_KEY && context.env.SCW_DEFAULT_PROJECT_ID)
    return ok("passphrase", `not set: sovstack reads it from Secret Manager (${secret}) with the SCW_* key`);
  return fail(
    "passphrase",
    `PULUMI_CONFIG_PASSPHRASE is not set, and the ${kind} backend holds stacks encrypted with their own`,
    `export PULUMI_CONFIG_PASSPHRASE with the value of the secret ${secret} in Secret Manager (docs/state.md)`,
  );
}
