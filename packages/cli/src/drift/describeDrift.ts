import type { DriftReport, DriftedResource } from "./driftReport";
import type { PropertyChange } from "./propertyChanges";

/** Longest value shown in the text report; --json has them whole. */
const MAX_VALUE_LENGTH = 120;

/** The drift report as text for a terminal or a CI log. */
export function describeDrift(report: DriftReport): string {
  const { environment, resources, resourcesChecked } = report;
  if (!report.drifted) {
    const checked =
      resourcesChecked === 1
        ? "1 resource read from Scaleway matches"
        : `${resourcesChecked} resources read from Scaleway match`;
    return `No drift in ${environment}: the ${checked} the last deployment.`;
  }
  const count = resources.length === 1 ? "1 resource differs" : `${resources.length} resources differ`;
  const lines = [
    `Drift in ${environment}: ${count} from the last deployment (changed outside code); ${plural(resourcesChecked, "resource")} read.`,
  ];
  for (const resource of resources) lines.push("", ...describeResource(resource));
  lines.push(
    "",
    `Fix: \`sovstack up ${environment}\` puts them back as the code says; to keep a change instead, ` +
      `write it in infra/Pulumi.${environment}.yaml first.`,
  );
  return lines.join("\n");
}

function describeResource(resource: DriftedResource): string[] {
  const where = resource.id ? ` (${resource.id})` : "";
  if (resource.deletionRequestedAt) {
    return [
      `  - ${resource.type} ${resource.name}${where}`,
      `      deleted outside code at ${resource.deletionRequestedAt}: Secret Manager will remove it and its versions; \`up\` restores it`,
    ];
  }
  if (resource.change === "deleted") {
    return [`  - ${resource.type} ${resource.name}${where}`, "      deleted outside code: it no longer exists"];
  }
  const header = `  ~ ${resource.type} ${resource.name}${where}`;
  if (resource.properties.length === 0) return [header, "      changed (the provider named no property)"];
  return [header, ...resource.properties.map(describeProperty)];
}

function describeProperty(change: PropertyChange): string {
  return `      ${change.path}: ${showValue(change.old)} → ${showValue(change.new)}`;
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  if (value === "[secret]") return value;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
