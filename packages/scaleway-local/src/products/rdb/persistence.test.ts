import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startLocalScaleway } from "../../server";
import { FAST, PASSWORD, query, rdbApi } from "./testing";

const dataDir = mkdtempSync(join(tmpdir(), "rdb-persistence-test-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("starts the servers again with their data when the local Scaleway restarts with the same data folder", async () => {
  const first = await startLocalScaleway({ transitionMs: 50, dataDir });
  const api = rdbApi(first);
  const { id: instanceId } = await api.createInstance({
    name: "kept",
    engine: "PostgreSQL-15",
    nodeType: "db-dev-s",
    userName: "admin",
    password: PASSWORD,
    isHaCluster: false,
    disableBackup: true,
    tags: [],
    volumeType: "lssd",
    volumeSize: 0,
    backupSameRegion: false,
  });
  const ready = await api.waitForInstance({ instanceId }, FAST);
  await api.createDatabase({ instanceId, name: "ledger" });
  await api.createUser({ instanceId, name: "bookkeeper", password: PASSWORD, isAdmin: false });
  await api.setPrivilege({ instanceId, databaseName: "ledger", userName: "bookkeeper", permission: "readwrite" });
  const port = ready.endpoints[0]!.port;
  await query(port, "admin", PASSWORD, "ledger", "CREATE TABLE entries (amount int)");
  await query(port, "bookkeeper", PASSWORD, "ledger", "INSERT INTO entries VALUES (42)");
  await first.stop();

  const second = await startLocalScaleway({ transitionMs: 50, dataDir });
  try {
    const again = rdbApi(second);
    const restarted = await again.waitForInstance({ instanceId }, FAST);
    expect(restarted.status).toBe("ready");
    const newPort = restarted.endpoints[0]!.port;
    const { rows } = await query(newPort, "bookkeeper", PASSWORD, "ledger", "SELECT amount FROM entries");
    expect(rows).toEqual([{ amount: 42 }]);
    expect((await again.listUsers({ instanceId })).users.map((u) => u.name)).toEqual(["admin", "bookkeeper"]);
  } finally {
    await second.stop();
  }
});
