/**
 * `npm start`: validates the dev environment and prints what a deployment would
 * create. Until the local Scaleway exists, nothing is deployed: the plan comes from
 * running the Pulumi program against Pulumi's mocks, without engine or API.
 */
import { resolve } from "node:path";
import { ConfigValidationError, readStackFile } from "@sovstack/components";
import { describeStack } from "./describe";

const environment = process.argv[2] ?? "dev";
const file = resolve(import.meta.dirname, "..", "infra", `Pulumi.${environment}.yaml`);

try {
  const report = await describeStack(readStackFile(file), environment);
  console.log(report);
  console.log(
    "\nNothing was deployed: this is the plan of the Pulumi program run against mocks.\n" +
      "To deploy to your Scaleway account, see README.md (Deploying to Scaleway).",
  );
} catch (error) {
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
