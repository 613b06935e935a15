import type { Stack } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { PendingCreatesError } from "./beforeDeploy";
import { deployWithPolicies } from "./deploy";

/** A stand-in for the Automation API's Stack: each call answers the next scripted outcome. */
function scriptedStack(
  outcomes: Array<"ok" | string>,
  deployment: Record<string, unknown> = {},
): { stack: Stack; calls: string[] } {
  const calls: string[] = [];
  const next = (kind: string) => async () => {
    calls.push(kind);
    const outcome = outcomes.shift() ?? "ok";
    if (outcome !== "ok") throw new Error(outcome);
    return { summary: {}, outputs: {} };
  };
  const exportStack = async () => ({ version: 3, deployment });
  return { stack: { preview: next("preview"), up: next("up"), exportStack } as unknown as Stack, calls };
}

describe("deployWithPolicies", () => {
  it("runs the preview with the policy pack before up", async () => {
    const { stack, calls } = scriptedStack(["ok", "ok"]);
    await deployWithPolicies(stack, "dev", { retries: 0 });
    expect(calls).toEqual(["preview", "up"]);
  });

  it("stops at a failed preview: nothing is deployed", async () => {
    const { stack, calls } = scriptedStack(["error: [mandatory] storage-bucket-versioning"]);
    await expect(deployWithPolicies(stack, "staging")).rejects.toThrow(/mandatory/);
    expect(calls).toEqual(["preview"]);
  });

  it("runs up again after a transient API failure", async () => {
    const { stack, calls } = scriptedStack(["ok", "error: scaleway-sdk-go: http error 503 Service Unavailable", "ok"]);
    await deployWithPolicies(stack, "dev", { retries: 2 });
    expect(calls).toEqual(["preview", "up", "up"]);
  }, 20_000);

  it("refuses to deploy over resources a stopped deployment was creating, naming them and the fix", async () => {
    const urn = "urn:pulumi:dev::evalplatform::scaleway:containers/container:Container::evalplatform-dev-api";
    const pending = [{ type: "creating", resource: { urn, type: "scaleway:containers/container:Container" } }];
    const { stack, calls } = scriptedStack([], { resources: [], pending_operations: pending });
    const refused = deployWithPolicies(stack, "dev");
    await expect(refused).rejects.toThrow(PendingCreatesError);
    await expect(refused).rejects.toThrow(/scaleway:containers:Container evalplatform-dev-api\n {4}urn:pulumi:dev::/);
    await expect(refused).rejects.toThrow(
      /--import-pending-creates '<urn>' --import-pending-creates '<id>'.*--clear-pending-creates/s,
    );
    expect(calls).toEqual([]);
  });

  it("deploys over pending updates and deletes, which its refresh resolves", async () => {
    const pending = [{ type: "updating", resource: { urn: "urn:x", type: "scaleway:x/y:Z" } }];
    const { stack, calls } = scriptedStack([], { resources: [], pending_operations: pending });
    await deployWithPolicies(stack, "dev", { retries: 0 });
    expect(calls).toEqual(["preview", "up"]);
  });

  it("does not run again after a failure that is not transient", async () => {
    const { stack, calls } = scriptedStack(["ok", "error: invalid argument(s): node_type is not valid"]);
    await expect(deployWithPolicies(stack, "dev")).rejects.toThrow(/node_type/);
    expect(calls).toEqual(["preview", "up"]);
  });
});
