/**
 * sovstack: deploy and operate a Scaleway stack defined with Pulumi.
 * Every command has --help; exit codes are in exitCodes.ts and docs/cli.md.
 */
import { Command, CommanderError } from "commander";
import { registerCheckCommand } from "./commands/check";
import { registerDeployCommands } from "./commands/deploy";
import { registerCostCommand } from "./commands/cost";
import { registerDoctorCommand } from "./commands/doctor";
import { registerDriftCommand } from "./commands/drift";
import { registerInitCommand } from "./commands/init";
import { registerRollbackCommand } from "./commands/rollback";
import { registerStateCommands } from "./commands/state";
// Free of the Automation API: classes are recognised by name (see isInstanceOfClassNamed), so that
// help and usage errors do not load Pulumi, nor @sovstack/components (ConfigValidationError).
import { describeEngineFailure, EngineFailure, isCommandError, isInstanceOfClassNamed } from "./engine/engineFailure";
import { ExitCode } from "./exitCodes";
import { LeaseHeldError } from "./state/lease/lease";
import { printError } from "./output";
import { UsageError } from "./usageError";

// The AWS SDK warns, once per process, that its releases after January 2027 will need Node.js
// 22; sovstack pins its release, which runs on the Node.js 20.19 it supports, so the warning
// (on every s3:// command) asks its users for nothing. The SDK's own switch; a value set by
// the user wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const program = new Command()
  .name("sovstack")
  .description("Deploy and operate an application on Scaleway with Pulumi: secure defaults, sovereign state.")
  .version("0.1.0")
  .showHelpAfterError()
  // Options after a command are that command's: `state verify dev --version 3` is not `sovstack --version`.
  .enablePositionalOptions()
  .exitOverride();

registerDeployCommands(program);
registerCheckCommand(program);
registerStateCommands(program);
registerRollbackCommand(program);
registerCostCommand(program);
registerDriftCommand(program);
registerDoctorCommand(program);
registerInitCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

/** Says what went wrong on stderr, ending with one `error:` line, and answers the exit code. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof LeaseHeldError) {
    printError(error.message);
    return ExitCode.locked;
  }
  // An engine failure a command described in its own terms, or one it let through (no context).
  const engine =
    error instanceof EngineFailure ? error.report : isCommandError(error) ? describeEngineFailure(error) : undefined;
  if (engine) {
    if (engine.details.length > 0) process.stderr.write(`${engine.details.map((line) => `  ${line}`).join("\n")}\n`);
    printError(engine.verdict);
    return engine.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(message);
  if (error instanceof UsageError) return ExitCode.usage;
  if (isInstanceOfClassNamed(error, "ConfigValidationError") || /has \d+ problems?; nothing was created/.test(message))
    return ExitCode.invalidConfiguration;
  return ExitCode.failure;
}
