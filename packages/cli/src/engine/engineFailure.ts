/**
 * What sovstack says when an engine command (a preview, an update, `pulumi stack init`...)
 * failed: the engine's own error lines when the user has not seen them (its output was
 * not streamed: `--json`, drift, or its stderr, which is never streamed), then one verdict
 * line: what failed, what that means for the stack, the fix. Never the `pulumi` command
 * line, and never again what was streamed. Free of the Automation API: cli.ts loads it.
 */
import { ExitCode } from "../exitCodes";

export interface EngineContext {
  readonly environment: string;
  /** The sovstack command that ran the engine: preview, up, destroy, drift, outputs, check. */
  readonly command: string;
  /** The engine's stdout was shown as it ran: its error lines are above already. */
  readonly streamed: boolean;
  /** Where the secrets passphrase given to the engine came from (see passphraseSourceOf). */
  readonly passphraseSource?: string;
}

export interface EngineFailureReport {
  /** The engine's error lines the user has not seen, printed before the verdict. */
  readonly details: readonly string[];
  /** The last line, without its `error: ` prefix. */
  readonly verdict: string;
  readonly exitCode: number;
}

/** An engine command failed; `report` says it (cli.ts prints it). */
export class EngineFailure extends Error {
  constructor(
    readonly report: EngineFailureReport,
    options?: ErrorOptions,
  ) {
    super(report.verdict, options);
    this.name = "EngineFailure";
  }
}

/** Whether an error is the Automation API's CommandError (or a subclass), by class name: see cli.ts. */
export function isCommandError(error: unknown): error is Error {
  return isInstanceOfClassNamed(error, "CommandError");
}

export function isInstanceOfClassNamed(error: unknown, className: string): error is Error {
  if (!(error instanceof Error)) return false;
  for (let proto: unknown = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto))
    if ((proto as { constructor?: { name?: string } }).constructor?.name === className) return true;
  return false;
}

/** Runs `work`; an engine failure in it becomes an EngineFailure saying it in the terms of `context`. */
export async function reportingEngineFailures<T>(context: EngineContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isCommandError(error)) throw error;
    throw new EngineFailure(describeEngineFailure(error, context), { cause: error });
  }
}

interface EngineOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode?: number;
  /** The `pulumi` command line: only its --stack is used. */
  readonly command?: string;
}

/**
 * The engine's own stdout and stderr. The Automation API's CommandError keeps, as its
 * stderr, the message of the process library (the command line, then stderr and stdout
 * together); the process error it wraps has each stream on its own.
 */
function engineOutputOf(error: Error): EngineOutput {
  const result = (error as { commandResult?: { stdout?: string; stderr?: string; code?: number; err?: unknown } })
    .commandResult;
  const run = result?.err as { stdout?: unknown; stderr?: unknown; exitCode?: number; command?: string } | undefined;
  if (typeof run?.stdout === "string" || typeof run?.stderr === "string")
    return {
      stdout: plain(String(run.stdout ?? "")),
      stderr: plain(String(run.stderr ?? "")),
      exitCode: run.exitCode,
      command: run.command,
    };
  return {
    stdout: plain(result?.stdout ?? ""),
    stderr: plain(result?.stderr ?? error.message),
    exitCode: result?.code,
  };
}

/** Without terminal colours (the engine colours its output on a terminal). */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The lines of a section of the engine's summary ("Policies:", "Diagnostics:"), up to the next one. */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.trimEnd() === title);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() !== "" && indentOf(line) === 0);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

interface Finding {
  readonly policy: string;
  /** The resource's name, or undefined for a stack-wide policy. */
  readonly resource?: string;
  /** The finding as the engine printed it: its line, what the policy wants, the fix. */
  readonly lines: readonly string[];
}

/** Lines after `at` indented deeper than it (the text of a finding or of a diagnostic). */
function continuation(lines: readonly string[], at: number, alsoAtSameIndent: (line: string) => boolean): string[] {
  const indent = indentOf(lines[at]!);
  const result: string[] = [];
  for (let index = at + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === "") break;
    if (indentOf(line) > indent || (indentOf(line) === indent && alsoAtSameIndent(line))) result.push(line);
    else break;
  }
  return result;
}

/** The mandatory findings of the policy pack: `- [mandatory]  <policy>  (<type>: <name>)` and the lines below. */
function mandatoryFindings(stdout: string): Finding[] {
  const lines = section(stdout, "Policies:");
  const findings: Finding[] = [];
  lines.forEach((line, index) => {
    const match = /^\s*- \[mandatory\]\s+(\S+)(?:\s+\((.*)\))?\s*$/.exec(line);
    if (!match) return;
    const resource = match[2]?.split(": ").at(-1);
    findings.push({ policy: match[1]!, resource, lines: [line, ...continuation(lines, index, () => false)] });
  });
  return findings;
}

interface Diagnostic {
  /** `scaleway:containers:Namespace ns`, from the header the engine groups diagnostics under. */
  readonly resource?: string;
  /** The error, `error: ` removed, with its continuation lines. */
  readonly lines: readonly string[];
}

/** The engine's own summary of a failure, which the diagnostics repeat: not a cause. */
const GENERIC = /^(preview|update|destroy|refresh|import) failed$/;
const SEVERITY = /^\s*(error|warning|info|debug): ?/;

/** The `error:` diagnostics of the engine's summary, per resource. */
function errorDiagnostics(stdout: string): Diagnostic[] {
  const lines = section(stdout, "Diagnostics:");
  const diagnostics: Diagnostic[] = [];
  let resource: string | undefined;
  lines.forEach((line, index) => {
    const header = /^\s{2}(\S+) \((.+)\):$/.exec(line);
    if (header) {
      resource = `${header[1]} ${header[2]}`;
      return;
    }
    if (!/^\s*error:/.test(line)) return;
    const text = line.replace(SEVERITY, "").trim();
    if (GENERIC.test(text)) return;
    // Lines at the same indentation that start no new diagnostic belong to this one.
    diagnostics.push({
      resource,
      lines: [text, ...continuation(lines, index, (next) => !SEVERITY.test(next))],
    });
  });
  return diagnostics;
}

/** The first line of a provider's error, without where in its Go code it was raised. */
function cleanCause(text: string): string {
  return text
    .replace(/^\S+\.go:\d+:\s*/, "")
    .replace(/^sdk\.helper_schema:\s*/, "")
    .replace(/: provider=\S+$/, "")
    .trim();
}

/** The diagnostics as lines to print: the resource, then its errors. */
function diagnosticLines(diagnostics: readonly Diagnostic[]): string[] {
  const lines: string[] = [];
  let resource: string | undefined;
  for (const diagnostic of diagnostics) {
    if (diagnostic.resource && diagnostic.resource !== resource) lines.push(`${diagnostic.resource}:`);
    resource = diagnostic.resource;
    const [first, ...rest] = diagnostic.lines;
    lines.push(`  error: ${first}`, ...rest.map((line) => `  ${line.trim()}`));
  }
  return lines;
}

function environmentOf(output: EngineOutput, context?: EngineContext): string | undefined {
  return context?.environment ?? /--stack\s+(\S+)/.exec(output.command ?? "")?.[1];
}

/** Whether the engine only planned (a preview), so that nothing in Scaleway changed. */
function changedNothing(output: EngineOutput, context?: EngineContext): boolean {
  if (context && ["preview", "drift", "outputs", "check"].includes(context.command)) return true;
  return !/^(Updating|Destroying|Refreshing|Importing) \(/m.test(output.stdout);
}

/** What a failed update or destroy leaves: the state records what it did before it stopped. */
function aftermath(output: EngineOutput, context?: EngineContext): string {
  if (changedNothing(output, context)) return "nothing changed";
  return context?.command === "destroy"
    ? "what it deleted before is recorded in the state"
    : "what it changed before is recorded in the state";
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
function list(items: readonly string[], most = 3): string {
  if (items.length > most) return `${items.slice(0, most).join(", ")} and ${items.length - most} more`;
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
}

function policyVerdict(findings: readonly Finding[], stack: string, environment: string | undefined, after: string) {
  const byPolicy = new Map<string, string[]>();
  for (const finding of findings) {
    const resources = byPolicy.get(finding.policy) ?? [];
    if (finding.resource && !resources.includes(finding.resource)) resources.push(finding.resource);
    byPolicy.set(finding.policy, resources);
  }
  const named = [...byPolicy].map(([policy, resources]) =>
    resources.length > 0 ? `${policy} on ${list(resources)}` : policy,
  );
  const count = byPolicy.size === 1 ? "1 mandatory policy" : `${byPolicy.size} mandatory policies`;
  const preview = environment ? `\`sovstack preview ${environment}\`` : "a preview";
  return (
    `${stack} breaks ${count} (${named.join("; ")}); ${after}. Fix: make the change the last line of each ` +
    `finding above asks for, then ${preview} (docs/troubleshooting.md#policy-violations-exit-5).`
  );
}

/** The engine's verdict on a configuration the program refused: "The stack configuration in X has N problems". */
const CONFIG_PROBLEMS = /The stack configuration(?: in (\S+))? has (\d+ problems?); nothing was created/;

/**
 * The report of an engine failure: the details the user has not seen and one verdict,
 * with the exit code (exitCodes.ts): 5 for a mandatory policy, 3 for an invalid
 * configuration, 4 for Pulumi's lock, else 1. Without a context (a command that does
 * not give one), the engine's stdout counts as not seen.
 */
export function describeEngineFailure(error: Error, context?: EngineContext): EngineFailureReport {
  const output = engineOutputOf(error);
  const environment = environmentOf(output, context);
  const stack = environment ?? "the stack";
  const findings = mandatoryFindings(output.stdout);
  const diagnostics = errorDiagnostics(output.stdout);
  const stderr = output.stderr
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  const unseen = context?.streamed
    ? []
    : [...findings.flatMap((finding) => finding.lines.map((line) => line.trim())), ...diagnosticLines(diagnostics)];
  const details = [...new Set([...unseen, ...stderr])];
  const report = (verdict: string, exitCode: number): EngineFailureReport => ({ details, verdict, exitCode });
  const everything = `${output.stdout}\n${output.stderr}`;

  if (isInstanceOfClassNamed(error, "ConcurrentUpdateError")) {
    const name = environment ?? "<env>";
    return report(
      `another deployment of ${stack} holds Pulumi's lock on the stack. Fix: wait for it to end; if none is running, ` +
        `\`sovstack state lock ${name}\` shows the lock and \`sovstack state unlock ${name} --force\` removes it ` +
        "(docs/runbooks/stuck-lock.md).",
      ExitCode.locked,
    );
  }
  if (findings.length > 0)
    return report(policyVerdict(findings, stack, environment, aftermath(output, context)), ExitCode.policyViolation);
  const invalid = CONFIG_PROBLEMS.exec(everything);
  if (invalid) {
    const file = invalid[1] ?? (environment ? `Pulumi.${environment}.yaml` : "the stack file");
    return report(
      `${file} has ${invalid[2]} (listed above); nothing was created. Fix: apply each "Fix:", then ` +
        `\`sovstack preview ${environment ?? "<env>"}\` (docs/configuration.md).`,
      ExitCode.invalidConfiguration,
    );
  }
  if (/incorrect passphrase/.test(everything)) {
    const file = `infra/Pulumi.${environment ?? "<env>"}.yaml`;
    const source = context?.passphraseSource ? ` (${context.passphraseSource})` : "";
    return report(
      `${file}'s encryptionsalt was made with another passphrase than the one sovstack used${source}. ` +
        `Fix: export PULUMI_CONFIG_PASSPHRASE=<${environment ?? "the stack"}'s passphrase>`,
      ExitCode.failure,
    );
  }
  return report(genericVerdict(output, diagnostics, stderr, stack, context), ExitCode.failure);
}

/** What failed, the first cause the engine gave, and what it means for the stack. */
function genericVerdict(
  output: EngineOutput,
  diagnostics: readonly Diagnostic[],
  stderr: readonly string[],
  stack: string,
  context?: EngineContext,
): string {
  const first = diagnostics[0];
  const fromStderr = stderr.map((line) => line.replace(SEVERITY, "").trim()).find((line) => !GENERIC.test(line));
  const cause = first ? withResource(cleanCause(first.lines[0]!), first.resource) : fromStderr;
  const said = (cause ?? `the engine exited with code ${output.exitCode ?? "unknown"}`).replace(/[.:\s]+$/, "");
  const what: Record<string, string> = {
    preview: `the preview of ${stack}`,
    up: `the deployment of ${stack}`,
    rollback: `the rollback of ${stack}`,
    destroy: `destroying ${stack}`,
    drift: `reading ${stack} back from Scaleway`,
    outputs: `reading the outputs of ${stack}`,
    check: `reading the state of ${stack}`,
  };
  const failed =
    context && what[context.command] ? `${what[context.command]} failed` : `the Pulumi engine failed on ${stack}`;
  const again = context && ["up", "destroy"].includes(context.command) && !changedNothing(output, context);
  const next = again
    ? `; fix the cause, then \`sovstack ${context.command} ${context.environment}${context.command === "destroy" ? " --yes" : ""}\` again`
    : "";
  return `${failed}: ${said}. ${capitalised(aftermath(output, context))}${next}.`;
}

/** The cause, after the resource it happened to unless it names it already. */
function withResource(cause: string, resource: string | undefined): string {
  if (!resource || cause.includes(resource.split(" ").at(-1)!)) return cause;
  return `${resource}: ${cause}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
