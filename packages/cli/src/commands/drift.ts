import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { ExitCode } from "../exitCodes";
import { progress } from "../output";

/** `sovstack drift <env>`: what changed in Scaleway outside code since the last deployment. */
export function registerDriftCommand(program: Command): void {
  program
    .command("drift")
    .description(
      "compare an environment's resources in Scaleway with its last deployment, without changing anything " +
        "(exit 0: no drift, 2: drift found, 1: error)",
    )
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print { environment, drifted, resources } as JSON")
    .action(async (environment: string, options: { backend?: string; json?: boolean }) => {
      // Loaded here, not at the top: help and usage errors stay fast without the Automation API.
      const { engineContextOf, openStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { detectDrift } = await import("../drift/detectDrift");
      const { describeDrift } = await import("../drift/describeDrift");
      const settings = { environment, backendUrl: options.backend, log: progress, create: false };
      // The refresh's output is not shown: a failure prints the engine's error lines.
      const report = await reportingEngineFailures(engineContextOf(settings, "drift", false), async () =>
        detectDrift(await openStack(settings), environment, { log: progress }),
      );
      console.log(options.json ? JSON.stringify(report, null, 2) : describeDrift(report));
      process.exitCode = report.drifted ? ExitCode.changes : ExitCode.ok;
    });
}
