/**
 * AWS_CA_BUNDLE in the user's shell (some distributions and corporate setups export it)
 * must not reach the Scaleway provider: its S3 client cannot take a CA bundle and every
 * Object Storage call would fail. A one-bucket program on the local Scaleway, with the
 * variable set in this process's environment as a shell would set it.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { infraDir, localDataDir } from "../paths";
import { openStack } from "./workspace";

const PROGRAM = `import * as scaleway from "@pulumiverse/scaleway";

const bucket = new scaleway.object.Bucket("assets", { name: "sovstack-ca-bundle-test", forceDestroy: true });
export const bucketName = bucket.name;
`;

describe("the engine's environment with AWS_CA_BUNDLE set in the shell", () => {
  let local: LocalScaleway;
  let projectDir: string;
  const saved = process.env.AWS_CA_BUNDLE;

  beforeAll(async () => {
    local = await startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-ca-bundle-")) });
    // A real bundle (the local proxy's CA): the failure is the provider's S3 client, not the file.
    process.env.AWS_CA_BUNDLE = local.env().SSL_CERT_FILE;
    // Under .sovstack/, so that the program's modules resolve from the repository's node_modules.
    projectDir = join(localDataDir, "test-projects", `ca-bundle-${process.pid}-${Date.now()}`);
    mkdirSync(projectDir, { recursive: true });
    cpSync(join(infraDir, "Pulumi.yaml"), join(projectDir, "Pulumi.yaml"));
    cpSync(join(infraDir, "package.json"), join(projectDir, "package.json"));
    writeFileSync(join(projectDir, "index.ts"), PROGRAM);
  }, 120_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env.AWS_CA_BUNDLE;
    else process.env.AWS_CA_BUNDLE = saved;
    rmSync(projectDir, { recursive: true, force: true });
    await local?.stop();
  });

  it("creates a bucket and reads it back (a refresh, as drift and up do)", async () => {
    // The local Scaleway's variables as a user exports them (npm start prints them), without AWS_CA_BUNDLE.
    const { AWS_CA_BUNDLE: _printedEmpty, ...shell } = local.env();
    const stack = await openStack({
      environment: "dev",
      projectDir,
      backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-ca-bundle-state-"))}`,
      env: shell,
    });
    const up = await stack.up();
    expect(up.outputs.bucketName?.value).toBe("sovstack-ca-bundle-test");
    const refresh = await stack.refresh();
    expect(refresh.stdout).not.toMatch(/unable to add custom RootCAs/);
    expect(refresh.summary.result).toBe("succeeded");
    await stack.destroy();
  }, 300_000);
});
