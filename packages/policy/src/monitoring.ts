import { resourcePolicy, stackPolicy } from "./definePolicy";
import type { Environment } from "./environment";
import { asArray, asRecord, isSet, isUnknown, type PlainRecord } from "./inputs";
import { isOfType, types } from "./resourceTypes";

/** Where alerts must reach someone: a dev stack may stay silent. */
const ALERTED: ReadonlySet<Environment> = new Set(["staging", "production"]);

function hasContact(inputs: PlainRecord): boolean {
  const points = inputs.contactPoints;
  if (isUnknown(points)) return true;
  return (asArray(points) ?? []).some((point) => isUnknown(point) || isSet(asRecord(point)?.email));
}

export const monitoringAlertContacts = stackPolicy({
  name: "monitoring-alert-contacts",
  domain: "monitoring",
  description: "Staging and production have a Cockpit alert manager with at least one contact point.",
  validate: ({ resources, environment, report }) => {
    if (!ALERTED.has(environment)) return;
    const managers = resources.filter((resource) => isOfType(resource.type, "alertManager"));
    if (managers.length === 0) {
      report(
        `must have an alert manager in ${environment}: create a scaleway.observability.AlertManager ` +
          "with contactPoints (sovstack: monitoring.enabled and monitoring.contacts).",
      );
    }
    for (const manager of managers.filter((candidate) => !hasContact(candidate.inputs))) {
      report(
        `must notify someone in ${environment}: add an email to contactPoints (sovstack: monitoring.contacts).`,
        manager.urn,
      );
    }
  },
});

export const monitoringAlertRules = resourcePolicy({
  name: "monitoring-alert-rules",
  domain: "monitoring",
  description: "In staging and production, the alert manager has alert rules enabled.",
  appliesTo: types.alertManager,
  validate: ({ resource, environment, report }) => {
    if (!ALERTED.has(environment)) return;
    const { preconfiguredAlertIds, enableManagedAlerts } = resource.inputs;
    if (isUnknown(preconfiguredAlertIds) || (asArray(preconfiguredAlertIds) ?? []).length > 0) return;
    if (enableManagedAlerts === true) return;
    report(
      `must enable alert rules in ${environment}: set preconfiguredAlertIds ` +
        "(sovstack: monitoring.preconfiguredAlerts: true).",
    );
  },
});

export const monitoringPolicies = [monitoringAlertContacts, monitoringAlertRules];
