import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ConfigValidationError, planProgram, readStackFile, validateStackConfig } from "@sovstack/components";
import { describe, expect, it } from "vitest";
import { evalPlatform } from "../../../../infra/program";
import { policyConfigPath, settingsWithPublicServices } from "../../../policy/src/configFile";
import { policyPackConfig } from "../../../policy/src/packConfig";
import { policies } from "../../../policy/src/policies";
import { runPolicies } from "../../../policy/src/policyHarness";
import { policyPackDir } from "../engine/policyPack";
import { UsageError } from "../usageError";
import { infraDir } from "../paths";
import { initStack as initStackIn, type InitOptions } from "./initStack";
import type { ScaffoldRequest } from "./choices";
import { describeInit } from "./nextSteps";
import { streamPrompter } from "./prompter";

const PROJECT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** A fresh Pulumi project folder holding the evaluation platform's Pulumi.yaml and the given stack files. */
function project(...environments: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "sovstack-init-"));
  mkdirSync(join(dir, "policy-config"));
  copyFileSync(join(infraDir, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  for (const env of environments) copyFileSync(join(infraDir, `Pulumi.${env}.yaml`), join(dir, `Pulumi.${env}.yaml`));
  return dir;
}

/** sovstack init, its policy config written in the project's scratch folder rather than the policy package. */
const initStack = (request: ScaffoldRequest, options: InitOptions = {}) =>
  initStackIn(request, { policyConfigDir: join(request.projectDir, "policy-config"), ...options });

function validated(path: string) {
  const result = validateStackConfig(readStackFile(path));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe("sovstack init from flags", () => {
  it("writes a stack file that passes validation, with the flags' values and the preset's shape", async () => {
    const dir = project();
    const result = await initStack({
      environment: "qa",
      projectDir: dir,
      size: "medium",
      region: "nl-ams",
      owner: "data-team",
      costCenter: "research",
      projectId: PROJECT_ID,
    });
    expect(result.path).toBe(join(dir, "Pulumi.qa.yaml"));
    const config = validated(result.path);
    expect(config).toMatchObject({
      environment: "staging",
      namePrefix: "evalplatform-qa",
      region: "nl-ams",
      owner: "data-team",
      costCenter: "research",
      projectId: PROJECT_ID,
    });
    // medium is staging's shape: one instance of the API, one database node, 14 days of backups.
    expect(config.services.api).toMatchObject({ minScale: 1, maxScale: 4 });
    expect(config.database).toMatchObject({ highAvailability: false, backups: { retentionDays: 14 } });
    const text = readFileSync(result.path, "utf8");
    expect(text).not.toContain("encryptionsalt");
    expect(text).toMatch(
      /^# qa: the staging tier, scaffolded by `sovstack init` from the medium preset \(shaped like staging\)\./,
    );
  });

  it("names the tier after an environment called dev, staging or production, with its own size", async () => {
    const result = await initStack({ environment: "production", projectDir: project(), owner: "ops" });
    expect(validated(result.path)).toMatchObject({
      environment: "production",
      namePrefix: "evalplatform",
      owner: "ops",
      database: { highAvailability: true, readReplica: true, deletionProtection: true },
    });
  });

  it("prints where the passphrase goes and the next commands", async () => {
    const dir = project();
    const result = await initStack({ environment: "demo", projectDir: dir, size: "small" });
    const text = describeInit(result, dir);
    expect(text).toContain("Created Pulumi.demo.yaml: the dev tier in fr-par, from the small preset (shaped like dev)");
    expect(text).toContain("Project: not set (SCW_DEFAULT_PROJECT_ID is used when deploying).");
    expect(text).toContain("The secrets passphrase of demo: on a shared backend (s3:// or postgres://), once,");
    expect(text).toContain("      sovstack state init --environments demo\n");
    expect(text).toContain("Scaleway Secret Manager (/sovstack/pulumi-passphrase-demo)");
    expect(text).toContain("Pulumi adds the encryptionsalt line");
    expect(text).toContain(
      "Policy config: wrote policy-config/demo.json: the dev tier's levels, public services api, ui, docs; preview and up read it for demo.",
    );
    expect(text).toContain("1. Review Pulumi.demo.yaml and policy-config/demo.json");
    expect(text).toContain("sovstack preview demo");
  });

  it("refuses to overwrite an existing file unless forced", async () => {
    const dir = project();
    const path = join(dir, "Pulumi.qa.yaml");
    writeFileSync(path, "# mine\n");
    await expect(initStack({ environment: "qa", projectDir: dir })).rejects.toThrow(UsageError);
    await expect(initStack({ environment: "qa", projectDir: dir })).rejects.toThrow(/exists already.*--force/);
    expect(readFileSync(path, "utf8")).toBe("# mine\n");
    await initStack({ environment: "qa", projectDir: dir }, { force: true });
    expect(validated(path).environment).toBe("dev");
  });

  it.each(["QA", "qa_1", "-qa", "qa-", "1qa", "q".repeat(33)])("rejects the environment name %j", async (name) => {
    const dir = project();
    const attempt = initStack({ environment: name, projectDir: dir });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(initStack({ environment: name, projectDir: dir })).rejects.toThrow(
      /is not a valid environment name: use 1 to 32 lowercase letters, digits and single dashes/,
    );
  });

  it("writes nothing when a value is invalid, naming the key, the rule and the flag", async () => {
    const dir = project();
    const attempt = initStack({ environment: "qa", projectDir: dir, owner: "!!", projectId: "not-a-uuid" });
    await expect(attempt).rejects.toThrow(ConfigValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as ConfigValidationError;
    expect(error.issues.map((issue) => issue.key).sort()).toEqual(["owner", "projectId"]);
    expect(error.message).toMatch(/owner: "!!" is not valid\. .*letters.*\(sovstack init sets it with --owner\)/);
    expect(existsSync(join(dir, "Pulumi.qa.yaml"))).toBe(false);
  });

  it("refuses a name prefix and tier that another environment of the project uses", async () => {
    const dir = project("staging");
    const attempt = initStack({ environment: "qa", projectDir: dir, tier: "staging", namePrefix: "evalplatform" });
    await expect(attempt).rejects.toThrow(/namePrefix: "evalplatform" is not valid\. .*names of Pulumi\.staging\.yaml/);
    expect(existsSync(join(dir, "Pulumi.qa.yaml"))).toBe(false);
  });

  it("rejects a size that does not exist, and --size with --from", async () => {
    await expect(initStack({ environment: "qa", projectDir: project(), size: "huge" })).rejects.toThrow(
      /--size huge is not a size\. Fix: use one of small, medium, large/,
    );
    await expect(
      initStack({ environment: "qa", projectDir: project("dev"), size: "small", from: "dev" }),
    ).rejects.toThrow(UsageError);
  });
});

/** Plans the evaluation platform from a stack file (Pulumi's mocks) and runs the policy pack over it, as preview does. */
async function policyVerdict(stackPath: string, environment: string, config?: PolicyPackConfig): Promise<string[]> {
  process.env.SCW_DEFAULT_PROJECT_ID ??= PROJECT_ID;
  const configMap = Object.fromEntries(
    Object.entries(readStackFile(stackPath)).map(([key, value]) => [`sovstack:${key}`, value]),
  );
  const { resources } = await planProgram((opts) => evalPlatform(configMap, environment, opts), {
    project: "evalplatform",
    stack: environment,
  });
  const violations = await runPolicies(
    policies,
    resources.map((resource) => ({ ...resource, stack: environment })),
    { config },
  );
  return violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn?.split("::").pop() ?? "stack"}`).sort();
}

describe("sovstack init writes the new environment's policy config", () => {
  it("beside the pack's own files, where preview and up look for it", () => {
    expect(policyConfigPath("qa")).toBe(join(policyPackDir, "config", "qa.json"));
  });

  it("with its tier's levels and its public services, so that the pack passes what it blocked without one", async () => {
    const dir = project();
    const result = await initStack({ environment: "qa", projectDir: dir, size: "medium", tier: "staging" });
    const path = join(dir, "policy-config", "qa.json");
    expect(result.policyConfig).toMatchObject({ path, action: "write", tier: "staging" });
    const config = JSON.parse(readFileSync(path, "utf8")) as PolicyPackConfig;
    expect(config).toEqual(policyPackConfig("staging", settingsWithPublicServices(["api", "ui", "docs"])));
    // Without it, the pack judges qa by its resources' tags (staging) and lists no public service.
    expect(await policyVerdict(result.path, "qa")).toEqual([
      "mandatory containers-private-unless-listed evalplatform-qa-staging-api",
      "mandatory containers-private-unless-listed evalplatform-qa-staging-docs",
      "mandatory containers-private-unless-listed evalplatform-qa-staging-ui",
    ]);
    expect(await policyVerdict(result.path, "qa", config)).toEqual([]);
  }, 60_000);

  it("keeps an existing, different one unless forced, and says so", async () => {
    const dir = project();
    const path = join(dir, "policy-config", "qa.json");
    writeFileSync(path, '{ "mine": {} }\n');
    const kept = await initStack({ environment: "qa", projectDir: dir, tier: "staging" });
    expect(kept.policyConfig.action).toBe("kept");
    expect(readFileSync(path, "utf8")).toBe('{ "mine": {} }\n');
    expect(kept.notes.at(-1)).toMatch(
      /qa\.json exists and differs from what the staging tier .* --force to replace it/,
    );
    expect(describeInit(kept, dir)).toContain("Policy config: kept policy-config/qa.json, which differs (see Check).");
    const forced = await initStack({ environment: "qa", projectDir: dir, tier: "production" }, { force: true });
    expect(forced.policyConfig.action).toBe("write");
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(
      policyPackConfig("production", settingsWithPublicServices(["api", "ui", "docs"])),
    );
    const again = await initStack({ environment: "qa", projectDir: dir, tier: "production" }, { force: true });
    expect(again.policyConfig.action).toBe("same");
  });

  it("never writes the file of a tier's own name, which the pack generates from its table", async () => {
    const dir = project();
    const result = await initStack({ environment: "staging", projectDir: dir });
    expect(result.policyConfig.action).toBe("pack");
    expect(existsSync(join(dir, "policy-config", "staging.json"))).toBe(false);
    expect(describeInit(result, dir)).toMatch(/Policy config: .*staging\.json, the policy pack's own for staging/);
  });
});

describe("sovstack init --from an existing environment", () => {
  it("copies it, leaves out the values encrypted with its passphrase and points at what mentions its name", async () => {
    const dir = project("dev");
    const source = join(dir, "Pulumi.dev.yaml");
    writeFileSync(
      source,
      `${readFileSync(source, "utf8")}\n`.replace("config:\n", "config:\n  evalplatform:token:\n    secure: v1:abc\n"),
    );
    const result = await initStack({ environment: "dev-2", projectDir: dir, from: "dev" });
    const config = validated(result.path);
    expect(config).toMatchObject({ environment: "dev", namePrefix: "evalplatform-dev-2" });
    expect(Object.keys(config.services).sort()).toEqual(["api", "docs", "runners", "ui"]);
    const text = readFileSync(result.path, "utf8");
    expect(text).not.toContain("secure:");
    expect(text).not.toContain("encryptionsalt");
    expect(result.notes).toEqual([
      expect.stringMatching(/^evalplatform:token was encrypted with Pulumi\.dev\.yaml's passphrase.*--secret/),
      'sovstack:services.ui.env.API_URL was copied from Pulumi.dev.yaml and mentions "dev": check it.',
    ]);
  });

  it("names the environments it could copy when the source does not exist", async () => {
    await expect(initStack({ environment: "qa", projectDir: project("dev", "staging"), from: "prod" })).rejects.toThrow(
      /no Pulumi\.prod\.yaml .* Fix: use one of dev, staging\./,
    );
  });
});

describe("sovstack init --interactive", () => {
  function scripted(answers: string) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (chunk: Buffer) => (shown += chunk.toString()));
    input.end(answers);
    return { prompter: streamPrompter(input, output), shown: () => shown };
  }

  it("asks each question with its default, asks again after a bad answer, and writes what was answered", async () => {
    const dir = project();
    // tier, size (default), region, project (bad, then empty), owner, cost center (default), prefix (default)
    const { prompter, shown } = scripted("staging\n\npl-waw\nproject-1\n\nml-team\n\n\n");
    const result = await initStack({ environment: "ml", projectDir: dir, costCenter: "research" }, { prompter });
    expect(shown()).toContain("Tier (dev, staging, production): how strict the policy pack is [dev]: ");
    expect(shown()).toMatch(/Size \(small: .*\) \[medium\]: /);
    expect(shown()).toContain("Scaleway region (fr-par, nl-ams, pl-waw) [fr-par]: ");
    expect(shown()).toMatch(/"project-1" is not valid: .*Scaleway project ID/);
    expect(shown()).toContain("Cost center (for the cost-center tag) [research]: ");
    expect(shown()).toContain("Name prefix of every resource [evalplatform-ml]: ");
    expect(validated(result.path)).toMatchObject({
      environment: "staging",
      region: "pl-waw",
      owner: "ml-team",
      costCenter: "research",
      namePrefix: "evalplatform-ml",
      services: { api: { minScale: 1 } },
    });
    expect(validated(result.path).projectId).toBeUndefined();
  });

  it("stops with a clear error when the input ends before every question is answered", async () => {
    const dir = project();
    const { prompter } = scripted("dev\n");
    await expect(initStack({ environment: "qa", projectDir: dir }, { prompter })).rejects.toThrow(
      /No answer to "Size .*": the input ended/,
    );
    expect(existsSync(join(dir, "Pulumi.qa.yaml"))).toBe(false);
  });
});
