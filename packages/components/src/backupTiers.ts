import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { databaseLimits } from "./config/limits";
import { ServiceIdentity } from "./serviceIdentity";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

/** The scw CLI image the backup jobs run (pinned). */
export const SCW_CLI_IMAGE = "scaleway/cli:v2.50.0";

export interface BackupTiersArgs {
  readonly region: string;
  readonly projectId: pulumi.Input<string>;
  readonly instanceId: pulumi.Input<string>;
  readonly databaseName: pulumi.Input<string>;
  /** Days a weekly backup is kept. Unset: no weekly tier. */
  readonly weeklyRetentionDays?: number;
  /** Days a monthly backup is kept. Unset: no monthly tier. */
  readonly monthlyRetentionDays?: number;
  /** Secret Manager folder for the jobs' API key. */
  readonly secretPath: string;
  readonly apiKeyExpiresAt?: string;
  readonly tags?: readonly string[];
  readonly transforms?: ChildTransforms<"job">;
}

const TIERS = {
  weekly: { schedule: "0 3 * * 0", retentionKey: "weeklyRetentionDays" },
  monthly: { schedule: "0 4 1 * *", retentionKey: "monthlyRetentionDays" },
} as const;

/**
 * Backup tiers beyond Managed Databases' single automated schedule: a Serverless Job
 * per tier that runs the scw CLI on a cron schedule and creates a backup that expires
 * after the tier's retention.
 *
 * The jobs' identity holds RelationalDatabasesFullAccess on the project, explicitly
 * allowed: Scaleway offers no narrower permission set that can create backups.
 */
export class BackupTiers extends pulumi.ComponentResource {
  readonly jobIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: BackupTiersArgs, opts?: pulumi.ComponentResourceOptions) {
    const { min, max } = databaseLimits.backupRetentionDays;
    new ArgChecks(`BackupTiers ${name}`)
      .range("weeklyRetentionDays", args.weeklyRetentionDays, min, max, "days")
      .range("monthlyRetentionDays", args.monthlyRetentionDays, min, max, "days")
      .done();
    super("sovstack:databases:BackupTiers", name, {}, opts);

    const tags = [...(args.tags ?? [])];
    const identity = new ServiceIdentity(
      `${name}-jobs`,
      {
        projectId: args.projectId,
        description: `Creates the tiered backups of ${name}`,
        permissionSets: ["RelationalDatabasesFullAccess"],
        allowFullAccess: true,
        apiKeyExpiresAt: args.apiKeyExpiresAt,
        secrets: { region: args.region, path: args.secretPath },
        tags,
      },
      { parent: this },
    );

    const jobIds: Record<string, pulumi.Output<string>> = {};
    for (const [tier, { schedule, retentionKey }] of Object.entries(TIERS)) {
      const retentionDays = args[retentionKey];
      if (retentionDays === undefined) continue;
      const script = pulumi.interpolate`scw rdb backup create instance-id=${args.instanceId} database-name=${args.databaseName} name=${tier}-$(date -u +%Y%m%d) expires-at=$(date -u -d @$(( $(date +%s) + ${retentionDays} * 86400 )) +%Y-%m-%dT%H:%M:%SZ) region=${args.region}`;
      const job = new scaleway.job.Definition(
        `${name}-${tier}`,
        applyTransform(args.transforms, "job", {
          name: `${name}-${tier}`,
          description: `${tier} backup of ${name}, kept ${retentionDays} days`,
          region: args.region,
          projectId: args.projectId,
          imageUri: SCW_CLI_IMAGE,
          cpuLimit: 140,
          memoryLimit: 256,
          localStorageCapacity: 1000,
          timeout: "30m",
          cron: { schedule, timezone: "Etc/UTC" },
          startupCommands: ["/bin/sh", "-c"],
          args: [script],
          env: {
            SCW_ACCESS_KEY: identity.accessKey!,
            SCW_DEFAULT_PROJECT_ID: args.projectId,
            SCW_DEFAULT_REGION: args.region,
          },
          secretReferences: [
            { secretId: identity.secretKeySecretId!, secretVersion: "latest", environment: "SCW_SECRET_KEY" },
          ],
        }),
        { parent: this },
      );
      jobIds[tier] = job.id;
    }
    this.jobIds = jobIds;
    this.registerOutputs({ jobIds });
  }
}
