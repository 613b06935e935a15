import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { defaultBackendUrl } from "../engine/defaultBackend";
import { ExitCode } from "../exitCodes";
import { infraDir } from "../paths";
import { checkEnvName } from "../scaffold/envName";

/** `sovstack doctor [env]`: is this machine ready to deploy, and what to fix if not. */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "check what a deployment needs: toolchain, Scaleway credentials, backend, lock, clock, region, passphrase " +
        "(exit 1 when a check fails)",
    )
    .argument("[env]", "environment whose stack file, region and lock to check as well")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--dir <folder>", "Pulumi project folder (default: infra/)")
    .option("--json", "print the checks as JSON")
    .action(async (environment: string | undefined, options: { backend?: string; dir?: string; json?: boolean }) => {
      if (environment) checkEnvName(environment);
      // Loaded here, not at the top: help and usage errors stay fast without the SDKs the checks use.
      const { runDoctor } = await import("../doctor/runDoctor");
      const { describeDoctor } = await import("../doctor/describeDoctor");
      const report = await runDoctor({
        environment,
        backendUrl: options.backend ?? defaultBackendUrl(),
        projectDir: options.dir ?? infraDir,
        env: process.env,
      });
      console.log(options.json ? JSON.stringify(report, null, 2) : describeDoctor(report));
      process.exitCode = report.ok ? ExitCode.ok : ExitCode.failure;
    });
}
