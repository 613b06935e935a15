import type { Command } from "commander";
import { BACKEND_HELP, BACKEND_OPTION } from "./backendOption";
import { defaultBackendUrl } from "../engine/defaultBackend";
import { ExitCode } from "../exitCodes";
import { progress, useColor } from "../output";
import { absoluteBackendUrl, redactedUrl } from "../state/backendUrl";
import { UsageError } from "../usageError";

export { UsageError };

interface DeployOptions {
  readonly json?: boolean;
  readonly backend?: string;
  readonly expectNoChanges?: boolean;
  readonly yes?: boolean;
  readonly refresh?: boolean;
  readonly cost?: boolean;
}

/**
 * preview, up, destroy and outputs of an environment, on the Automation API. Each action imports
 * the engine itself: help and usage errors (every command file is loaded for them) stay fast.
 */
export function registerDeployCommands(program: Command): void {
  program
    .command("preview")
    .description("show what `up` would change in an environment, without changing anything")
    .argument("<env>", "environment: dev, staging, production (the Pulumi.<env>.yaml file)")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--expect-no-changes", "exit 2 when the preview has changes")
    .option("--json", "print the change summary and the cost of the change as JSON")
    .option("--no-cost", "do not estimate what the change costs a month")
    .action(async (environment: string, options: DeployOptions) => {
      const { engineContextOf, openStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { policyOptions } = await import("../engine/policyPack");
      const { costDelta, describeDelta, estimateDeployed, estimatePlanned } = await import("../cost");
      const settings = { environment, backendUrl: options.backend, log: progress };
      await reportingEngineFailures(engineContextOf(settings, "preview", !options.json), async () => {
        const stack = await openStack(settings);
        progress(`previewing ${environment}`);
        const result = await stack.preview({
          ...policyOptions(environment),
          color: useColor() ? "always" : "never",
          onOutput: options.json ? undefined : (text) => process.stdout.write(text),
        });
        const changes = Object.entries(result.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
        // What the change costs: the plan of the stack file against what the state holds now.
        const cost =
          options.cost === false
            ? undefined
            : costDelta(
                estimateDeployed(await stack.exportStack(), { environment }),
                await estimatePlanned(environment),
              );
        if (options.json)
          console.log(
            JSON.stringify({ environment, changeSummary: result.changeSummary, cost: cost ?? null }, null, 2),
          );
        else if (cost) console.log(`\n${describeDelta(cost)}`);
        if (options.expectNoChanges && changes.length > 0) process.exitCode = ExitCode.changes;
      });
    });

  program
    .command("up")
    .description("deploy an environment")
    .argument("<env>", "environment to deploy")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print the outputs as JSON when done")
    .option("--no-refresh", "do not read the real resources first (faster; changes made outside code stay unseen)")
    .action(async (environment: string, options: DeployOptions) => {
      const { engineContextOf, withLeasedStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { deployWithPolicies } = await import("../engine/deploy");
      const { endInterrupted } = await import("../engine/interrupt");
      const settings = { environment, backendUrl: options.backend, log: progress };
      const result = await reportingEngineFailures(engineContextOf(settings, "up", !options.json), () =>
        withLeasedStack({ ...settings, operation: "up" }, (stack, run) => {
          progress(`deploying ${environment}`);
          return deployWithPolicies(stack, environment, {
            ...run,
            refresh: options.refresh,
            color: useColor() ? "always" : "never",
            onOutput: options.json ? undefined : (text) => process.stdout.write(text),
            log: progress,
          });
        }),
      ).catch((error: unknown) => endInterrupted(error, `\`sovstack up ${environment}\` again converges.`));
      if (result && options.json) console.log(JSON.stringify(plainOutputs(result.outputs), null, 2));
    });

  program
    .command("destroy")
    .description("delete every resource of an environment")
    .argument("<env>", "environment to destroy")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--yes", "do not ask for confirmation (required without a terminal)")
    .action(async (environment: string, options: DeployOptions) => {
      if (!options.yes) {
        throw new UsageError(
          `destroy deletes every resource of ${environment}, data included. Fix: add --yes if that is what you want.`,
        );
      }
      const { engineContextOf, passphraseSourceOf, withLeasedStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const { endInterrupted, runEngine } = await import("../engine/interrupt");
      const settings = { environment, backendUrl: options.backend, log: progress, create: false };
      const destroyed = await reportingEngineFailures(engineContextOf(settings, "destroy", true), () =>
        withLeasedStack({ ...settings, operation: "destroy" }, async (stack, run) => {
          progress(`destroying ${environment}`);
          await runEngine({ signal: run.signal, onOutput: (text) => process.stdout.write(text) }, (engine) =>
            stack.destroy({ message: run.message, color: useColor() ? "always" : "never", ...engine }),
          );
          return true;
        }),
      ).catch((error: unknown) =>
        endInterrupted(error, `\`sovstack destroy ${environment} --yes\` again deletes what remains.`),
      );
      if (destroyed) {
        const backendUrl = options.backend ? absoluteBackendUrl(options.backend) : defaultBackendUrl();
        console.log(`\n${afterDestroy(environment, backendUrl, passphraseSourceOf(settings))}`);
      }
    });

  program
    .command("outputs")
    .description("print the outputs of an environment (secrets stay hidden)")
    .argument("<env>", "environment")
    .option(BACKEND_OPTION, BACKEND_HELP)
    .option("--json", "print as JSON")
    .action(async (environment: string, options: DeployOptions) => {
      const { engineContextOf, openStack } = await import("../engine/workspace");
      const { reportingEngineFailures } = await import("../engine/engineFailure");
      const settings = { environment, backendUrl: options.backend, log: progress, create: false };
      const outputs = await reportingEngineFailures(engineContextOf(settings, "outputs", false), async () =>
        plainOutputs(await (await openStack(settings)).outputs()),
      );
      if (options.json) console.log(JSON.stringify(outputs, null, 2));
      else
        for (const [key, value] of Object.entries(outputs))
          console.log(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    });
}

/**
 * What remains after a destroy, and how to remove it. The engine ends with "run `pulumi
 * stack rm <env>`", which, as written, would look for the stack in Pulumi Cloud and delete
 * the environment's Pulumi.<env>.yaml with it. sovstack has no command that removes a stack.
 */
export function afterDestroy(environment: string, backendUrl: string, passphraseSource: string): string {
  const shown = redactedUrl(backendUrl);
  const assignments = [`PULUMI_BACKEND_URL='${shown}'`];
  if (passphraseSource.startsWith("the local default, "))
    assignments.push(`PULUMI_CONFIG_PASSPHRASE='${passphraseSource.slice("the local default, ".length)}'`);
  else if (passphraseSource !== "PULUMI_CONFIG_PASSPHRASE")
    assignments.push(`PULUMI_CONFIG_PASSPHRASE='<the value of ${passphraseSource}>'`);
  if (backendUrl.startsWith("s3://"))
    assignments.push('AWS_ACCESS_KEY_ID="$SCW_ACCESS_KEY"', 'AWS_SECRET_ACCESS_KEY="$SCW_SECRET_KEY"');
  return [
    `Every resource of ${environment} is deleted. The ${environment} stack, with its history, stays in ${shown}: ` +
      `\`sovstack state history ${environment}\` lists it, \`sovstack up ${environment}\` deploys it again.`,
    `Pulumi's hint above does not apply as written. To remove the stack itself (sovstack has no command for it), ` +
      `from infra/, with the toolchain's pulumi on PATH (\`eval "$(node ../toolchain/setup.mjs --print-env)"\`):`,
    `  ${assignments.join(" ")} pulumi stack rm ${environment} --preserve-config --yes`,
    `(--preserve-config keeps infra/Pulumi.${environment}.yaml, the environment's file${
      shown === backendUrl ? "" : "; put the backend's password back in place of ***"
    }${passphraseSource === "PULUMI_CONFIG_PASSPHRASE" ? "; PULUMI_CONFIG_PASSPHRASE as exported now" : ""}).`,
  ].join("\n");
}

/** Output values, secrets replaced by a marker. */
export function plainOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, output]) => [key, output.secret ? "[secret]" : output.value]),
  );
}
