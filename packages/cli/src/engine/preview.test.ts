import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as scaleway from "@pulumiverse/scaleway";
import { describe, expect, it } from "vitest";
import { ensureToolchain } from "./toolchain";
import { policyOptions } from "./policyPack";
import { openStack, pulumiIn } from "./workspace";

/** Credentials of the right shape: a preview of new resources calls no Scaleway API. */
const offline = {
  SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
  SCW_SECRET_KEY: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_PROJECT_ID: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_REGION: "fr-par",
};

const expected: Record<string, number> = { dev: 57, staging: 57, production: 68 };

describe("preview with the real engine and the real Scaleway provider, offline", () => {
  it.each(Object.keys(expected))(
    "previews %s, passing the policy pack",
    async (environment) => {
      const stack = await openStack({
        environment,
        backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-preview-"))}`,
        env: offline,
      });
      const result = await stack.preview(policyOptions(environment));
      expect(result.changeSummary).toEqual({ create: expected[environment] });
      expect(result.stdout).toContain("Policies:");
      expect(result.stdout).not.toMatch(/\[(mandatory|advisory)\]/);
    },
    180_000,
  );

  it("fails with the provider's own message on an input the provider rejects", async () => {
    const toolchain = await ensureToolchain();
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: "rejected",
        projectName: "provider-check",
        program: async () => {
          new scaleway.containers.Container("api", { namespaceId: "ns", image: "nginx:1", privacy: "internal" });
        },
      },
      {
        pulumiCommand: await pulumiIn(toolchain.binDir),
        envVars: {
          ...toolchain.env,
          ...offline,
          PULUMI_BACKEND_URL: `file://${mkdtempSync(join(tmpdir(), "sovstack-preview-"))}`,
          PULUMI_CONFIG_PASSPHRASE: "preview-test",
        },
      },
    );
    await expect(stack.preview()).rejects.toThrow(/expected privacy to be one of \["public" "private"\], got internal/);
  }, 180_000);
});
