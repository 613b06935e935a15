import { parseStackConfig, planProgram, type PlannedResource } from "@sovstack/components";
import { evalPlatform } from "../infra/program";

/** A readable plan of one environment: its settings and every resource it would create. */
export async function describeStack(raw: Record<string, unknown>, environment: string): Promise<string> {
  const config = parseStackConfig(raw, `Pulumi.${environment}.yaml`);
  const configMap = Object.fromEntries(Object.entries(raw).map(([key, value]) => [`sovstack:${key}`, value]));
  // The plan needs a project ID; a placeholder stands in when none is configured.
  process.env.SCW_DEFAULT_PROJECT_ID ??= "00000000-0000-4000-8000-000000000000";
  const { resources } = await planProgram((opts) => evalPlatform(configMap, environment, opts), {
    project: "evalplatform",
    stack: environment,
  });

  const lines = [
    `sovstack: ${config.namePrefix} ${config.environment} in ${config.region} is valid.`,
    "",
    "Services:",
    ...Object.entries(config.services).map(
      ([name, s]) =>
        `  ${name.padEnd(10)} ${s.privacy.padEnd(8)} ${String(s.cpuMilli).padStart(4)} mCPU ${String(s.memoryMb).padStart(5)} MB  scale ${s.minScale}-${s.maxScale}  ${s.image}`,
    ),
  ];
  if (config.database) {
    const db = config.database;
    lines.push(
      "",
      `Database: ${db.engine} on ${db.nodeType}, ${db.volumeGb} GB ${db.volumeType}, HA ${db.highAvailability ? "on" : "off"}, read replica ${db.readReplica ? "on" : "off"}, private network only`,
      `  backups every ${db.backups.frequencyHours} h kept ${db.backups.retentionDays} d` +
        (db.backups.weeklyRetentionDays ? `, weekly kept ${db.backups.weeklyRetentionDays} d` : "") +
        (db.backups.monthlyRetentionDays ? `, monthly kept ${db.backups.monthlyRetentionDays} d` : "") +
        (db.deletionProtection ? ", deletion protection on" : ""),
    );
  }
  const scaleway = resources.filter((resource) => resource.type.startsWith("scaleway:"));
  lines.push("", `Scaleway resources (${scaleway.length}):`, ...resourceTable(scaleway));
  return lines.join("\n");
}

function resourceTable(resources: readonly PlannedResource[]): string[] {
  const counts = new Map<string, string[]>();
  for (const resource of resources) {
    const type = resource.type.replace(/^scaleway:/, "").replace(/\/[a-zA-Z]+:/, ".");
    counts.set(type, [...(counts.get(type) ?? []), resource.name]);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, names]) => `  ${String(names.length).padStart(2)} x ${type.padEnd(34)} ${names.join(", ")}`);
}
