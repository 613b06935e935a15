import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { Agent, ProxyAgent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDeployedStack } from "../packages/cli/src/checks/stackChecks";
import { deployLocally, type LocalDeployment } from "./localDeploy";

const run = promisify(execFile);

/** GET on the local Scaleway's REST APIs. */
async function api(deployment: LocalDeployment, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${deployment.local.apiUrl}${path}`, {
    headers: { "x-auth-token": deployment.local.env().SCW_SECRET_KEY! },
    dispatcher: new Agent(),
  });
  return (await response.json()) as Record<string, unknown>;
}

const project = "11111111-1111-4111-8111-111111111111";
/** What a deployment of dev leaves in the local Scaleway, per kind. */
async function inventory(deployment: LocalDeployment): Promise<Record<string, number>> {
  const count = async (path: string, key: string) => ((await api(deployment, path))[key] as unknown[]).length;
  return {
    namespaces: await count("/containers/v1/regions/fr-par/namespaces", "namespaces"),
    containers: await count("/containers/v1/regions/fr-par/containers", "containers"),
    instances: await count("/rdb/v1/regions/fr-par/instances", "instances"),
    secrets: await count(`/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${project}`, "secrets"),
    applications: await count("/iam/v1alpha1/applications", "applications"),
    privateNetworks: await count("/vpc/v2/regions/fr-par/private-networks", "private_networks"),
  };
}

describe("npm start: the dev stack on the local Scaleway, with the real engine and provider", () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await deployLocally({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-local-")), reset: true });
  }, 600_000);
  afterAll(async () => deployment?.local.stop());

  it("creates every resource and exports where they are", async () => {
    expect(deployment.outputs.databaseHost).toBe("127.0.0.1");
    expect(Object.keys(deployment.outputs.publicEndpoints as object).sort()).toEqual(["api", "docs", "ui"]);
    expect(await inventory(deployment)).toEqual({
      namespaces: 4,
      containers: 4,
      instances: 1,
      secrets: 5,
      applications: 4,
      privateNetworks: 1,
    });
  });

  it("gives a database psql can reach with the stack's outputs, with real privileges", async () => {
    const { databaseHost, databasePort, databaseName, databaseUser } = deployment.outputs;
    const client = new pg.Client({
      host: String(databaseHost),
      port: Number(databasePort),
      database: String(databaseName),
      user: String(databaseUser),
      password: deployment.databasePassword,
    });
    await client.connect();
    try {
      await client.query("CREATE TABLE evaluations (id serial PRIMARY KEY, score numeric)");
      await client.query("INSERT INTO evaluations (score) VALUES (0.93)");
      const { rows } = await client.query(
        "SELECT current_user, count(*)::int AS n FROM evaluations GROUP BY current_user",
      );
      expect(rows).toEqual([{ current_user: databaseUser, n: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("answers /health on each public endpoint through the HTTPS proxy", async () => {
    const env = deployment.local.env();
    const agent = new ProxyAgent({
      uri: env.HTTPS_PROXY!,
      requestTls: { ca: readFileSync(env.SSL_CERT_FILE!, "utf8") },
    });
    for (const url of Object.values(deployment.outputs.publicEndpoints as Record<string, string>)) {
      const response = await fetch(`${url}/health`, { dispatcher: agent });
      expect(response.status, url).toBe(200);
    }
    await agent.close();
  });

  it("passes the stack checks: no secret in plain text in the state, the database on its private network only", async () => {
    const report = await checkDeployedStack(deployment.stack, deployment.local.env());
    expect(report).toMatchObject({ plaintextSecrets: [], databaseProblems: [], databasesChecked: 1, ok: true });
  }, 120_000);

  it("shows what it created to the Scaleway CLI, scw, built from its Go module", async () => {
    const { ensureScw } = (await import(pathToFileURL(join(import.meta.dirname, "../toolchain/scw.mjs")).href)) as {
      ensureScw: (options: { log?: (message: string) => void }) => Promise<string>;
    };
    const scw = await ensureScw({ log: (message) => console.error(message) });
    const emptyConfig = join(mkdtempSync(join(tmpdir(), "scw-config-")), "config.yaml");
    writeFileSync(emptyConfig, "");
    const list = async (...args: string[]) => {
      const { stdout } = await run(scw, [...args, "-o", "json"], {
        env: { ...process.env, ...deployment.local.env(), SCW_CONFIG_PATH: emptyConfig },
      });
      return (JSON.parse(stdout) as Array<{ name: string }>).map((item) => item.name).sort();
    };
    expect(await list("container", "namespace", "list")).toEqual(
      ["api", "docs", "runners", "ui"].map((service) => `evalplatform-dev-${service}`),
    );
    expect(await list("rdb", "instance", "list")).toEqual(["evalplatform-dev-db"]);
    expect(await list("vpc", "private-network", "list")).toEqual(["evalplatform-dev-net-pn"]);
    expect(await list("secret", "secret", "list")).toHaveLength(5);
  }, 900_000);

  it("reports no change on a second up", async () => {
    const result = await deployment.stack.up();
    expect(Object.keys(result.summary.resourceChanges ?? {})).toEqual(["same"]);
  }, 300_000);

  it("leaves nothing behind after destroy, checked through the API", async () => {
    await deployment.stack.destroy();
    expect(await inventory(deployment)).toEqual({
      namespaces: 0,
      containers: 0,
      instances: 0,
      secrets: 0,
      applications: 0,
      privateNetworks: 0,
    });
  }, 300_000);
});

describe("the dev stack on a local Scaleway that fails 20% of calls with 503 or 429", () => {
  it("still deploys, and the state matches what was created", async () => {
    const deployment = await deployLocally({
      dataDir: mkdtempSync(join(tmpdir(), "sovstack-faults-")),
      reset: true,
      faults: [{ rate: 0.2, statuses: [503, 429], retryAfterSeconds: 1 }],
    });
    try {
      // About one call in five was answered 503 or 429, and the provider retried them.
      expect(deployment.local.faults.injected).toBeGreaterThan(deployment.local.calls.total() / 10);
      // Without faults, a preview finds nothing to do: every resource is in the state as created.
      deployment.local.faults.set([]);
      const preview = await deployment.stack.preview();
      expect(preview.changeSummary).toEqual({ same: 57 });
      expect(await inventory(deployment)).toMatchObject({ namespaces: 4, containers: 4, instances: 1 });
    } finally {
      await deployment.local.stop();
    }
  }, 900_000);
});
