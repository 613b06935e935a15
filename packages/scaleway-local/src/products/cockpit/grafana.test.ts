import { afterEach, describe, expect, it } from "vitest";
import { startCockpit, type CockpitHarness } from "./testing";

let harness: CockpitHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const PROJECT = "88888888-8888-4888-8888-888888888888";

describe("Cockpit Grafana, plans and products", () => {
  it("answers the project's Grafana URL and manages its users", async () => {
    harness = await startCockpit();
    const { global } = harness;
    expect(await global.getGrafana({ projectId: PROJECT })).toEqual({
      grafanaUrl: `https://${PROJECT}.dashboard.cockpit.scaleway.com`,
    });

    const editor = await global.createGrafanaUser({ projectId: PROJECT, login: "alice", role: "editor" });
    expect(editor).toMatchObject({ id: 2, login: "alice", role: "editor" });
    expect(editor.password).toMatch(/^[\w-]{16}$/);
    const viewer = await global.createGrafanaUser({ projectId: PROJECT, login: "bob", role: "viewer" });
    expect(viewer.id).toBe(3);

    const listed = await harness.api(`/cockpit/v1/grafana/users?project_id=${PROJECT}&order_by=login_desc`);
    expect(listed.body).toEqual({
      grafana_users: [
        { id: 3, login: "bob", role: "viewer", password: "" },
        { id: 2, login: "alice", role: "editor", password: "" },
      ],
      total_count: 2,
    });

    const reset = await global.resetGrafanaUserPassword({ projectId: PROJECT, grafanaUserId: 2 });
    expect(reset.password).not.toBe(editor.password);

    const taken = await harness.api("/cockpit/v1/grafana/users", {
      method: "POST",
      body: { project_id: PROJECT, login: "alice", role: "viewer" },
    });
    expect(taken.status).toBe(409);
    const admin = await harness.api("/cockpit/v1/grafana/users", {
      method: "POST",
      body: { project_id: PROJECT, login: "admin", role: "editor" },
    });
    expect(admin.status).toBe(400);

    await global.deleteGrafanaUser({ projectId: PROJECT, grafanaUserId: 2 });
    const again = await harness.api(`/cockpit/v1/grafana/users/2?project_id=${PROJECT}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    // IDs are not reused.
    expect((await global.createGrafanaUser({ projectId: PROJECT, login: "carol", role: "viewer" })).id).toBe(4);
  });

  it("lists plans, selects one and answers it as the current plan", async () => {
    harness = await startCockpit();
    const plans = await harness.global.listPlans();
    expect(plans.plans.map((plan) => plan.name)).toEqual(["custom", "free", "premium"]);
    expect((await harness.global.getCurrentPlan({ projectId: PROJECT })).name).toBe("free");
    const selected = await harness.global.selectPlan({ projectId: PROJECT, planName: "premium" });
    expect(selected).toMatchObject({ name: "premium", monthlyPrice: 29, retentionMetricsInterval: "31536000s" });
    expect((await harness.global.getCurrentPlan({ projectId: PROJECT })).name).toBe("premium");
  });

  it("lists the products that report to Cockpit, sorted and paginated", async () => {
    harness = await startCockpit();
    const sorted = await harness.api("/cockpit/v1/regions/fr-par/products?order_by=display_name_asc&page_size=3");
    expect(sorted.body).toMatchObject({
      total_count: 26,
      products_list: [{ name: "sbs" }, { name: "observability" }, { name: "instance" }],
    });
    const second = await harness.api(
      "/cockpit/v1/regions/fr-par/products?order_by=display_name_asc&page=2&page_size=25",
    );
    expect(second.body).toMatchObject({ products_list: [{ name: "vpc", resource_types: ["vpc_pn"] }] });
  });
});
