import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { infraDir, localDataDir } from "../paths";
import { deployWithPolicies } from "./deploy";
import { openStack } from "./workspace";

const offline = {
  SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
  SCW_SECRET_KEY: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_PROJECT_ID: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_REGION: "fr-par",
};

/**
 * A copy of the evaluation platform's project with a changed environment file. It lives
 * under .sovstack/ so that its modules resolve from the repository's node_modules.
 */
const projects: string[] = [];
afterAll(() => projects.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function projectWith(environment: string, change: (config: Record<string, any>) => void): string {
  const dir = join(localDataDir, "test-projects", `${environment}-${process.pid}-${Date.now()}`);
  projects.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const file of ["Pulumi.yaml", "package.json"]) cpSync(join(infraDir, file), join(dir, file));
  writeFileSync(join(dir, "index.ts"), 'export * from "../../../infra/index";\n');
  const stackFile = parse(readFileSync(join(infraDir, `Pulumi.${environment}.yaml`), "utf8"));
  change(stackFile.config);
  // Quoted strings: unquoted, a date would reach the program as a timestamp.
  writeFileSync(
    join(dir, `Pulumi.${environment}.yaml`),
    stringify(stackFile, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }),
  );
  return dir;
}

describe("the policy pack with the real engine", () => {
  it("stops an insecure staging deployment before any change, naming the policy, the resource and the fix", async () => {
    const projectDir = projectWith("staging", (config) => {
      config["sovstack:buckets"].assets.versioning = false;
      config["sovstack:services"].api.permissions = ["ObjectStorageFullAccess"];
      config["sovstack:services"].api.allowFullAccess = true;
    });
    const stack = await openStack({
      environment: "staging",
      projectDir,
      backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-policy-"))}`,
      env: offline,
    });
    let output = "";
    const error = await deployWithPolicies(stack, "staging", { onOutput: (text) => (output += text) }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(output).toMatch(
      /\[mandatory\]\s+storage-bucket-versioning\s+\(scaleway:object\/bucket:Bucket: evalplatform-staging-assets\)\s+(?:.*\n\s*)?must keep object versions: set versioning/,
    );
    expect(output).toMatch(
      /\[mandatory\]\s+iam-no-full-access\s+\(scaleway:iam\/policy:Policy: evalplatform-staging-api\)\s+(?:.*\n\s*)?must not grant ObjectStorageFullAccess/,
    );
    // The preview stopped it: the stack holds no resource at all.
    const state = await stack.exportStack();
    expect(state.deployment?.resources ?? []).toEqual([]);
  }, 300_000);

  it("only warns in dev", async () => {
    const projectDir = projectWith("dev", (config) => {
      config["sovstack:buckets"].assets.versioning = false;
    });
    const stack = await openStack({
      environment: "dev",
      projectDir,
      backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-policy-"))}`,
      env: offline,
    });
    const { policyOptions } = await import("./policyPack");
    const result = await stack.preview(policyOptions("dev"));
    expect(result.stdout).toMatch(
      /\[advisory\]\s+storage-bucket-versioning\s+\(scaleway:object\/bucket:Bucket: evalplatform-dev-assets\)/,
    );
  }, 300_000);
});
