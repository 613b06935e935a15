import { describe, expect, it } from "vitest";
import { Monitoring, type MonitoringArgs } from "./monitoring";
import { planProgram } from "./plan";
import { preconfiguredAlertRules } from "./preconfiguredAlerts";
import { ofType, single } from "./testSupport";

const plan = (args: Partial<MonitoringArgs> = {}) =>
  planProgram((opts) => new Monitoring("cockpit", { region: "fr-par", ...args }, opts), {
    project: "test",
    stack: "dev",
  });

describe("Monitoring", () => {
  it("enables the alert manager with contacts and the PostgreSQL rules", async () => {
    const { resources } = await plan({ contacts: ["oncall@example.com"] });
    const manager = single(resources, "scaleway:observability/alertManager:AlertManager");
    expect(manager.inputs.contactPoints).toEqual([{ email: "oncall@example.com" }]);
    expect(manager.inputs.preconfiguredAlertIds).toEqual(
      expect.arrayContaining(Object.keys(preconfiguredAlertRules.postgresql)),
    );
  });

  it("keeps metrics and logs 30 days by default, with a push-only token", async () => {
    const { resources } = await plan();
    const sources = ofType(resources, "scaleway:observability/source:Source");
    expect(sources.map((s) => [s.inputs.type, s.inputs.retentionDays]).sort()).toEqual([
      ["logs", 30],
      ["metrics", 30],
    ]);
    expect(single(resources, "scaleway:observability/token:Token").inputs.scopes).toEqual({
      writeMetrics: true,
      writeLogs: true,
    });
  });

  it("refuses a retention above a year and a malformed contact", async () => {
    await expect(plan({ retentionDays: 400, contacts: ["oncall"] })).rejects.toThrow(
      /retentionDays: 400[\s\S]*contacts\[0\]: "oncall"/,
    );
  });
});
