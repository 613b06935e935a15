/**
 * A deployment for the SIGKILL test, run as its own process: takes the stack's lease,
 * starts an update whose program writes `<marker>` and then runs for a long time, so
 * that the test can kill the whole process group in the middle of it.
 *
 *   tsx killableDeploy.ts <backend url> <stack> <marker file>
 */
import { writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { withStackLease } from "../engine/leasedRun";
import { inlineStack } from "./inlineStack";

const [backendUrl, stackName, marker] = process.argv.slice(2) as [string, string, string];
const stack = await inlineStack({
  backendUrl,
  stackName,
  projectName: "state-check",
  program: async () => {
    new pulumi.ComponentResource("sovstack:test:Part", "before-the-kill");
    writeFileSync(marker, String(process.pid));
    await new Promise((resolve) => setTimeout(resolve, 120_000));
    return { finished: true };
  },
});
await withStackLease({ backendUrl, address: { project: "state-check", stack: stackName }, operation: "up" }, (signal) =>
  stack.up({ signal, message: "sovstack up by the-killed-one" }),
);
