import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { remoteWrite, snappyLiterals } from "./push/testing";
import { eventually, startCockpit, type CockpitHarness } from "./testing";

let harness: CockpitHarness | undefined;
const folders: string[] = [];
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const PROJECT = "99999999-9999-4999-8999-999999999999";
const PG_CPU = "615245e6-3882-4d99-8798-d17ca1c95645";

describe("Cockpit state across a restart", () => {
  it("keeps data sources, usage, tokens, alerting and Grafana users in the data folder", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cockpit-state-"));
    folders.push(dataDir);
    harness = await startCockpit({ dataDir });
    const { regional, global } = harness;
    const source = await regional.createDataSource({ projectId: PROJECT, name: "metrics", type: "metrics" });
    const token = await regional.createToken({ projectId: PROJECT, name: "t", tokenScopes: ["write_only_metrics"] });
    await regional.enableAlertManager({ projectId: PROJECT });
    await regional.createContactPoint({ projectId: PROJECT, email: { to: "ops@example.com" } });
    await regional.enableAlertRules({ projectId: PROJECT, ruleIds: [PG_CPU] });
    await global.createGrafanaUser({ projectId: PROJECT, login: "alice", role: "editor" });
    const push = await harness.push(`${source.url}/api/v1/push`, {
      method: "POST",
      headers: { "x-token": token.secretKey! },
      body: snappyLiterals(remoteWrite(["up"], 3)),
    });
    expect(push.status).toBe(200);
    const scalewayBefore = (await regional.listDataSources({ origin: "scaleway" })).dataSources.map((s) => s.id);
    await harness.stop();

    harness = await startCockpit({ dataDir });
    const again = harness.regional;
    expect(await again.getDataSource({ dataSourceId: source.id })).toMatchObject({ name: "metrics" });
    const raw = await harness.api(`/cockpit/v1/regions/fr-par/data-sources/${source.id}`);
    expect(raw.body).toMatchObject({ current_month_usage: 3 });
    expect((await again.getToken({ tokenId: token.id })).name).toBe("t");
    // The secret still authenticates pushes.
    const pushAgain = await harness.push(`${source.url}/api/v1/push`, {
      method: "POST",
      headers: { "x-token": token.secretKey! },
      body: snappyLiterals(remoteWrite(["up"], 1)),
    });
    expect(pushAgain.status).toBe(200);
    expect((await again.getAlertManager({ projectId: PROJECT })).alertManagerEnabled).toBe(true);
    expect((await again.listContactPoints({ projectId: PROJECT })).totalCount).toBe(1);
    const enabled = await eventually(
      () => again.listAlerts({ projectId: PROJECT, ruleStatus: "enabled" }),
      (list) => list.totalCount === 1,
    );
    expect(enabled.alerts[0]?.name).toBe("PostgreSQLHighCPULoad");
    expect((await harness.global.createGrafanaUser({ projectId: PROJECT, login: "bob", role: "viewer" })).id).toBe(3);
    // Scaleway's own sources are not created twice.
    expect((await again.listDataSources({ origin: "scaleway" })).dataSources.map((s) => s.id)).toEqual(scalewayBefore);
  });
});
