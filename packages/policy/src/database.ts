import { resourcePolicy } from "./definePolicy";
import { asNumber, asRecord, asString, isSet, isUnknown, type Plain } from "./inputs";
import { isOfType, types } from "./resourceTypes";
import { WORKLOAD_TYPES, commandLine, plainEnvironment, secretEnvironment } from "./workloads";

/** Managed Databases keeps automated backups this many days when backupScheduleRetention is unset. */
export const SCALEWAY_DEFAULT_BACKUP_RETENTION_DAYS = 7;

export const databaseNoPublicEndpoint = resourcePolicy({
  name: "database-no-public-endpoint",
  domain: "database",
  description: "Databases are reachable only on a private network: no load balancer (public) endpoint.",
  appliesTo: [...types.databaseInstance, ...types.databaseReadReplica],
  validate: ({ resource, report }) => {
    const { inputs, type } = resource;
    if (isOfType(type, "databaseInstance") && isSet(inputs.loadBalancer)) {
      report("must not have a public endpoint: remove loadBalancer and reach the database on privateNetwork.");
    }
    if (isOfType(type, "databaseReadReplica") && isSet(inputs.directAccess)) {
      report("must not have a public endpoint: remove directAccess and read the replica on privateNetwork.");
    }
  },
});

export const databaseEncryptionAtRest = resourcePolicy({
  name: "database-encryption-at-rest",
  domain: "database",
  description: "Database volumes and backups are encrypted at rest.",
  appliesTo: types.databaseInstance,
  validate: ({ resource, report }) => {
    const encrypted = resource.inputs.encryptionAtRest;
    if (encrypted !== true && !isUnknown(encrypted)) {
      report(
        "must encrypt its volume and backups at rest: set encryptionAtRest: true " +
          "(this replaces the instance: restore a backup into the new one).",
      );
    }
  },
});

export const databaseBackupsEnabled = resourcePolicy({
  name: "database-backups-enabled",
  domain: "database",
  description: "Databases keep automated backups.",
  appliesTo: types.databaseInstance,
  validate: ({ resource, report }) => {
    if (resource.inputs.disableBackup === true) {
      report("must keep automated backups: remove disableBackup or set it to false.");
    }
  },
});

interface RetentionSettings {
  readonly minRetentionDays: number;
  readonly productionMinRetentionDays: number;
}

export const databaseBackupRetention = resourcePolicy<RetentionSettings>({
  name: "database-backup-retention",
  domain: "database",
  description: "Automated backups are kept at least 7 days, and at least 30 days in production.",
  appliesTo: types.databaseInstance,
  settings: {
    defaults: { minRetentionDays: 7, productionMinRetentionDays: 30 },
    schema: {
      minRetentionDays: { type: "integer", minimum: 1, maximum: 365 },
      productionMinRetentionDays: { type: "integer", minimum: 1, maximum: 365 },
    },
  },
  validate: ({ resource, environment, settings, report }) => {
    const { inputs } = resource;
    // Disabled backups are database-backups-enabled's violation.
    if (inputs.disableBackup === true || isUnknown(inputs.backupScheduleRetention)) return;
    const days = asNumber(inputs.backupScheduleRetention) ?? SCALEWAY_DEFAULT_BACKUP_RETENTION_DAYS;
    const minimum = environment === "production" ? settings.productionMinRetentionDays : settings.minRetentionDays;
    if (days < minimum) {
      report(
        `must keep backups at least ${minimum} days in ${environment}: ` +
          `set backupScheduleRetention to ${minimum} or more (it is ${days}).`,
      );
    }
  },
});

export const databaseHighAvailability = resourcePolicy({
  name: "database-high-availability",
  domain: "database",
  description: "Production databases run as a high-availability cluster (a standby node with fail-over).",
  appliesTo: types.databaseInstance,
  validate: ({ resource, environment, report }) => {
    const ha = resource.inputs.isHaCluster;
    if (environment === "production" && ha !== true && !isUnknown(ha)) {
      report(
        "must run as a high-availability cluster in production: set isHaCluster: true " +
          "(sovstack: database.highAvailability: true; this replaces the instance).",
      );
    }
  },
});

export const databaseDeletionProtection = resourcePolicy({
  name: "database-deletion-protection",
  domain: "database",
  description: "Production databases are protected from deletion and replacement (Pulumi's protect option).",
  appliesTo: types.databaseInstance,
  validate: ({ resource, environment, report }) => {
    if (environment === "production" && !resource.protect) {
      report(
        "must be protected from deletion in production: set the resource option protect: true " +
          "(sovstack: database.deletionProtection: true).",
      );
    }
  },
});

// Settings that would turn TLS off or allow protocol versions older than TLS 1.2, for the
// PostgreSQL and MySQL engines of Managed Databases. It serves TLS on every endpoint; these
// keys are refused so that no configuration tries to weaken that.
const OFF = new Set(["off", "false", "0", "no"]);
const OLD_TLS = /^tlsv1(\.[01])?$/i;
const WEAK_TLS_SETTINGS: Readonly<Record<string, (value: string) => boolean>> = {
  ssl: (value) => OFF.has(value.trim().toLowerCase()),
  ssl_min_protocol_version: (value) => OLD_TLS.test(value.trim()),
  require_secure_transport: (value) => OFF.has(value.trim().toLowerCase()),
  tls_version: (value) => value.split(",").some((version) => OLD_TLS.test(version.trim())),
};

export const databaseTls = resourcePolicy({
  name: "database-tls",
  domain: "database",
  description: "Database settings keep TLS on, at version 1.2 or later.",
  appliesTo: types.databaseInstance,
  validate: ({ resource, report }) => {
    for (const input of ["settings", "initSettings"] as const) {
      for (const [key, value] of Object.entries(asRecord(resource.inputs[input]) ?? {})) {
        const weakens = WEAK_TLS_SETTINGS[key.toLowerCase()];
        const text = asString(value);
        if (weakens && text !== undefined && weakens(text)) {
          report(`must not weaken TLS: remove ${input}.${key} = ${text} (Managed Databases serves TLS 1.2 or later).`);
        }
      }
    }
  },
});

// libpq's sslmode values that accept an unencrypted connection; JDBC's ssl=false likewise.
const WEAK_SSLMODES = /^(disable|allow|prefer)$/i;
const WEAK_SSL_IN_URL = /[?&](sslmode=(disable|allow|prefer)|ssl=false)\b/i;

export const databaseClientsRequireTls = resourcePolicy({
  name: "database-clients-require-tls",
  domain: "database",
  description: "Workloads connect to databases with TLS required: no sslmode that accepts plain text.",
  appliesTo: WORKLOAD_TYPES,
  validate: ({ resource, report }) => {
    const { inputs, type } = resource;
    const variables: [string, Plain][] = [
      ...Object.entries(plainEnvironment(type, inputs)),
      ...Object.entries(secretEnvironment(inputs)),
    ];
    for (const [name, value] of variables) {
      const text = asString(value);
      if (text === undefined) continue;
      if ((/SSLMODE$/i.test(name) && WEAK_SSLMODES.test(text)) || WEAK_SSL_IN_URL.test(text)) {
        report(`must require TLS to the database: ${name} accepts plain text; use sslmode=verify-full (or require).`);
      }
    }
    if (commandLine(inputs).some((text) => WEAK_SSL_IN_URL.test(text))) {
      report("must require TLS to the database: the command line accepts plain text; use sslmode=verify-full.");
    }
  },
});

export const databasePolicies = [
  databaseNoPublicEndpoint,
  databaseEncryptionAtRest,
  databaseBackupsEnabled,
  databaseBackupRetention,
  databaseHighAvailability,
  databaseDeletionProtection,
  databaseTls,
  databaseClientsRequireTls,
];
