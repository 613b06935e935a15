/**
 * `npm start`: validates the dev environment and prints what a deployment would
 * create. Until the local Scaleway exists, nothing is deployed: the plan comes from
 * running the Pulumi program against Pulumi's mocks, without engine or API.
 */
import { basename, resolve } from "node:path";
import { ConfigValidationError, readStackFile } from "@sovstack/components";
import { describeStack } from "./describe";

// `npm start` deploys dev; `npm start -- staging` or `npm start -- path/to/Pulumi.x.yaml` plans another file.
const target = process.argv[2] ?? "dev";
const file = target.endsWith(".yaml")
  ? resolve(target)
  : resolve(import.meta.dirname, "..", "infra", `Pulumi.${target}.yaml`);
const environment = basename(file).replace(/^Pulumi\.|\.yaml$/g, "");

try {
  const report = await describeStack(readStackFile(file), environment);
  console.log(report);
  console.log(
    "\nNothing was deployed: this is the plan of the Pulumi program run against mocks.\n" +
      "To deploy to your Scaleway account, see README.md (Deploying to Scaleway).",
  );
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
  throw error;
}
