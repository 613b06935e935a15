import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../../server";
import { FAST, PASSWORD, query, rdbApi } from "./testing";

/** Read Replicas, snapshots, major upgrades and backups: what copies a server. */

let local: LocalScaleway;
let api: ReturnType<typeof rdbApi>;
let instanceId: string;
let port: number;
const dataDir = mkdtempSync(join(tmpdir(), "rdb-copies-test-"));

beforeAll(async () => {
  local = await startLocalScaleway({ transitionMs: 50, dataDir });
  api = rdbApi(local);
  const created = await api.createInstance({
    name: "source",
    engine: "PostgreSQL-15",
    nodeType: "db-dev-s",
    userName: "admin",
    password: PASSWORD,
    isHaCluster: false,
    disableBackup: true,
    tags: [],
    volumeType: "sbs_5k",
    volumeSize: 10_000_000_000,
    backupSameRegion: false,
  });
  instanceId = created.id;
  port = (await api.waitForInstance({ instanceId }, FAST)).endpoints[0]!.port;
  await api.createDatabase({ instanceId, name: "app" });
  await query(port, "admin", PASSWORD, "app", "CREATE TABLE notes (body text)");
  await query(port, "admin", PASSWORD, "app", "INSERT INTO notes VALUES ('before')");
});

afterAll(async () => {
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("copies of a server", () => {
  it("a Read Replica is a real hot standby: it follows the instance and refuses writes", async () => {
    const created = await api.createReadReplica({ instanceId, endpointSpec: [{ directAccess: {} }], sameZone: true });
    const replica = await api.waitForReadReplica({ readReplicaId: created.id }, FAST);
    expect(replica.status).toBe("ready");
    const replicaPort = replica.endpoints[0]!.port;
    expect(replicaPort).not.toBe(port);

    await query(port, "admin", PASSWORD, "app", "INSERT INTO notes VALUES ('streamed')");
    let rows: unknown[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      rows = (await query(replicaPort, "admin", PASSWORD, "app", "SELECT body FROM notes")).rows;
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toHaveLength(2);
    await expect(query(replicaPort, "admin", PASSWORD, "app", "INSERT INTO notes VALUES ('no')")).rejects.toThrow(
      /read-only transaction/,
    );
    const instance = await api.getInstance({ instanceId });
    expect(instance.readReplicas.map((r) => r.id)).toEqual([created.id]);
  });

  it("an instance made from a snapshot holds the data of that moment", async () => {
    const snapshot = await api.createSnapshot({ instanceId, name: "moment" });
    await api.waitForSnapshot({ snapshotId: snapshot.id }, FAST);
    await query(port, "admin", PASSWORD, "app", "INSERT INTO notes VALUES ('after')");
    const restored = await api.createInstanceFromSnapshot({ snapshotId: snapshot.id, instanceName: "restored" });
    const ready = await api.waitForInstance({ instanceId: restored.id }, FAST);
    const { rows } = await query(ready.endpoints[0]!.port, "admin", PASSWORD, "app", "SELECT body FROM notes");
    expect(rows.map((r) => r.body).sort()).toEqual(["before", "streamed"]);
  });

  it("a major upgrade makes a new instance with the data, taking the endpoints along", async () => {
    const before = await api.getInstance({ instanceId });
    const target = before.upgradableVersion.find((v) => v.name === "PostgreSQL-16")!;
    const upgraded = await api.upgradeInstance({
      instanceId,
      majorUpgradeWorkflow: { upgradableVersionId: target.id, withEndpoints: true },
    });
    expect(upgraded.id).not.toBe(instanceId);
    expect(upgraded.engine).toBe("PostgreSQL-16");
    const ready = await api.waitForInstance({ instanceId: upgraded.id }, FAST);
    expect(ready.endpoints.map((e) => e.id)).toEqual(before.endpoints.map((e) => e.id));
    const { rows } = await query(
      ready.endpoints[0]!.port,
      "admin",
      PASSWORD,
      "app",
      "SELECT count(*)::int AS n FROM notes",
    );
    expect(rows[0].n).toBe(3);
    expect((await api.getInstance({ instanceId })).endpoints).toEqual([]);
  });

  it("a backup records the real size of its database", async () => {
    const backup = await api.createDatabaseBackup({ instanceId, databaseName: "app", name: "nightly" });
    const ready = await api.waitForDatabaseBackup({ databaseBackupId: backup.id }, FAST);
    expect(ready.status).toBe("ready");
    expect(ready.size).toBeGreaterThan(1_000_000);
  });
});
