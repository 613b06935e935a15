import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { monitoringLimits } from "./config/limits";
import { preconfiguredAlertRules } from "./preconfiguredAlerts";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface MonitoringArgs {
  readonly region: string;
  readonly projectId?: pulumi.Input<string>;
  /** Email addresses notified by the alert manager. */
  readonly contacts?: readonly string[];
  /** Days metrics and logs pushed by the stack are kept, 1-365. @default 30 */
  readonly retentionDays?: number;
  /** Enable the preconfigured rules for managed PostgreSQL and Cockpit ingestion. @default true */
  readonly preconfiguredAlerts?: boolean;
  /** Extra preconfigured rule IDs to enable. */
  readonly extraAlertRuleIds?: readonly string[];
  /** Per-child escape hatch. */
  readonly transforms?: ChildTransforms<"alertManager" | "metrics" | "logs" | "token">;
}

/**
 * Cockpit for one project: the alert manager with its contact points and the
 * preconfigured rules, metrics and logs sources with their retention, and a token
 * that can only push metrics and logs.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly metricsPushUrl: pulumi.Output<string>;
  readonly logsPushUrl: pulumi.Output<string>;
  /** Token to push metrics and logs, as a Pulumi secret. */
  readonly pushToken: pulumi.Output<string>;
  readonly alertRuleIds: readonly string[];
  private readonly alertManagerResource: scaleway.observability.AlertManager;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const retentionDays = args.retentionDays ?? 30;
    const checks = new ArgChecks(`Monitoring ${name}`).range(
      "retentionDays",
      retentionDays,
      monitoringLimits.retentionDays.min,
      monitoringLimits.retentionDays.max,
      "days",
    );
    (args.contacts ?? []).forEach((email, index) =>
      checks.rule(
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email),
        `contacts[${index}]`,
        email,
        "an email address",
        "write it as name@example.com",
      ),
    );
    checks.done();
    super("sovstack:observability:Monitoring", name, {}, opts);

    this.alertRuleIds =
      args.preconfiguredAlerts === false
        ? [...(args.extraAlertRuleIds ?? [])]
        : [
            ...Object.keys(preconfiguredAlertRules.postgresql),
            ...Object.keys(preconfiguredAlertRules.cockpit),
            ...(args.extraAlertRuleIds ?? []),
          ];

    this.alertManagerResource = new scaleway.observability.AlertManager(
      name,
      applyTransform(args.transforms, "alertManager", {
        region: args.region,
        projectId: args.projectId,
        contactPoints: (args.contacts ?? []).map((email) => ({ email })),
        preconfiguredAlertIds: [...this.alertRuleIds],
      }),
      { parent: this },
    );
    const metrics = new scaleway.observability.Source(
      `${name}-metrics`,
      applyTransform(args.transforms, "metrics", {
        name: `${name}-metrics`,
        type: "metrics",
        retentionDays,
        region: args.region,
        projectId: args.projectId,
      }),
      { parent: this },
    );
    const logs = new scaleway.observability.Source(
      `${name}-logs`,
      applyTransform(args.transforms, "logs", {
        name: `${name}-logs`,
        type: "logs",
        retentionDays,
        region: args.region,
        projectId: args.projectId,
      }),
      { parent: this },
    );
    const token = new scaleway.observability.Token(
      `${name}-push`,
      applyTransform(args.transforms, "token", {
        name: `${name}-push`,
        region: args.region,
        projectId: args.projectId,
        scopes: { writeMetrics: true, writeLogs: true },
      }),
      { parent: this, additionalSecretOutputs: ["secretKey"] },
    );
    this.metricsPushUrl = metrics.pushUrl;
    this.logsPushUrl = logs.pushUrl;
    this.pushToken = pulumi.secret(token.secretKey);
    this.registerOutputs({ metricsPushUrl: this.metricsPushUrl, logsPushUrl: this.logsPushUrl });
  }

  get alertManager(): scaleway.observability.AlertManager {
    return this.alertManagerResource;
  }
}
