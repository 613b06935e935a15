import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { ExitCode } from "../exitCodes";
import { progress, useColor } from "../output";

interface RollbackCommandOptions {
  readonly backend?: string;
  readonly to?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
}

/** `sovstack rollback <env>`: redeploy an earlier deployment's code and configuration, preview first. */
export function registerRollbackCommand(program: Command): void {
  program
    .command("rollback")
    .description(
      "return an environment to an earlier deployment: its commit's code and stack file, redeployed (preview only without --yes)",
    )
    .argument("<env>", "environment")
    .option(
      "--to <version|commit>",
      "a version of `sovstack state history`, -n (n back), or a commit (default: the last deployment of other code)",
    )
    .option("--yes", "apply it after the preview (without: preview only, exit 2 when it would change something)")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print the result as JSON")
    .action(async (environment: string, options: RollbackCommandOptions) => {
      // Loaded here, not at the top: help and usage errors stay fast without the Automation API.
      const { rollback } = await import("../rollback/rollback");
      const { endInterrupted } = await import("../engine/interrupt");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { engineContextOf } = await import("../engine/workspace");
      const again = `sovstack rollback ${environment}${options.to ? ` --to ${options.to}` : ""}`;
      const settings = { environment, backendUrl: options.backend };
      const result = await reportingEngineFailures(engineContextOf(settings, "rollback", !options.json), () =>
        rollback({
          ...settings,
          to: options.to,
          apply: Boolean(options.yes),
          log: progress,
          color: useColor() ? "always" : "never",
          onOutput: options.json ? undefined : (text) => process.stdout.write(text),
        }),
      ).catch((error: unknown) =>
        endInterrupted(
          error,
          options.yes
            ? `\`${again} --yes\` again finishes the rollback; \`sovstack up ${environment}\` converges on the current code instead.`
            : `The preview changed nothing; \`${again}\` runs it again.`,
        ),
      );
      if (!result) return;
      const changes = result.preview
        ? Object.entries(result.preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0).length
        : 0;
      if (options.json)
        console.log(
          JSON.stringify(
            {
              environment,
              commit: result.target.commit,
              version: result.target.version?.version ?? null,
              applied: Boolean(result.up),
              changeSummary: result.up?.summary.resourceChanges ?? result.preview?.changeSummary ?? {},
            },
            null,
            2,
          ),
        );
      if (!result.up) {
        progress(`preview only. To apply it: sovstack rollback ${environment} --to ${result.target.commit} --yes`);
        if (changes > 0) process.exitCode = ExitCode.changes;
      }
    });
}
