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
import { ExitCode } from "./exitCodes";
import { LeaseHeldError } from "./state/lease/lease";
import { paint } from "./output";
import { UsageError } from "./usageError";

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

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof LeaseHeldError) {
    process.stderr.write(`${paint("error:", "red", process.stderr)} ${error.message}\n`);
    return ExitCode.locked;
  }
  if (isInstanceOfClassNamed(error, "ConcurrentUpdateError")) {
    process.stderr.write(
      `${paint("error:", "red", process.stderr)} another deployment of this stack is running (Pulumi's lock).\n`,
    );
    return ExitCode.locked;
  }
  if (isInstanceOfClassNamed(error, "CommandError")) {
    const text = String(error.message);
    process.stderr.write(
      `${paint("error:", "red", process.stderr)} the Pulumi engine failed:\n${engineErrors(error)}\n`,
    );
    if (/has \d+ problems?; nothing was created/.test(text)) return ExitCode.invalidConfiguration;
    return /\[mandatory\]/.test(text) ? ExitCode.policyViolation : ExitCode.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${paint("error:", "red", process.stderr)} ${message}\n`);
  if (error instanceof UsageError) return ExitCode.usage;
  if (isInstanceOfClassNamed(error, "ConfigValidationError") || /has \d+ problems?; nothing was created/.test(message))
    return ExitCode.invalidConfiguration;
  return ExitCode.failure;
}

/**
 * What the engine said went wrong: its stderr and the error lines of its stdout. Commands
 * that stream the engine's output show it above too; `--json` and drift do not stream it.
 */
function engineErrors(error: Error): string {
  const result = (error as Error & { commandResult?: { stdout?: string; stderr?: string } }).commandResult;
  const errorLines = (result?.stdout ?? "").split("\n").filter((line) => /\berror\b|\[mandatory\]/i.test(line));
  const stderr = (result?.stderr ?? "").trim().split("\n");
  const lines = [...new Set([...errorLines, ...stderr].map((line) => line.trimEnd()).filter(Boolean))];
  return (lines.length ? lines.slice(-40) : [error.message]).map((line) => `  ${line}`).join("\n");
}

/**
 * `instanceof` by class name, for the errors of the Automation API (CommandError and its subclasses)
 * and of @sovstack/components: importing those modules here would load Pulumi and zod on every
 * start, help and usage errors included, for errors that only a command which loaded them can throw.
 */
function isInstanceOfClassNamed(error: unknown, className: string): error is Error {
  if (!(error instanceof Error)) return false;
  for (let proto: unknown = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto))
    if ((proto as { constructor?: { name?: string } }).constructor?.name === className) return true;
  return false;
}
