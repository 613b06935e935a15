import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterManager, newPassword } from "./manager";
import { createDatabase, createRole, databaseSizes, dropRole, syncPrivileges, applySettings } from "./sql";
import { issueServerCertificate } from "./tls";

const root = mkdtempSync(join(tmpdir(), "postgres-manager-test-"));
let manager: ClusterManager;

async function connectAs(port: number, user: string, password: string, database: string) {
  const client = new pg.Client({ host: "127.0.0.1", port, user, password, database });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

async function certificate(id: string) {
  return issueServerCertificate([`rw-${id}.rdb.fr-par.scw.cloud`], ["127.0.0.1"]);
}

beforeAll(() => {
  manager = new ClusterManager({ root: join(root, "postgres") });
});

afterAll(async () => {
  await manager.stopAll();
  rmSync(root, { recursive: true, force: true });
});

describe("ClusterManager", () => {
  it("creates a real server on loopback whose roles, databases and privileges are real", async () => {
    const tls = await certificate("primary");
    const cluster = await manager.create("primary", { password: newPassword(), certificate: tls });
    expect(existsSync(join(root, "postgres", "primary", "PG_VERSION"))).toBe(true);
    await createRole(cluster, "app", "S3cret-pass!", false);
    await createRole(cluster, "stranger", "S3cret-pass!", false);
    await createDatabase(cluster, "shop");
    await syncPrivileges(cluster, "shop", [{ role: "app", permission: "all" }], ["app", "stranger"]);

    const app = await connectAs(cluster.port, "app", "S3cret-pass!", "shop");
    await app.query("CREATE TABLE orders (id serial primary key, total int)");
    await app.query("INSERT INTO orders (total) VALUES (42)");
    await app.end();

    // TLS verified against the instance certificate, as sslmode=verify-full does.
    const secure = new pg.Client({
      host: "127.0.0.1",
      port: cluster.port,
      user: "app",
      password: "S3cret-pass!",
      database: "shop",
      ssl: { ca: tls.certPem },
    });
    await secure.connect();
    const { rows } = await secure.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(rows[0].ssl).toBe(true);
    await secure.end();

    await expect(connectAs(cluster.port, "stranger", "S3cret-pass!", "shop")).rejects.toThrow(/permission denied/);
    expect((await databaseSizes(cluster)).get("shop")).toBeGreaterThan(1_000_000);
  });

  it("gives a readonly role what others create later, and no writes", async () => {
    const cluster = manager.get("primary")!;
    await syncPrivileges(
      cluster,
      "shop",
      [
        { role: "app", permission: "all" },
        { role: "stranger", permission: "readonly" },
      ],
      ["app", "stranger"],
    );
    const app = await connectAs(cluster.port, "app", "S3cret-pass!", "shop");
    await app.query("CREATE TABLE later (note text)");
    await app.query("INSERT INTO later VALUES ('made after the grant')");
    await app.end();
    const reader = await connectAs(cluster.port, "stranger", "S3cret-pass!", "shop");
    expect((await reader.query("SELECT note FROM later")).rows).toEqual([{ note: "made after the grant" }]);
    await expect(reader.query("INSERT INTO orders (total) VALUES (1)")).rejects.toThrow(/permission denied/);
    await reader.end();
  });

  it("drops a role that owns tables, keeping the tables", async () => {
    const cluster = manager.get("primary")!;
    await dropRole(cluster, "app");
    const admin = await cluster.connect("shop");
    expect((await admin.query("SELECT count(*)::int AS n FROM orders")).rows[0].n).toBe(1);
    await admin.end();
  });

  it("applies settings, telling which need a restart", async () => {
    const cluster = manager.get("primary")!;
    expect(await applySettings(cluster, [{ name: "work_mem", value: "8MB" }])).toBe(false);
    expect(await applySettings(cluster, [{ name: "max_connections", value: "120" }])).toBe(true);
    await cluster.restart();
    const client = await cluster.connect();
    expect((await client.query("SHOW max_connections")).rows[0].max_connections).toBe("120");
    await client.end();
  });

  it("makes a streaming hot standby that follows the primary and refuses writes", async () => {
    const replica = await manager.clone("primary", "replica", {
      password: newPassword(),
      certificate: await certificate("replica"),
      follow: true,
    });
    const primary = await manager.get("primary")!.connect("shop");
    await primary.query("INSERT INTO orders (total) VALUES (7)");
    await primary.end();
    const standby = await replica.connect("shop");
    let count = 0;
    for (let i = 0; i < 50 && count !== 2; i++) {
      count = (await standby.query("SELECT count(*)::int AS n FROM orders")).rows[0].n;
      if (count !== 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(count).toBe(2);
    await expect(standby.query("INSERT INTO orders (total) VALUES (1)")).rejects.toThrow(/read-only/);
    await standby.end();
  });

  it("restores a snapshot into a new server with the data of that moment", async () => {
    const size = await manager.saveSnapshot("primary", "snap");
    expect(size).toBeGreaterThan(1_000_000);
    const primary = await manager.get("primary")!.connect("shop");
    await primary.query("INSERT INTO orders (total) VALUES (99)");
    await primary.end();
    const restored = await manager.restoreSnapshot("snap", "restored", {
      snapshotPassword: manager.get("primary")!.password,
      password: newPassword(),
      certificate: await certificate("restored"),
    });
    const client = await restored.connect("shop");
    expect((await client.query("SELECT count(*)::int AS n FROM orders")).rows[0].n).toBe(2);
    await client.end();
  });

  it("starts an existing data folder again after a stop, and removes a server with its files", async () => {
    const restored = manager.get("restored")!;
    await restored.stop();
    const again = new ClusterManager({ root: join(root, "postgres") });
    // The port it had is taken meanwhile (by the primary): it moves to another one.
    const taken = manager.get("primary")!.port;
    const reopened = await again.open("restored", { port: taken, password: restored.password });
    await reopened.start();
    expect(reopened.port).not.toBe(taken);
    const client = await reopened.connect("shop");
    expect((await client.query("SELECT count(*)::int AS n FROM orders")).rows[0].n).toBe(2);
    await client.end();
    await again.remove("restored");
    expect(existsSync(join(root, "postgres", "restored"))).toBe(false);
  });
});
