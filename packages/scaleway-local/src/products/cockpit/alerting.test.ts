import { afterEach, describe, expect, it } from "vitest";
import { eventually, startCockpit, type CockpitHarness } from "./testing";

// Long enough to see `enabling` / `disabling` between two calls.
const TRANSITION_MS = 400;
let harness: CockpitHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const PROJECT = "44444444-4444-4444-8444-444444444444";
const PG_CPU = "615245e6-3882-4d99-8798-d17ca1c95645";
const PG_STORAGE = "c8991f90-facb-436c-b4ab-6aa13822a451";
const PG_CONNECTIONS = "6c6843af-1815-46df-9e52-6feafcf31fd7";

describe("Cockpit Alert manager", () => {
  it("is disabled until enabled, then has a URL; disabling removes its contact points", async () => {
    harness = await startCockpit({ transitionMs: TRANSITION_MS });
    const { regional } = harness;
    expect(await regional.getAlertManager({ projectId: PROJECT })).toEqual({
      alertManagerUrl: null,
      alertManagerEnabled: false,
      managedAlertsEnabled: false,
      region: "fr-par",
    });
    // Contact points need the Alert manager.
    const early = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/contact-points", {
      method: "POST",
      body: { project_id: PROJECT, email: { to: "ops@example.com" } },
    });
    expect(early.status).toBe(412);

    const enabled = await regional.enableAlertManager({ projectId: PROJECT });
    expect(enabled.alertManagerEnabled).toBe(true);
    expect(enabled.alertManagerUrl).toMatch(/^https:\/\/[0-9a-f-]{36}\.alertmanager\.cockpit\.fr-par\.scw\.cloud$/);

    const point = await regional.createContactPoint({ projectId: PROJECT, email: { to: "ops@example.com" } });
    expect(point).toEqual({ email: { to: "ops@example.com" }, region: "fr-par", sendResolvedNotifications: true });
    await regional.createContactPoint({
      projectId: PROJECT,
      email: { to: "dev@example.com" },
      sendResolvedNotifications: false,
    });
    const duplicate = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/contact-points", {
      method: "POST",
      body: { project_id: PROJECT, email: { to: "ops@example.com" } },
    });
    expect(duplicate.status).toBe(409);

    const listed = await regional.listContactPoints({ projectId: PROJECT });
    expect(listed).toMatchObject({ totalCount: 2, hasAdditionalReceivers: false, hasAdditionalContactPoints: false });
    const firstPage = await harness.api(
      `/cockpit/v1/regions/fr-par/alert-manager/contact-points?project_id=${PROJECT}&page_size=1`,
    );
    expect(firstPage.body).toMatchObject({ total_count: 2, contact_points: [{ email: { to: "ops@example.com" } }] });

    await regional.deleteContactPoint({ projectId: PROJECT, email: { to: "ops@example.com" } });
    const missing = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/contact-points/delete", {
      method: "POST",
      body: { project_id: PROJECT, email: { to: "ops@example.com" } },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: "not_found", resource: "contact point" });

    await regional.triggerTestAlert({ projectId: PROJECT });
    const disabled = await regional.disableAlertManager({ projectId: PROJECT });
    expect(disabled).toMatchObject({ alertManagerUrl: null, alertManagerEnabled: false, managedAlertsEnabled: false });
    expect((await regional.listContactPoints({ projectId: PROJECT })).totalCount).toBe(0);
  });

  it("lists the preconfigured catalogue with the recorded rules, disabled by default", async () => {
    harness = await startCockpit({ transitionMs: TRANSITION_MS });
    const { alerts, totalCount } = await harness.regional.listAlerts({ projectId: PROJECT, isPreconfigured: true });
    expect(totalCount).toBe(22);
    const cpu = alerts.find((alert) => alert.preconfiguredData?.preconfiguredRuleId === PG_CPU);
    expect(cpu).toMatchObject({
      name: "PostgreSQLHighCPULoad",
      preconfigured: true,
      ruleStatus: "disabled",
      state: "unknown_state",
      duration: "10m",
      preconfiguredData: {
        productName: "PostgreSQL",
        productFamily: "Managed Databases",
        displayName: "High CPU usage",
      },
    });
    expect(cpu?.annotations.rule_id).toBe(PG_CPU);
    const names = alerts.map((alert) => alert.name);
    expect(names).toEqual(expect.arrayContaining(["PostgreSQLHighStorageUsage", "PostgresqlTooManyConnections"]));
    expect((await harness.regional.listAlerts({ projectId: PROJECT, isPreconfigured: false })).totalCount).toBe(0);
  });

  it("enables and disables rules per project, through enabling and disabling", async () => {
    harness = await startCockpit({ transitionMs: TRANSITION_MS });
    const { regional } = harness;
    await regional.enableAlertManager({ projectId: PROJECT });
    const enabled = await regional.enableAlertRules({ projectId: PROJECT, ruleIds: [PG_STORAGE, PG_CPU] });
    expect(enabled.enabledRuleIds).toEqual([PG_CPU, PG_STORAGE]);

    const statusOf = async (id: string, project = PROJECT) =>
      (await regional.listAlerts({ projectId: project })).alerts.find(
        (alert) => alert.preconfiguredData?.preconfiguredRuleId === id,
      )?.ruleStatus;
    expect(await statusOf(PG_CPU)).toBe("enabling");
    expect((await regional.getAlertManager({ projectId: PROJECT })).managedAlertsEnabled).toBe(true);
    await eventually(
      () => statusOf(PG_CPU),
      (status) => status === "enabled",
    );
    expect(await statusOf(PG_CPU)).toBe("enabled");
    expect(await statusOf(PG_CONNECTIONS)).toBe("disabled");
    // Another project is untouched.
    expect(await statusOf(PG_CPU, "55555555-5555-4555-8555-555555555555")).toBe("disabled");

    const onlyEnabled = await regional.listAlerts({ projectId: PROJECT, ruleStatus: "enabled" });
    expect(onlyEnabled.alerts.map((alert) => alert.name).sort()).toEqual([
      "PostgreSQLHighCPULoad",
      "PostgreSQLHighStorageUsage",
    ]);
    expect(onlyEnabled.alerts[0]?.state).toBe("inactive");
    expect(await regional.getRulesCount({ projectId: PROJECT })).toMatchObject({ preconfiguredRulesCount: 2 });

    const disabled = await regional.disableAlertRules({ projectId: PROJECT, ruleIds: [PG_CPU] });
    expect(disabled.disabledRuleIds).toEqual([PG_CPU]);
    expect(await statusOf(PG_CPU)).toBe("disabling");
    await eventually(
      () => statusOf(PG_CPU),
      (status) => status === "disabled",
    );

    const unknown = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/enable-alert-rules", {
      method: "POST",
      body: { project_id: PROJECT, rule_ids: ["00000000-0000-4000-8000-000000000000"] },
    });
    expect(unknown.status).toBe(400);
  });

  it("turns all managed alerts on and off", async () => {
    harness = await startCockpit({ transitionMs: TRANSITION_MS });
    await harness.regional.enableAlertManager({ projectId: PROJECT });
    const on = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/managed-alerts/enable", {
      method: "POST",
      body: { project_id: PROJECT },
    });
    expect(on.body).toMatchObject({ alert_manager_enabled: true, managed_alerts_enabled: true });
    const enabling = await harness.regional.listAlerts({ projectId: PROJECT, ruleStatus: "enabling" });
    expect(enabling.totalCount).toBe(22);

    const off = await harness.api("/cockpit/v1/regions/fr-par/alert-manager/managed-alerts/disable", {
      method: "POST",
      body: { project_id: PROJECT },
    });
    expect(off.body).toMatchObject({ alert_manager_enabled: true, managed_alerts_enabled: false });
  });
});
