import { describe, expect, it } from "vitest";
import { monitoringAlertContacts, monitoringAlertRules } from "./monitoring";
import { messages, runPolicies, type TestResource } from "./policyHarness";

const ALERT_MANAGER = "scaleway:observability/alertManager:AlertManager";
const alertManager = (inputs: Record<string, unknown>): TestResource => ({
  type: ALERT_MANAGER,
  name: "evalplatform-staging-cockpit",
  inputs: { region: "fr-par", preconfiguredAlertIds: ["615245e6-3882-4d99-8798-d17ca1c95645"], ...inputs },
});
const vpc = (environment: string): TestResource => ({
  type: "scaleway:network/vpc:Vpc",
  inputs: { tags: [`environment=${environment}`] },
});
const contacts = { contactPoints: [{ email: "platform-team@evalplatform.example" }] };

describe("monitoring-alert-contacts", () => {
  it("passes staging and production with a contact point, and dev without alerts", async () => {
    expect(await messages(monitoringAlertContacts, [vpc("staging"), alertManager(contacts)])).toEqual([]);
    expect(await messages(monitoringAlertContacts, [vpc("production"), alertManager(contacts)])).toEqual([]);
    expect(await messages(monitoringAlertContacts, [vpc("dev"), alertManager({ contactPoints: [] })])).toEqual([]);
    expect(await messages(monitoringAlertContacts, [vpc("dev")])).toEqual([]);
  });

  it("refuses staging without an alert manager, as a stack violation", async () => {
    const violations = await runPolicies([monitoringAlertContacts], [vpc("staging")]);
    expect(violations).toEqual([
      {
        policy: "monitoring-alert-contacts",
        message:
          "must have an alert manager in staging: create a scaleway.observability.AlertManager with contactPoints " +
          "(sovstack: monitoring.enabled and monitoring.contacts).",
        urn: undefined,
        enforcementLevel: "mandatory",
      },
    ]);
  });

  it("refuses production with an alert manager nobody hears, on that resource", async () => {
    const silent = { ...alertManager({ contactPoints: [] }), stack: "production" };
    const [violation] = await runPolicies([monitoringAlertContacts], [silent]);
    expect(violation).toMatchObject({
      message: "must notify someone in production: add an email to contactPoints (sovstack: monitoring.contacts).",
      urn: "urn:pulumi:production::sovstack::scaleway:observability/alertManager:AlertManager::evalplatform-staging-cockpit",
    });
  });
});

describe("monitoring-alert-rules", () => {
  const staging = { config: { [monitoringAlertRules.name]: { environment: "staging" } } };

  it("passes preconfigured or managed alerts in staging, and no rules in dev", async () => {
    expect(await messages(monitoringAlertRules, alertManager({}), staging)).toEqual([]);
    expect(
      await messages(
        monitoringAlertRules,
        alertManager({ preconfiguredAlertIds: [], enableManagedAlerts: true }),
        staging,
      ),
    ).toEqual([]);
    const dev = { config: { [monitoringAlertRules.name]: { environment: "dev" } } };
    expect(await messages(monitoringAlertRules, alertManager({ preconfiguredAlertIds: [] }), dev)).toEqual([]);
  });

  it("refuses an alert manager without rules in staging", async () => {
    expect(await messages(monitoringAlertRules, alertManager({ preconfiguredAlertIds: [] }), staging)).toEqual([
      "must enable alert rules in staging: set preconfiguredAlertIds (sovstack: monitoring.preconfiguredAlerts: true).",
    ]);
  });
});
