import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../../server";
import { call, connect, FAST, PASSWORD, query, rdbApi } from "./testing";

let local: LocalScaleway;
let dataDir: string;
let api: ReturnType<typeof rdbApi>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "rdb-instances-test-"));
  local = await startLocalScaleway({ transitionMs: 50, dataDir });
  api = rdbApi(local);
});

afterAll(async () => {
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a Database Instance made with the Scaleway SDK", () => {
  let instanceId: string;
  let port: number;

  it("is provisioning at first, then ready with a real server behind its endpoint", async () => {
    const created = await api.createInstance({
      name: "shop",
      engine: "PostgreSQL-16",
      nodeType: "DB-DEV-S",
      userName: "admin",
      password: PASSWORD,
      isHaCluster: false,
      disableBackup: true,
      tags: ["test"],
      volumeType: "lssd",
      volumeSize: 0,
      backupSameRegion: false,
    });
    expect(created.status).toBe("provisioning");
    instanceId = created.id;

    const ready = await api.waitForInstance({ instanceId }, FAST);
    expect(ready.status).toBe("ready");
    expect(ready.endpoints).toHaveLength(1);
    expect(ready.endpoints[0]!.ip).toBe("127.0.0.1");
    expect(ready.endpoint?.port).toBe(ready.endpoints[0]!.port);
    port = ready.endpoints[0]!.port;

    // The admin user of the request is real, and so is the default `rdb` database.
    const { rows } = await query(port, "admin", PASSWORD, "rdb", "SELECT current_user, version()");
    expect(rows[0].current_user).toBe("admin");
    expect(rows[0].version).toMatch(/^PostgreSQL 16/);
  });

  it("creates a database, a user and a privilege that are real", async () => {
    await api.createDatabase({ instanceId, name: "orders" });
    await api.createUser({ instanceId, name: "app", password: PASSWORD, isAdmin: false });
    await api.setPrivilege({ instanceId, databaseName: "orders", userName: "app", permission: "all" });

    await query(port, "app", PASSWORD, "orders", "CREATE TABLE items (id serial PRIMARY KEY, label text)");
    await query(port, "app", PASSWORD, "orders", "INSERT INTO items (label) VALUES ('first')");
    const { rows } = await query(port, "app", PASSWORD, "orders", "SELECT label FROM items");
    expect(rows).toEqual([{ label: "first" }]);

    const listed = await api.listDatabases({ instanceId, name: "orders", skipSizeRetrieval: false });
    expect(listed.databases[0]).toMatchObject({ name: "orders", owner: "_rdb_superadmin", managed: true });
    expect(listed.databases[0]!.size).toBeGreaterThan(1_000_000);
    const privileges = await api.listPrivileges({ instanceId, databaseName: "orders", userName: "app" });
    expect(privileges.privileges).toEqual([{ databaseName: "orders", userName: "app", permission: "all" }]);
  });

  it("refuses a user without privilege on the database, and a wrong password", async () => {
    await api.createUser({ instanceId, name: "stranger", password: PASSWORD, isAdmin: false });
    await expect(connect(port, "stranger", PASSWORD, "orders")).rejects.toThrow(/permission denied for database/);
    await expect(connect(port, "app", "Wrong_passw0rd!", "orders")).rejects.toThrow(/password authentication failed/);
  });

  it("gives readonly for real: reads allowed, writes refused", async () => {
    await api.setPrivilege({ instanceId, databaseName: "orders", userName: "stranger", permission: "readonly" });
    const { rows } = await query(port, "stranger", PASSWORD, "orders", "SELECT count(*)::int AS n FROM items");
    expect(rows[0].n).toBe(1);
    await expect(query(port, "stranger", PASSWORD, "orders", "INSERT INTO items (label) VALUES ('x')")).rejects.toThrow(
      /permission denied/,
    );
  });

  it("changes a password for real", async () => {
    await api.updateUser({ instanceId, name: "app", password: "An0ther_s3cret!" });
    await expect(connect(port, "app", PASSWORD, "orders")).rejects.toThrow(/password authentication failed/);
    const client = await connect(port, "app", "An0ther_s3cret!", "orders");
    await client.end();
  });

  it("serves its certificate, which verifies a TLS connection to 127.0.0.1", async () => {
    // As the Terraform provider asks for it; the JS SDK asks with `dl=1` for the raw file, which the server cannot send yet.
    const certificate = await call(local, "GET", `/rdb/v1/regions/fr-par/instances/${instanceId}/certificate`);
    expect(certificate.body).toMatchObject({ content_type: "application/x-pem-file", name: "ssl_certificate" });
    const pem = Buffer.from(String(certificate.body!.content), "base64").toString("utf8");
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const client = new pg.Client({
      host: "127.0.0.1",
      port,
      user: "admin",
      password: PASSWORD,
      database: "rdb",
      ssl: { ca: pem },
    });
    await client.connect();
    const { rows } = await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(rows[0].ssl).toBe(true);
    await client.end();
  });

  it("applies settings to the server", async () => {
    await api.setInstanceSettings({
      instanceId,
      settings: [
        { name: "work_mem", value: "16" },
        { name: "max_connections", value: "150" },
      ],
    });
    await api.waitForInstance({ instanceId }, FAST);
    const { rows } = await query(port, "admin", PASSWORD, "rdb", "SELECT current_setting('work_mem') AS w");
    expect(rows[0].w).toBe("16MB");
    // max_connections needs a restart, which the instance goes through.
    let connections = "";
    for (let i = 0; i < 50 && connections !== "150"; i++) {
      connections = await query(port, "admin", PASSWORD, "rdb", "SHOW max_connections")
        .then((r) => String(r.rows[0].max_connections))
        .catch(() => "");
      if (connections !== "150") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(connections).toBe("150");
  });

  it("answers the service's error shapes", async () => {
    const missing = await call(local, "GET", "/rdb/v1/regions/fr-par/instances/00000000-0000-4000-8000-000000000000");
    expect(missing).toEqual({
      status: 404,
      body: {
        message: "resource is not found",
        resource: "instance",
        resource_id: "00000000-0000-4000-8000-000000000000",
        type: "not_found",
      },
    });
    const duplicate = await call(local, "POST", `/rdb/v1/regions/fr-par/instances/${instanceId}/databases`, {
      name: "orders",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ resource: "database", resource_id: "orders", type: "conflict" });
    const weak = await call(local, "POST", `/rdb/v1/regions/fr-par/instances/${instanceId}/users`, {
      name: "weak",
      password: "short",
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ type: "invalid_arguments", details: [{ argument_name: "password" }] });
  });

  it("deletes the instance: deleting, then gone, its server stopped and its files removed", async () => {
    const deleting = await api.deleteInstance({ instanceId });
    expect(deleting.status).toBe("deleting");
    await expect(api.waitForInstance({ instanceId }, FAST)).rejects.toThrow(/not found/i);
    for (let i = 0; i < 50 && existsSync(join(dataDir, "postgres", instanceId)); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(join(dataDir, "postgres", instanceId))).toBe(false);
    await expect(connect(port, "admin", PASSWORD, "rdb")).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("the catalogue", () => {
  it("lists node types with the service's fields", async () => {
    const { nodeTypes, totalCount } = await api.listNodeTypes({ includeDisabledTypes: false });
    expect(totalCount).toBe(21);
    const names = nodeTypes.map((n) => n.name);
    for (const name of ["db-dev-s", "db-play2-pico", "db-play2-nano", "db-pro2-xxs", "db-pro2-l", "db-pop2-2c-8g"])
      expect(names).toContain(name);
    expect(nodeTypes.find((n) => n.name === "db-dev-s")).toMatchObject({
      vcpus: 2,
      memory: 2_000_000_000,
      generation: "generation_v1",
      instanceRange: "Cost Optimized",
      volumeConstraint: { minSize: 5_000_000_000, maxSize: 5_000_000_000 },
    });
  });

  it("lists PostgreSQL 14 to 17 as available engines, with their settings", async () => {
    const { engines } = await api.listDatabaseEngines({});
    const postgres = engines.find((e) => e.name === "PostgreSQL")!;
    const available = postgres.versions.filter((v) => !v.disabled).map((v) => v.name);
    expect(available).toEqual(["PostgreSQL-17", "PostgreSQL-16", "PostgreSQL-15", "PostgreSQL-14"]);
    const sixteen = postgres.versions.find((v) => v.version === "16")!;
    expect(sixteen.availableSettings.find((s) => s.name === "max_connections")).toMatchObject({
      propertyType: "INT",
      intMin: 50,
      hotConfigurable: false,
    });
  });
});
