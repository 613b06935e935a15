import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, type Stack, type UpResult } from "@pulumi/pulumi/automation";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureToolchain } from "../../cli/src/engine/toolchain";
import { pulumiIn } from "../../cli/src/engine/workspace";
import { startLocalScaleway, type LocalScaleway } from "../../scaleway-local/src";
import { PostgresDatabase } from "./postgresDatabase";
import { PrivateNetwork } from "./privateNetwork";

/**
 * Password rotation end to end: the real engine and Scaleway provider against the local
 * Scaleway, whose databases are real PostgreSQL servers.
 */

const SECRETS = "/secret-manager/v1beta1/regions/fr-par/secrets";

interface Rotations {
  readonly passwordRotation: number;
  readonly adminPasswordRotation: number;
}

/** A private network and a PostgresDatabase, with the given rotation counters. */
function program(rotations: Rotations) {
  return async () => {
    const network = new PrivateNetwork("rot-net", { region: "fr-par" });
    const db = new PostgresDatabase("rot-db", {
      region: "fr-par",
      privateNetworkId: network.privateNetworkId,
      secretPath: "/rotation/test",
      databaseName: "evaluations",
      userName: "evaluator",
      ...rotations,
    });
    return { host: db.host, port: db.port, passwordSecretId: db.passwordSecretId, password: db.password };
  };
}

describe("PostgresDatabase password rotation on the local Scaleway", () => {
  let local: LocalScaleway;
  let dataDir: string;
  let stateDir: string;
  let stackAt: (rotations: Rotations) => Promise<Stack>;
  let first: UpResult;

  /** A call to the local Scaleway's REST API, as scw or the console makes it. */
  async function api(path: string): Promise<Record<string, any>> {
    const response = await fetch(`${local.apiUrl}${path}`, {
      headers: { "x-auth-token": local.env().SCW_SECRET_KEY! },
    });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, any>;
  }

  async function secretNamed(name: string): Promise<string> {
    const { secrets } = await api(`${SECRETS}?name=${name}&path=/rotation/test`);
    expect(secrets).toHaveLength(1);
    return secrets[0].id as string;
  }

  /**
   * What Secret Manager holds now: the latest version's value, and the descriptions of
   * the versions still enabled (a deleted one stays listed, scheduled for deletion).
   */
  async function secretManager(name: string) {
    const id = await secretNamed(name);
    const latest = await api(`${SECRETS}/${id}/versions/latest/access`);
    const { versions } = await api(`${SECRETS}/${id}/versions`);
    return {
      value: Buffer.from(latest.data as string, "base64").toString("utf8"),
      descriptions: (versions as Array<{ description: string; status: string }>)
        .filter((version) => version.status === "enabled")
        .map((version) => version.description),
    };
  }

  /** Signs in to the database: "ok", or the server's error code (28P01: wrong password). */
  async function signIn(user: string, password: string, database: string): Promise<string> {
    const { host, port } = first.outputs;
    const client = new pg.Client({ host: host!.value, port: port!.value, user, password, database });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return "ok";
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  beforeAll(async () => {
    // The local Scaleway makes its own folder reachable by the postgres account.
    dataDir = mkdtempSync(join(tmpdir(), "sovstack-rotation-"));
    stateDir = mkdtempSync(join(tmpdir(), "sovstack-rotation-state-"));
    local = await startLocalScaleway({ dataDir });
    const toolchain = await ensureToolchain();
    const pulumiCommand = await pulumiIn(toolchain.binDir);
    const envVars = {
      ...toolchain.env,
      ...local.env(),
      PULUMI_BACKEND_URL: `file://${stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: "rotation-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    stackAt = (rotations) =>
      LocalWorkspace.createOrSelectStack(
        { stackName: "rotation", projectName: "rotation", program: program(rotations) },
        { pulumiCommand, envVars },
      );
    first = await (await stackAt({ passwordRotation: 0, adminPasswordRotation: 0 })).up();
  }, 600_000);

  afterAll(async () => {
    await local?.stop();
    for (const dir of [dataDir, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates both users with the passwords Secret Manager holds", async () => {
    const user = await secretManager("rot-db-password");
    const admin = await secretManager("rot-db-admin-password");
    expect(user.descriptions).toEqual(["rotation 0"]);
    expect(first.outputs.password).toEqual({ value: user.value, secret: true });
    expect(await signIn("evaluator", user.value, "evaluations")).toBe("ok");
    expect(await signIn("sovstack_admin", admin.value, "evaluations")).toBe("ok");
    expect(admin.value).not.toBe(user.value);
  });

  it("changes nothing when deployed again with the counters unchanged", async () => {
    const again = await (await stackAt({ passwordRotation: 0, adminPasswordRotation: 0 })).up();
    expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual(["same"]);
  }, 300_000);

  it("rotates both passwords when the counters go up: the new ones sign in, the old ones are refused", async () => {
    const before = {
      user: await secretManager("rot-db-password"),
      admin: await secretManager("rot-db-admin-password"),
    };
    const stack = await stackAt({ passwordRotation: 1, adminPasswordRotation: 1 });
    const rotated = await stack.up();
    // A new version of each secret, the user and the instance updated in place, the old versions gone.
    expect(rotated.summary.resourceChanges).toMatchObject({ create: 2, update: 2, delete: 2 });

    const user = await secretManager("rot-db-password");
    const admin = await secretManager("rot-db-admin-password");
    expect(user.descriptions).toEqual(["rotation 1"]);
    expect(admin.descriptions).toEqual(["rotation 1"]);
    expect(user.value).not.toBe(before.user.value);
    expect(admin.value).not.toBe(before.admin.value);
    expect(rotated.outputs.password!.value).toBe(user.value);

    expect(await signIn("evaluator", user.value, "evaluations")).toBe("ok");
    expect(await signIn("evaluator", before.user.value, "evaluations")).toBe("28P01");
    expect(await signIn("sovstack_admin", admin.value, "evaluations")).toBe("ok");
    expect(await signIn("sovstack_admin", before.admin.value, "evaluations")).toBe("28P01");

    const again = await stack.up();
    expect(Object.keys(again.summary.resourceChanges ?? {})).toEqual(["same"]);
  }, 600_000);

  it("rotates one password alone, leaving the other as it is", async () => {
    const before = {
      user: await secretManager("rot-db-password"),
      admin: await secretManager("rot-db-admin-password"),
    };
    const rotated = await (await stackAt({ passwordRotation: 2, adminPasswordRotation: 1 })).up();
    expect(rotated.summary.resourceChanges).toMatchObject({ create: 1, update: 1, delete: 1 });
    const user = await secretManager("rot-db-password");
    expect(user.descriptions).toEqual(["rotation 2"]);
    expect(await signIn("evaluator", user.value, "evaluations")).toBe("ok");
    expect(await signIn("evaluator", before.user.value, "evaluations")).toBe("28P01");
    expect((await secretManager("rot-db-admin-password")).value).toBe(before.admin.value);
    expect(await signIn("sovstack_admin", before.admin.value, "evaluations")).toBe("ok");
  }, 600_000);
});
