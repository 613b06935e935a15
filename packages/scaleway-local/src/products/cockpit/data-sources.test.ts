import { afterEach, describe, expect, it } from "vitest";
import { eventually, startCockpit, type CockpitHarness } from "./testing";

let harness: CockpitHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const PROJECT = "33333333-3333-4333-8333-333333333333";

describe("Cockpit data sources", () => {
  it("creates metrics, logs and traces sources with their retention, push URL and usage", async () => {
    harness = await startCockpit();
    const { regional } = harness;
    const metrics = await regional.createDataSource({ projectId: PROJECT, name: "app-metrics", type: "metrics" });
    const logs = await regional.createDataSource({
      projectId: PROJECT,
      name: "app-logs",
      type: "logs",
      retentionDays: 14,
    });
    const traces = await regional.createDataSource({ projectId: PROJECT, name: "app-traces", type: "traces" });

    expect(metrics).toMatchObject({
      origin: "custom",
      retentionDays: 31,
      region: "fr-par",
      synchronizedWithGrafana: false,
    });
    expect(metrics.url).toBe(`https://${metrics.id}.metrics.cockpit.fr-par.scw.cloud`);
    expect(logs).toMatchObject({ retentionDays: 14, url: `https://${logs.id}.logs.cockpit.fr-par.scw.cloud` });
    expect(traces).toMatchObject({ retentionDays: 7, url: `https://${traces.id}.traces.cockpit.fr-par.scw.cloud` });

    // Grafana picks the source up after the transition; reads then show usage, as the real API does.
    const raw = await eventually(
      () => harness!.api(`/cockpit/v1/regions/fr-par/data-sources/${metrics.id}`),
      (reply) => (reply.body as { synchronized_with_grafana: boolean }).synchronized_with_grafana,
    );
    expect(raw.body).toMatchObject({ synchronized_with_grafana: true, current_month_usage: 0 });
    const created = await harness.api("/cockpit/v1/regions/fr-par/data-sources", {
      method: "POST",
      body: { project_id: PROJECT, name: "x", type: "metrics" },
    });
    expect(created.body).not.toHaveProperty("current_month_usage");
  });

  it("lists with the origin, types and project filters, sorted and paginated", async () => {
    harness = await startCockpit();
    const { regional } = harness;
    for (const [name, type] of [
      ["c-metrics", "metrics"],
      ["a-logs", "logs"],
      ["b-metrics", "metrics"],
    ] as const) {
      await regional.createDataSource({ projectId: PROJECT, name, type });
    }
    const all = await regional.listDataSources({ projectId: PROJECT });
    expect(all.totalCount).toBe(3);
    expect(all.dataSources.map((s) => s.name)).toEqual(["c-metrics", "a-logs", "b-metrics"]);

    const metrics = await regional.listDataSources({ projectId: PROJECT, types: ["metrics"], orderBy: "name_asc" });
    expect(metrics.dataSources.map((s) => s.name)).toEqual(["b-metrics", "c-metrics"]);

    const page = await harness.api(
      `/cockpit/v1/regions/fr-par/data-sources?project_id=${PROJECT}&order_by=name_desc&page=2&page_size=2`,
    );
    expect(page.body).toMatchObject({ total_count: 3, data_sources: [{ name: "a-logs" }] });

    // The default project has the sources Scaleway products write to.
    const scaleway = await regional.listDataSources({ projectId: harness.local.defaultProjectId, origin: "scaleway" });
    expect(scaleway.dataSources.map((s) => [s.name, s.type, s.retentionDays])).toEqual([
      ["Scaleway Metrics", "metrics", 31],
      ["Scaleway Logs", "logs", 7],
    ]);
    expect(await regional.listDataSources({ projectId: PROJECT, origin: "scaleway" })).toMatchObject({ totalCount: 0 });
  });

  it("updates name and retention, refuses an out-of-range retention", async () => {
    harness = await startCockpit();
    const source = await harness.regional.createDataSource({ projectId: PROJECT, name: "logs", type: "logs" });
    const updated = await harness.regional.updateDataSource({
      dataSourceId: source.id,
      name: "logs-2",
      retentionDays: 30,
    });
    expect(updated).toMatchObject({ name: "logs-2", retentionDays: 30 });

    const refused = await harness.api(`/cockpit/v1/regions/fr-par/data-sources/${source.id}`, {
      method: "PATCH",
      body: { retention_days: 4000 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      type: "invalid_arguments",
      details: [{ argument_name: "retention_days", reason: "constraint" }],
    });
    const noType = await harness.api("/cockpit/v1/regions/fr-par/data-sources", {
      method: "POST",
      body: { project_id: PROJECT, name: "x" },
    });
    expect(noType.status).toBe(400);
  });

  it("deletes custom sources with a 404 after, and keeps Scaleway's", async () => {
    harness = await startCockpit();
    const source = await harness.regional.createDataSource({ projectId: PROJECT, name: "m", type: "metrics" });
    await harness.regional.deleteDataSource({ dataSourceId: source.id });
    const gone = await harness.api(`/cockpit/v1/regions/fr-par/data-sources/${source.id}`);
    expect(gone).toEqual({
      status: 404,
      body: { message: "resource is not found", resource: "data source", resource_id: source.id, type: "not_found" },
    });
    await expect(harness.regional.getDataSource({ dataSourceId: source.id })).rejects.toMatchObject({ status: 404 });

    const [scaleway] = (await harness.regional.listDataSources({ origin: "scaleway" })).dataSources;
    const refused = await harness.api(`/cockpit/v1/regions/fr-par/data-sources/${scaleway!.id}`, { method: "DELETE" });
    expect(refused.status).toBe(412);

    // Another region does not see it.
    expect((await harness.api(`/cockpit/v1/regions/nl-ams/data-sources/${scaleway!.id}`)).status).toBe(404);
    expect((await harness.api(`/cockpit/v1/regions/us-east/data-sources/${scaleway!.id}`)).status).toBe(400);
  });

  it("answers the retention limits in the regional config", async () => {
    harness = await startCockpit();
    const config = await harness.regional.getConfig();
    expect(config.customMetricsRetention).toEqual({ minDays: 1, maxDays: 1825, defaultDays: 31 });
    expect(config.customLogsRetention?.defaultDays).toBe(7);
  });
});
