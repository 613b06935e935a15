import { relative } from "node:path";
import type { InitResult } from "./initStack";
import type { PolicyConfigPlan } from "./policyConfig";

/** What `sovstack init` prints once the file is written: what it holds, and what to do next. */
export function describeInit(result: InitResult, cwd = process.cwd()): string {
  const { choices, policyConfig } = result;
  const shown = shownPath(result.path, cwd);
  const policyShown = shownPath(policyConfig.path, cwd);
  const env = choices.environment;
  const lines = [
    `Created ${shown}: the ${choices.tier} tier in ${choices.region}, from ${choices.source.label}, ` +
      `resources named ${choices.namePrefix}-${choices.tier}-*.`,
    `Project: ${choices.projectId ?? "not set (SCW_DEFAULT_PROJECT_ID is used when deploying)"}.`,
    `Policy config: ${describePolicyConfig(policyConfig, policyShown, env)}`,
  ];
  if (result.notes.length > 0) lines.push("", "Check:", ...result.notes.map((note) => `  - ${note}`));
  const review = policyConfig.action === "pack" ? shown : `${shown} and ${policyShown}`;
  lines.push(
    "",
    "Next steps:",
    `  1. Review ${review} (services, database, buckets, alert contacts); commit them.`,
    `  2. The secrets passphrase of ${env}: on a shared backend (s3:// or postgres://), once,`,
    `       sovstack state init --environments ${env}`,
    `     keeps a new one in Scaleway Secret Manager (/sovstack/pulumi-passphrase-${env}), where sovstack`,
    `     reads it (or export PULUMI_CONFIG_PASSPHRASE; docs/state.md). A file:// backend uses the local one.`,
    `     Pulumi adds the encryptionsalt line to the stack file on first use: commit it with the file.`,
    `  3. sovstack doctor ${env}      toolchain, credentials, backend, clock and region`,
    `  4. sovstack preview ${env}     what would be created, checked by the policy pack`,
    `  5. sovstack up ${env}`,
  );
  return lines.join("\n");
}

function describePolicyConfig(plan: PolicyConfigPlan, shown: string, env: string): string {
  const services = plan.publicServices.join(", ") || "none";
  switch (plan.action) {
    case "write":
      return `wrote ${shown}: the ${plan.tier} tier's levels, public services ${services}; preview and up read it for ${env}.`;
    case "same":
      return `${shown} already holds the ${plan.tier} tier's levels and public services ${services}.`;
    case "kept":
      return `kept ${shown}, which differs (see Check).`;
    case "pack":
      return `${shown}, the policy pack's own for ${env} (generated from its table; not changed).`;
  }
}

/** A path from the current folder when it is below it, else the absolute one. */
function shownPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd && !fromCwd.startsWith("..") ? fromCwd : path;
}
