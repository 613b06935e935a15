import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";

const run = promisify(execFile);

/**
 * The stack's state as `pulumi stack export` writes it: secrets encrypted, or with
 * `showSecrets` decrypted. (The Automation API's exportStack always decrypts.)
 */
export async function exportState(stack: Stack, options: { showSecrets?: boolean } = {}): Promise<unknown> {
  const workspace = stack.workspace;
  const args = ["stack", "export", "--stack", stack.name, "--non-interactive"];
  if (options.showSecrets) args.push("--show-secrets");
  const { stdout } = await run("pulumi", args, {
    cwd: workspace.workDir,
    env: { ...process.env, ...workspace.envVars },
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout) as unknown;
}
