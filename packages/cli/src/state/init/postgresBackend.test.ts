import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { ClusterManager, issueServerCertificate, newPassword, SUPERUSER } from "@sovstack/scaleway-local/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../testing/postgres";
import { readPassphrase } from "./passphrases";
import { planStateInit, type PostgresInitPlan } from "./plan";
import { addressKind } from "./postgresConnection";
import type { InitReport } from "./report";
import { runStateInit } from "./run";
import { scalewayClients } from "./scalewayClients";

let postgres: TestPostgres;
let verified: { manager: ClusterManager; url: string; folder: string };
let local: LocalScaleway;

beforeAll(async () => {
  postgres = await startTestPostgres();
  // A server whose certificate the test holds, to connect with sslmode=verify-full.
  const folder = mkdtempSync(join(tmpdir(), "sovstack-pg-ca-"));
  const certificate = await issueServerCertificate(["localhost"], ["127.0.0.1"]);
  writeFileSync(join(folder, "server.crt"), certificate.certPem);
  const manager = new ClusterManager();
  const password = newPassword();
  const cluster = await manager.create("verified", { password, certificate });
  verified = {
    manager,
    folder,
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/postgres`,
  };
  local = await startLocalScaleway({ transitionMs: 20 });
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  await verified?.manager.stopAll();
  if (verified) rmSync(verified.folder, { recursive: true, force: true });
  await local?.stop();
});

function init(url: string, env: NodeJS.ProcessEnv = {}, environments = "dev"): Promise<InitReport> {
  return runStateInit(planStateInit({ backend: url, environments }, env));
}

function statuses(report: InitReport): Record<string, string> {
  return Object.fromEntries(report.items.map((item) => [item.name, item.status]));
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe("sovstack state init on a postgres:// backend", () => {
  it("creates Pulumi's state table, its index and the leases table once, keeping the rows", async () => {
    const url = `${postgres.url}?sslmode=require`;
    const first = await init(url);
    expect(statuses(first)).toEqual({
      "table pulumi_state": "created",
      "index pulumi_state_key_prefix_idx": "created",
      "table sovstack_leases": "created",
    });
    const plain = `${postgres.url}?sslmode=disable`;
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      plain,
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'pulumi_state' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ["key", "text", "NO"],
      ["data", "json", "NO"],
      ["updated_at", "timestamp with time zone", "NO"],
    ]);
    const [index] = await query<{ indexdef: string }>(
      plain,
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'pulumi_state_key_prefix_idx'",
    );
    expect(index?.indexdef).toContain("(key text_pattern_ops)");
    await query(plain, `INSERT INTO pulumi_state (key, data) VALUES ('.pulumi/stacks/dev.json', '{"data":"e30="}')`);

    const second = await init(url);
    expect(Object.values(statuses(second))).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(second.changed).toBe(false);
    const rows = await query<{ key: string }>(plain, "SELECT key FROM pulumi_state");
    expect(rows.map((row) => row.key)).toEqual([".pulumi/stacks/dev.json"]);
    // Encrypted, but the self-signed certificate was not checked: init says so and how to fix it.
    expect(second.warnings.join("\n")).toMatch(/not checked \(sslmode=require\).*Fix: use sslmode=verify-full/);
  });

  it("takes the table name from ?table= and warns when the connection is not encrypted", async () => {
    const url = `${postgres.url}?sslmode=disable&table=team_state`;
    const report = await init(url);
    expect(statuses(report)).toMatchObject({
      "table team_state": "created",
      "index team_state_key_prefix_idx": "created",
      "table sovstack_leases": "unchanged",
    });
    expect(report.warnings.join("\n")).toMatch(/is not encrypted \(sslmode=disable\)\. Fix: add sslmode=verify-full/);
    expect(report.notes.join("\n")).toContain("passphrases were not put in Secret Manager");
  });

  it("refuses a table of that name that is not Pulumi's", async () => {
    await query(`${postgres.url}?sslmode=disable`, "CREATE TABLE other_state (key integer, data text)");
    await expect(init(`${postgres.url}?sslmode=disable&table=other_state`)).rejects.toThrow(
      /Table other_state exists but is not Pulumi's state table \(key should be text, is integer; data should be json/,
    );
  });

  it("checks the certificate with verify-full and stores the passphrases with Scaleway credentials", async () => {
    const url = `${verified.url}?sslmode=verify-full&sslrootcert=${join(verified.folder, "server.crt")}`;
    const env = local.env();
    const first = await init(url, env, "dev,staging");
    expect(first.warnings).toEqual([]);
    expect(first.notes.join("\n")).toContain("encrypted and the server's certificate checked (sslmode=verify-full)");
    expect(statuses(first)).toMatchObject({
      "secret /sovstack/pulumi-passphrase-dev": "created",
      "secret /sovstack/pulumi-passphrase-staging": "created",
    });
    const clients = scalewayClients(
      {
        accessKey: env.SCW_ACCESS_KEY!,
        secretKey: env.SCW_SECRET_KEY!,
        apiUrl: local.apiUrl,
        organizationId: undefined,
      },
      local.defaultProjectId,
      "fr-par",
    );
    const passphrase = await readPassphrase("staging", clients);

    const second = await init(url, env, "dev,staging");
    expect(second.changed).toBe(false);
    expect(await readPassphrase("staging", clients)).toBe(passphrase);
    await expect(readPassphrase("production", clients)).rejects.toThrow(
      /No secrets passphrase for production in Secret Manager \(\/sovstack\/pulumi-passphrase-production.*Fix: run `sovstack state init`/,
    );
  });

  it("tells a private address from a public one", () => {
    expect(
      ["127.0.0.1", "10.0.0.4", "172.20.1.2", "192.168.0.9", "51.15.1.1", "db.internal", "::1"].map(addressKind),
    ).toEqual(["loopback", "private", "private", "private", "public", "name", "loopback"]);
  });

  it("is a postgres:// plan that keeps the password out of messages", () => {
    const plan = planStateInit(
      { backend: `${postgres.url}?sslmode=disable`, environments: "dev" },
      {},
    ) as PostgresInitPlan;
    expect(plan.backend).not.toContain(decodeURIComponent(new URL(postgres.url).password));
  });
});
