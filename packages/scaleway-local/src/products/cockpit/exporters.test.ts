import { afterEach, describe, expect, it } from "vitest";
import { eventually, startCockpit, type CockpitHarness } from "./testing";

let harness: CockpitHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const REGION = "/cockpit/v1/regions/fr-par";

type Exporter = { id: string; status: string; name: string; description: string } & Record<string, unknown>;

describe("Cockpit data exports", () => {
  it("exports Scaleway metrics to an OTLP endpoint: creating, ready, update, delete", async () => {
    harness = await startCockpit();
    const [source] = (await harness.regional.listDataSources({ origin: "scaleway", types: ["metrics"] })).dataSources;
    const created = await harness.api(`${REGION}/exporters`, {
      method: "POST",
      body: {
        datasource_id: source!.id,
        otlp_destination: { endpoint: "https://collector.example.com/v1/metrics", headers: { "x-key": "k" } },
        exported_products: ["all"],
        name: "to-otel",
      },
    });
    expect(created.status).toBe(200);
    const exporter = created.body as Exporter;
    expect(exporter).toMatchObject({
      datasource_id: source!.id,
      description: "",
      status: "creating",
      exported_products: ["all"],
      otlp_destination: { endpoint: "https://collector.example.com/v1/metrics", headers: { "x-key": "k" } },
    });
    const ready = await eventually(
      async () => (await harness!.api(`${REGION}/exporters/${exporter.id}`)).body as Exporter,
      (body) => body.status === "ready",
    );
    expect(ready.status).toBe("ready");

    const updated = await harness.api(`${REGION}/exporters/${exporter.id}`, {
      method: "PATCH",
      body: { name: "renamed", description: "Updated", exported_products: ["lb", "rdb"] },
    });
    expect(updated.body).toMatchObject({ name: "renamed", description: "Updated", exported_products: ["lb", "rdb"] });

    const listed = await harness.api(
      `${REGION}/exporters?project_id=${harness.local.defaultProjectId}&order_by=created_at_asc&page=1`,
    );
    expect(listed.body).toMatchObject({ total_count: 1, exporters: [{ id: exporter.id }] });

    expect((await harness.api(`${REGION}/exporters/${exporter.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await harness.api(`${REGION}/exporters/${exporter.id}`)).toEqual({
      status: 404,
      body: { message: "resource is not found", resource: "exporter", resource_id: exporter.id, type: "not_found" },
    });
  });

  it("keeps a Datadog API key write-only and refuses an export without destination", async () => {
    harness = await startCockpit();
    const source = await harness.regional.createDataSource({ name: "logs", type: "logs" });
    const created = await harness.api(`${REGION}/exporters`, {
      method: "POST",
      body: { datasource_id: source.id, datadog_destination: { api_key: "secret" }, name: "dd" },
    });
    expect(created.body).toMatchObject({ datadog_destination: { endpoint: "https://api.datadoghq.com" } });
    expect(JSON.stringify(created.body)).not.toContain("secret");

    const none = await harness.api(`${REGION}/exporters`, {
      method: "POST",
      body: { datasource_id: source.id, name: "x" },
    });
    expect(none.status).toBe(400);
    const missingSource = await harness.api(`${REGION}/exporters`, {
      method: "POST",
      body: { datasource_id: "00000000-0000-4000-8000-000000000000", name: "x", datadog_destination: { api_key: "k" } },
    });
    expect(missingSource.status).toBe(404);

    // Deleting the data source takes its exports with it.
    await harness.regional.deleteDataSource({ dataSourceId: source.id });
    const id = (created.body as Exporter).id;
    expect((await harness.api(`${REGION}/exporters/${id}`)).status).toBe(404);
  });
});
