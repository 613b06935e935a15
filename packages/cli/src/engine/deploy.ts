import type { Stack, UpResult } from "@pulumi/pulumi/automation";
import { policyOptions } from "./policyPack";

export interface DeployOptions {
  readonly onOutput?: (text: string) => void;
  readonly color?: "always" | "never";
}

/**
 * `up` behind a full preview with the policy pack. The Automation API's `up` skips the
 * preview and checks policies resource by resource while it creates them; the preview
 * first means a mandatory violation stops the deployment before anything changes.
 */
export async function deployWithPolicies(
  stack: Stack,
  environment: string,
  options: DeployOptions = {},
): Promise<UpResult> {
  const policies = policyOptions(environment);
  await stack.preview({ ...policies, color: options.color ?? "never", onOutput: options.onOutput });
  return stack.up({ ...policies, color: options.color ?? "never", onOutput: options.onOutput });
}
