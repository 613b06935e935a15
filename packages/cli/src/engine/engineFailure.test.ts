import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandError, ConcurrentUpdateError } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode } from "../exitCodes";
import { infraDir, localDataDir } from "../paths";
import { describeEngineFailure, EngineFailure, reportingEngineFailures, type EngineContext } from "./engineFailure";
import { policyOptions } from "./policyPack";
import { openStack } from "./workspace";

const PULUMI = "/home/me/.cache/sovstack/toolchain/x/bin/pulumi";

/**
 * A failed engine command as the Automation API reports it: the process library's error
 * (its message: the command line, then stderr and stdout) wrapped in a CommandError whose
 * own stdout is empty and whose stderr is that message.
 */
function engineError(
  args: string,
  stdout: string,
  stderr = "",
  errorClass: typeof CommandError = CommandError,
): CommandError {
  const command = `${PULUMI} ${args} --non-interactive`;
  const message = [`Command failed with exit code 255: ${command}`, stderr, stdout].filter(Boolean).join("\n");
  const run = Object.assign(new Error(message), { stdout, stderr, exitCode: 255, command });
  const result = { stdout: "", stderr: message, code: -2, err: run, toString: () => message };
  return new (errorClass as unknown as new (result: unknown) => CommandError)(result);
}

/** The end of a real preview of staging with the runners made public (the resource lines shortened). */
const POLICY_PREVIEW = `Previewing update (staging):
Loading policy packs...: starting
Loading policy packs...: done

@ previewing update....
 +  pulumi:pulumi:Stack evalplatform-staging create 
 +  scaleway:containers:Container evalplatform-staging-runners create 
 +  pulumi:pulumi:Stack evalplatform-staging create error: preview failed
 +  pulumi:pulumi:Stack evalplatform-staging create 1 error; 2 warnings
Policies:
    ❌ sovstack-scaleway@v0.1.0 (local: /home/me/sovstack/packages/policy)
        - [mandatory]  containers-private-unless-listed  (scaleway:containers/container:Container: evalplatform-staging-runners)
          Serverless containers are private (callers need a token) unless listed in publicServices.
          must be private: set privacy: "private", or, if it is meant to face the internet, add "runners" to publicServices in packages/policy/src/packConfig.ts, then run \`npm run config -w @sovstack/policy\`.

Diagnostics:
  pulumi:pulumi:Stack (evalplatform-staging):
    warning: using pulumi-resource-scaleway from $PATH at /home/me/.cache/sovstack/toolchain/x/bin/pulumi-resource-scaleway
    warning: [WARNING] Variable                   Available sources                                             Currently using
    SCW_ACCESS_KEY             Profile defined in provider{} block, Environment variable     Environment variable
    : Multiple variable sources detected, please make sure the right credentials are used
    error: preview failed

Outputs:
    databaseHost    : [unknown]
    publicEndpoints : [unknown]

`;

/** A real update that failed on a provider call, after the preview passed. */
const FAILED_UPDATE = `Updating (dev):

 +  pulumi:pulumi:Stack evalplatform-dev creating (0s) 
 +  scaleway:containers:Namespace evalplatform-dev-api creating (14s) error: 1 error occurred:
 +  scaleway:containers:Namespace evalplatform-dev-api **creating failed** error: 1 error occurred:
 +  pulumi:pulumi:Stack evalplatform-dev creating (14s) error: update failed
Diagnostics:
  pulumi:pulumi:Stack (evalplatform-dev):
    warning: using pulumi-resource-scaleway from $PATH at /home/me/.cache/sovstack/toolchain/x/bin/pulumi-resource-scaleway
    error: update failed

  scaleway:containers:Namespace (evalplatform-dev-api):
    error:   sdk-v2/provider2.go:571: sdk.helper_schema: scaleway-sdk-go: error executing request: Post "https://api.scaleway.com/containers/v1/regions/fr-par/namespaces": dial tcp: connect: connection refused: provider=scaleway@1.54.0
    error: 1 error occurred:
    \t* scaleway-sdk-go: error executing request: Post "https://api.scaleway.com/containers/v1/regions/fr-par/namespaces": dial tcp: connect: connection refused

Resources:
    + 1 created
    2 errored

Duration: 15s

`;

/** A configuration the program refused, as the engine reports it. */
const INVALID_CONFIGURATION = `Previewing refresh (staging):

Diagnostics:
  pulumi:pulumi:Stack (evalplatform-staging):
    error: The stack configuration in Pulumi.staging.yaml has 1 problem; nothing was created:
      - services.api.memoryMb: 100000 is not valid. Allowed: a whole number from 128 to 8192 MB. Fix: set a value from 128 to 8192.

Resources:
    1 errored

`;

const context = (command: string, streamed: boolean, environment = "staging"): EngineContext => ({
  environment,
  command,
  streamed,
  passphraseSource: "PULUMI_CONFIG_PASSPHRASE",
});

/** What no report may print: the command line, or the engine's output a second time. */
function expectNoRepeat(lines: readonly string[]): void {
  const text = lines.join("\n");
  expect(text).not.toMatch(/Command failed|--non-interactive|\/bin\/pulumi /);
  expect(text).not.toMatch(/publicEndpoints|Previewing update|Resources:|\+ {2}pulumi:pulumi:Stack/);
}

describe("describeEngineFailure", () => {
  const policyVerdict =
    "staging breaks 1 mandatory policy (containers-private-unless-listed on evalplatform-staging-runners); " +
    "nothing changed. Fix: make the change the last line of each finding above asks for, then " +
    "`sovstack preview staging` (docs/troubleshooting.md#policy-violations-exit-5).";

  it("ends a streamed preview that broke a mandatory policy with one verdict line, repeating nothing (exit 5)", () => {
    const report = describeEngineFailure(
      engineError("preview --stack staging", POLICY_PREVIEW),
      context("preview", true),
    );
    expect(report).toEqual({ details: [], verdict: policyVerdict, exitCode: ExitCode.policyViolation });
  });

  it("prints the findings themselves when the output was not streamed (--json), never the command line", () => {
    const report = describeEngineFailure(
      engineError("preview --stack staging", POLICY_PREVIEW),
      context("preview", false),
    );
    expect(report.details).toEqual([
      "- [mandatory]  containers-private-unless-listed  (scaleway:containers/container:Container: evalplatform-staging-runners)",
      "Serverless containers are private (callers need a token) unless listed in publicServices.",
      expect.stringMatching(/^must be private: .*packages\/policy\/src\/packConfig\.ts, then run `npm run config/),
    ]);
    expect(report.verdict).toBe(policyVerdict);
    expectNoRepeat(report.details);
  });

  it("names every broken policy and its resources", () => {
    const two = POLICY_PREVIEW.replace(
      "\n\nDiagnostics:",
      "\n        - [mandatory]  iam-no-full-access  (scaleway:iam/policy:Policy: evalplatform-staging-api)\n" +
        "          IAM policies grant no *FullAccess permission set.\n" +
        "        - [mandatory]  iam-no-full-access  (scaleway:iam/policy:Policy: evalplatform-staging-ui)\n" +
        "          IAM policies grant no *FullAccess permission set.\n\nDiagnostics:",
    );
    const { verdict } = describeEngineFailure(engineError("preview --stack staging", two), context("up", true));
    expect(verdict).toMatch(
      /^staging breaks 2 mandatory policies \(containers-private-unless-listed on evalplatform-staging-runners; iam-no-full-access on evalplatform-staging-api and evalplatform-staging-ui\); nothing changed\./,
    );
  });

  it("says what a failed update leaves and how to go on, from the engine's first cause (exit 1)", () => {
    const streamed = describeEngineFailure(
      engineError("up --yes --stack dev", FAILED_UPDATE),
      context("up", true, "dev"),
    );
    expect(streamed).toEqual({
      details: [],
      verdict:
        "the deployment of dev failed: scaleway:containers:Namespace evalplatform-dev-api: scaleway-sdk-go: error executing request: " +
        'Post "https://api.scaleway.com/containers/v1/regions/fr-par/namespaces": dial tcp: connect: connection refused. ' +
        "What it changed before is recorded in the state; fix the cause, then `sovstack up dev` again.",
      exitCode: ExitCode.failure,
    });

    const json = describeEngineFailure(engineError("up --yes --stack dev", FAILED_UPDATE), context("up", false, "dev"));
    expect(json.details).toEqual([
      "scaleway:containers:Namespace evalplatform-dev-api:",
      expect.stringMatching(/^ {2}error: sdk-v2\/provider2\.go:571: .*connection refused: provider=scaleway@1\.54\.0$/),
      "  error: 1 error occurred:",
      expect.stringMatching(/^ {2}\* scaleway-sdk-go: error executing request: .*connection refused$/),
    ]);
    expectNoRepeat(json.details);
  });

  it("lists a configuration the program refused and exits 3, for a command that does not stream (drift)", () => {
    const report = describeEngineFailure(
      engineError("preview --refresh --stack staging", INVALID_CONFIGURATION),
      context("drift", false),
    );
    expect(report.exitCode).toBe(ExitCode.invalidConfiguration);
    expect(report.details).toEqual([
      "pulumi:pulumi:Stack evalplatform-staging:",
      "  error: The stack configuration in Pulumi.staging.yaml has 1 problem; nothing was created:",
      expect.stringMatching(
        /^ {2}- services\.api\.memoryMb: 100000 is not valid\. .* Fix: set a value from 128 to 8192\.$/,
      ),
    ]);
    expect(report.verdict).toBe(
      'Pulumi.staging.yaml has 1 problem (listed above); nothing was created. Fix: apply each "Fix:", then ' +
        "`sovstack preview staging` (docs/configuration.md).",
    );
  });

  it.each([
    ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE"],
    ["Secret Manager /sovstack/pulumi-passphrase-staging", "Secret Manager /sovstack/pulumi-passphrase-staging"],
    ["the local default, sovstack-local", "the local default, sovstack-local"],
  ])("says a passphrase the stack file's salt refuses came from %s, and the fix (exit 1)", (source, said) => {
    const stderr = "error: could not create secrets manager for new stack: incorrect passphrase\n";
    const report = describeEngineFailure(engineError("stack init staging", "", stderr), {
      ...context("preview", true),
      passphraseSource: source,
    });
    expect(report).toEqual({
      details: ["error: could not create secrets manager for new stack: incorrect passphrase"],
      verdict:
        `infra/Pulumi.staging.yaml's encryptionsalt was made with another passphrase than the one sovstack used (${said}). ` +
        "Fix: export PULUMI_CONFIG_PASSPHRASE=<staging's passphrase>",
      exitCode: ExitCode.failure,
    });
  });

  it("exits 4 on Pulumi's own lock, naming the commands that show and break it", () => {
    const stderr = "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end";
    const report = describeEngineFailure(
      engineError("preview --stack staging", "", stderr, ConcurrentUpdateError),
      context("preview", true),
    );
    expect(report.exitCode).toBe(ExitCode.locked);
    expect(report.verdict).toMatch(/^another deployment of staging holds Pulumi's lock on the stack\. Fix: wait/);
    expect(report.verdict).toContain("`sovstack state unlock staging --force`");
  });

  it("without a context (a command that gives none), takes the stack from the command line and prints the error lines", () => {
    const report = describeEngineFailure(engineError("preview --stack staging", POLICY_PREVIEW));
    expect(report.exitCode).toBe(ExitCode.policyViolation);
    expect(report.details[0]).toMatch(/^- \[mandatory\] {2}containers-private-unless-listed/);
    expect(report.verdict).toMatch(/^staging breaks 1 mandatory policy .*then `sovstack preview staging`/);
    expectNoRepeat(report.details);
  });

  it("reads through the engine's terminal colours", () => {
    const coloured = POLICY_PREVIEW.replace("[mandatory]", "\u001b[31m[mandatory]\u001b[0m");
    expect(describeEngineFailure(engineError("preview --stack staging", coloured), context("preview", true))).toEqual(
      expect.objectContaining({ verdict: policyVerdict }),
    );
  });
});

describe("reportingEngineFailures", () => {
  it("turns an engine failure into an EngineFailure in the command's terms, and lets other errors through", async () => {
    const failure = engineError("preview --stack staging", POLICY_PREVIEW);
    const caught = await reportingEngineFailures(context("preview", true), () => Promise.reject(failure)).catch(
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(EngineFailure);
    expect((caught as EngineFailure).report.exitCode).toBe(ExitCode.policyViolation);
    expect((caught as EngineFailure).cause).toBe(failure);
    const other = new Error("not the engine");
    await expect(reportingEngineFailures(context("preview", true), () => Promise.reject(other))).rejects.toBe(other);
    await expect(reportingEngineFailures(context("preview", true), async () => 42)).resolves.toBe(42);
  });
});

describe("the verdict of a real preview with the policy pack", () => {
  const projects: string[] = [];
  afterAll(() => projects.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("names the policy and the resource after a staging preview made the runners public, and says nothing changed", async () => {
    // A copy of the project under .sovstack/, so that its modules resolve from the repository's node_modules.
    const projectDir = join(localDataDir, "test-projects", `verdict-${process.pid}-${Date.now()}`);
    projects.push(projectDir);
    mkdirSync(projectDir, { recursive: true });
    for (const file of ["Pulumi.yaml", "package.json"]) cpSync(join(infraDir, file), join(projectDir, file));
    writeFileSync(join(projectDir, "index.ts"), 'export * from "../../../infra/index";\n');
    const stackFile = parse(readFileSync(join(infraDir, "Pulumi.staging.yaml"), "utf8"));
    stackFile.config["sovstack:services"].runners.privacy = "public";
    writeFileSync(
      join(projectDir, "Pulumi.staging.yaml"),
      stringify(stackFile, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
    );
    const stack = await openStack({
      environment: "staging",
      projectDir,
      backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-verdict-"))}`,
      env: {
        SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
        SCW_SECRET_KEY: "11111111-1111-4111-8111-111111111111",
        SCW_DEFAULT_PROJECT_ID: "11111111-1111-4111-8111-111111111111",
        SCW_DEFAULT_REGION: "fr-par",
      },
    });
    let streamed = "";
    const failure = await stack
      .preview({ ...policyOptions("staging"), onOutput: (text) => (streamed += text) })
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(CommandError);
    const report = describeEngineFailure(failure as Error, context("preview", true));
    expect(report).toEqual({
      details: [],
      verdict: expect.stringMatching(
        /^staging breaks 1 mandatory policy \(containers-private-unless-listed on evalplatform-staging-runners\); nothing changed\. Fix: /,
      ),
      exitCode: ExitCode.policyViolation,
    });
    // The finding the verdict points at, as the user saw it: the file and the command to run.
    expect(streamed).toMatch(
      /add "runners" to publicServices in packages\/policy\/src\/packConfig\.ts, then run `npm run config -w @sovstack\/policy`/,
    );
    const json = describeEngineFailure(failure as Error, context("preview", false));
    expect(json.details[0]).toMatch(/^- \[mandatory\] {2}containers-private-unless-listed {2}\(/);
    expectNoRepeat(json.details);
  }, 300_000);
});
