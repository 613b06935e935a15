/**
 * `npm start`: starts the local Scaleway, deploys the dev environment to it with the
 * real Pulumi engine and Scaleway provider, prints the outputs and how to reach each
 * thing, then keeps the local Scaleway running until Ctrl-C.
 *
 *   npm start                       deploy dev (state kept in .sovstack/scaleway-local)
 *   npm start -- --reset            start from nothing
 *   npm start -- --exit             stop once deployed (CI, benchmarks)
 *   npm start -- --plan [env|file]  only validate and print the plan, without deploying
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigValidationError, parseStackConfig, readStackFile } from "@sovstack/components";
import { checkDeployedStack, describeReport } from "../packages/cli/src/checks/stackChecks";
import { DeploymentInterrupted } from "../packages/cli/src/engine/interrupt";
import { ExitCode } from "../packages/cli/src/exitCodes";
import { progress } from "../packages/cli/src/output";
import { describeStack } from "./describe";
import { deployLocally } from "./localDeploy";
import { reachability } from "./reachability";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reset: { type: "boolean", default: false },
    exit: { type: "boolean", default: false },
    plan: { type: "boolean", default: false },
  },
});

const target = positionals[0] ?? "dev";
const file = target.endsWith(".yaml")
  ? resolve(target)
  : resolve(import.meta.dirname, "..", "infra", `Pulumi.${target}.yaml`);
const environment = basename(file).replace(/^Pulumi\.|\.yaml$/g, "");

try {
  const raw = readStackFile(file);
  // Every configuration problem is reported before anything starts.
  parseStackConfig(raw, basename(file));
  if (values.plan) {
    console.log(await describeStack(raw, environment));
    process.exit(0);
  }
  if (environment !== "dev")
    throw new Error(`npm start deploys dev to the local Scaleway; for ${environment}, use --plan.`);
  const deployment = await deployLocally({
    reset: values.reset,
    log: progress,
    onOutput: (text) => process.stdout.write(text),
  });
  console.log(`\n${reachability(deployment)}`);
  const checks = await checkDeployedStack(deployment.stack, deployment.local.env());
  console.log(`\nChecks of the deployed stack:\n${describeReport(checks)}`);
  if (values.exit || process.env.CI) {
    await deployment.local.stop();
  } else {
    console.log(
      "\nThe local Scaleway keeps running; press Ctrl-C to stop it (its data stays for the next `npm start`).",
    );
    const stop = async () => {
      await deployment.local.stop();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    console.error(
      `No environment file ${file}. Fix: pass dev, staging, production or the path of a Pulumi.<env>.yaml.`,
    );
    process.exit(1);
  }
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof DeploymentInterrupted) {
    console.error(`${error.message} \`npm start\` again converges.`);
    process.exit(ExitCode.interrupted);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
