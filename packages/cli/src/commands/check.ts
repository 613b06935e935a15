import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { ExitCode } from "../exitCodes";
import { progress } from "../output";

/** `sovstack check <env>`: the stack-level checks of a deployed environment. */
export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description(
      "check a deployed environment: no secret in plain text in its state, databases on private networks only",
    )
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print the report as JSON")
    .action(async (environment: string, options: { backend?: string; json?: boolean }) => {
      // Loaded here, not at the top: help and usage errors stay fast without the Automation API.
      const { engineContextOf, openStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { checkDeployedStack, describeReport } = await import("../checks/stackChecks");
      const settings = { environment, backendUrl: options.backend, log: progress, create: false };
      const report = await reportingEngineFailures(engineContextOf(settings, "check", false), async () =>
        checkDeployedStack(await openStack(settings), process.env),
      );
      console.log(options.json ? JSON.stringify(report, null, 2) : describeReport(report));
      if (!report.ok) process.exitCode = ExitCode.policyViolation;
    });
}
