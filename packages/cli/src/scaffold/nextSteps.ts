import { relative } from "node:path";
import type { InitResult } from "./initStack";

/** What `sovstack init` prints once the file is written: what it holds, and what to do next. */
export function describeInit(result: InitResult, cwd = process.cwd()): string {
  const { choices } = result;
  const fromCwd = relative(cwd, result.path);
  const shown = fromCwd && !fromCwd.startsWith("..") ? fromCwd : result.path;
  const env = choices.environment;
  const lines = [
    `Created ${shown}: the ${choices.tier} tier in ${choices.region}, from ${choices.source.label}, ` +
      `resources named ${choices.namePrefix}-${choices.tier}-*.`,
    `Project: ${choices.projectId ?? "not set (SCW_DEFAULT_PROJECT_ID is used when deploying)"}.`,
  ];
  if (result.notes.length > 0) lines.push("", "Check:", ...result.notes.map((note) => `  - ${note}`));
  lines.push(
    "",
    "Next steps:",
    `  1. Review ${shown}: services, database, buckets, alert contacts.`,
    `  2. Choose the secrets passphrase of ${env} and keep it in Scaleway Secret Manager (docs/state.md);`,
    `     export it as PULUMI_CONFIG_PASSPHRASE where you deploy. Pulumi adds the encryptionsalt line to`,
    `     the file on first use: commit it with the file.`,
    `  3. sovstack doctor ${env}      toolchain, credentials, backend, clock and region`,
    `  4. sovstack preview ${env}     what would be created, checked by the policy pack`,
    `  5. sovstack up ${env}`,
  );
  return lines.join("\n");
}
