import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployLocally, type LocalDeployment } from "../../../../scripts/localDeploy";
import { registerDriftCommand } from "../commands/drift";
import { deployWithPolicies } from "../engine/deploy";
import { openStack } from "../engine/workspace";
import { ExitCode } from "../exitCodes";
import { NothingDeployedError } from "./detectDrift";
import type { DriftReport } from "./driftReport";
import { UsageError } from "../usageError";

const CONTAINERS = "/containers/v1/regions/fr-par/containers";
const SECRETS = "/secret-manager/v1beta1/regions/fr-par/secrets";

/** A call to the local Scaleway's REST API, as someone in the console or with scw would make it. */
async function api(deployment: LocalDeployment, method: string, path: string, body?: unknown) {
  const response = await fetch(`${deployment.local.apiUrl}${path}`, {
    method,
    headers: { "x-auth-token": deployment.local.env().SCW_SECRET_KEY!, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json().catch(() => ({}))) as Record<string, any>;
}

/** The stack's secret of that name, as Secret Manager answers it. */
async function secret(deployment: LocalDeployment, name: string): Promise<Record<string, any>> {
  const { secrets } = await api(deployment, "GET", `${SECRETS}?name=${name}&scheduled_for_deletion=false`);
  const found = (secrets as Array<Record<string, any>>).find((item) => item.name === name);
  return found ?? (await api(deployment, "GET", `${SECRETS}?name=${name}&scheduled_for_deletion=true`)).secrets[0];
}

async function container(deployment: LocalDeployment, name: string): Promise<Record<string, any>> {
  const { containers } = await api(deployment, "GET", CONTAINERS);
  return (containers as Array<Record<string, any>>).find((item) => item.name === name)!;
}

/** `sovstack drift dev ...` as the CLI runs it: what it prints on stdout and its exit code. */
async function runDrift(backendUrl: string, ...flags: string[]): Promise<{ stdout: string; exitCode: number }> {
  const program = new Command().exitOverride();
  registerDriftCommand(program);
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((text: string) => void printed.push(text));
  process.exitCode = undefined;
  try {
    await program.parseAsync(["drift", "dev", "--backend", backendUrl, ...flags], { from: "user" });
    return { stdout: printed.join("\n"), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    process.exitCode = undefined;
  }
}

describe("sovstack drift on the dev stack deployed to a local Scaleway", () => {
  let deployment: LocalDeployment;
  let backendUrl: string;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sovstack-drift-"));
    deployment = await deployLocally({ dataDir, reset: true });
    backendUrl = `file://${join(dataDir, "pulumi-state")}`;
    // The command reads credentials and SCW_API_URL from the environment, as in a shell.
    Object.assign(process.env, deployment.local.env());
  }, 600_000);
  afterAll(async () => {
    process.env = savedEnv;
    await deployment?.local.stop();
  });

  it("finds no drift right after a deployment and exits 0", async () => {
    const { stdout, exitCode } = await runDrift(backendUrl);
    expect(exitCode).toBe(ExitCode.ok);
    expect(stdout).toMatch(/^No drift in dev: the \d+ resources read from Scaleway match the last deployment\.$/);
  }, 300_000);

  it("reports changes made through the API, property by property, a deleted container and a deleted secret; exits 2", async () => {
    const api_ = await container(deployment, "evalplatform-dev-api");
    const docs = await container(deployment, "evalplatform-dev-docs");
    const sessionKey = await secret(deployment, "session-key");
    await api(deployment, "PATCH", `${CONTAINERS}/${api_.id}`, {
      min_scale: 1,
      environment_variables: { ...api_.environment_variables, LOG_LEVEL: "info" },
    });
    await api(deployment, "DELETE", `${CONTAINERS}/${docs.id}`);
    // Secret Manager only schedules the deletion and still answers the secret: a refresh alone misses it.
    await api(deployment, "DELETE", `${SECRETS}/${sessionKey.id}`);
    expect(await secret(deployment, "session-key")).toMatchObject({ deletion_requested_at: expect.any(String) });

    const json = await runDrift(backendUrl, "--json");
    expect(json.exitCode).toBe(ExitCode.changes);
    const report = JSON.parse(json.stdout) as DriftReport;
    expect(report).toMatchObject({ environment: "dev", drifted: true });
    expect(report.resources).toEqual([
      expect.objectContaining({
        type: "scaleway:containers:Container",
        name: "evalplatform-dev-api",
        id: `fr-par/${api_.id}`,
        change: "changed",
        properties: [
          { path: "environmentVariables.LOG_LEVEL", old: "debug", new: "info" },
          { path: "minScale", old: 0, new: 1 },
        ],
      }),
      expect.objectContaining({ name: "evalplatform-dev-docs", change: "deleted", properties: [] }),
      expect.objectContaining({
        type: "scaleway:secrets:Secret",
        id: `fr-par/${sessionKey.id}`,
        change: "deleted",
        deletionRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);

    const text = await runDrift(backendUrl);
    expect(text.exitCode).toBe(ExitCode.changes);
    expect(text.stdout).toContain(
      `  ~ scaleway:containers:Container evalplatform-dev-api (fr-par/${api_.id})\n` +
        `      environmentVariables.LOG_LEVEL: "debug" → "info"\n` +
        `      minScale: 0 → 1\n`,
    );
    expect(text.stdout).toContain(`  - scaleway:containers:Container evalplatform-dev-docs (fr-par/${docs.id})`);
    expect(text.stdout).toMatch(
      new RegExp(
        `  - scaleway:secrets:Secret \\S+ \\(fr-par/${sessionKey.id}\\)\n      deleted outside code at .*\`up\` restores it`,
      ),
    );
  }, 300_000);

  it("finds no drift once up has put the resources back (up refreshes first)", async () => {
    await deployWithPolicies(deployment.stack, "dev");
    expect(await container(deployment, "evalplatform-dev-api")).toMatchObject({
      min_scale: 0,
      environment_variables: expect.objectContaining({ LOG_LEVEL: "debug" }),
    });
    expect(await container(deployment, "evalplatform-dev-docs")).toBeDefined();
    expect(await secret(deployment, "session-key")).toMatchObject({ deletion_requested_at: null });
    const { exitCode, stdout } = await runDrift(backendUrl, "--json");
    expect(exitCode).toBe(ExitCode.ok);
    expect(JSON.parse(stdout)).toMatchObject({ drifted: false, resources: [] });
  }, 300_000);

  it("refuses a backend without the stack, or a stack with nothing deployed, instead of reporting no drift", async () => {
    const empty = `file://${mkdtempSync(join(tmpdir(), "sovstack-empty-state-"))}`;
    await expect(runDrift(empty)).rejects.toThrow(UsageError);
    await expect(runDrift(empty)).rejects.toThrow(/has no dev stack.*sovstack up dev/);
    await openStack({ environment: "dev", backendUrl: empty }); // an empty stack, as a first preview leaves
    await expect(runDrift(empty)).rejects.toThrow(NothingDeployedError);
    await expect(runDrift(empty)).rejects.toThrow(/no deployed resource.*sovstack up dev/);
  }, 120_000);
});
