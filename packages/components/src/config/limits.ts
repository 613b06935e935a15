/**
 * Limits of Scaleway's products that sovstack validates before anything is created.
 * Sources: the Scaleway product documentation (Serverless Containers limitations,
 * Managed Databases for PostgreSQL, Object Storage bucket naming) and the recorded
 * API traffic in the repository's shared recordings.
 */
export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export type Region = (typeof REGIONS)[number];

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const containerLimits = {
  cpuMilli: { min: 100, max: 4000 },
  memoryMb: { min: 128, max: 8192 },
  /** The "Max Scale (simultaneous Container instances)" limit. */
  maxScale: { min: 1, max: 50 },
  /** Concurrent requests one container instance handles before another starts. */
  concurrency: { min: 1, max: 80 },
  timeoutSeconds: { min: 1, max: 900 },
  /** Ports the platform itself listens on inside a container. */
  reservedPorts: [8008, 8012, 8013, 8022, 9090, 9091],
  /** Environment variables the platform sets itself. */
  reservedEnvNames: ["PORT"],
  reservedEnvPrefix: "SCW_",
  maxEnvVars: 100,
  maxEnvValueLength: 1000,
} as const;

export const databaseLimits = {
  volumeGb: { min: 5, max: 500 },
  backupRetentionDays: { min: 1, max: 365 },
  backupFrequencyHours: { min: 1, max: 24 },
  /** PostgreSQL versions Managed Databases offers; sovstack deploys 16. */
  engines: ["PostgreSQL-16"],
  /**
   * Node types offered for PostgreSQL (Managed Databases catalogue). The API answers
   * them in lower case; both spellings are accepted.
   */
  nodeTypes: [
    "DB-DEV-S",
    "DB-DEV-M",
    "DB-DEV-L",
    "DB-DEV-XL",
    "DB-PLAY2-PICO",
    "DB-PLAY2-NANO",
    "DB-PRO2-XXS",
    "DB-PRO2-XS",
    "DB-PRO2-S",
    "DB-PRO2-M",
    "DB-PRO2-L",
    "DB-POP2-2C-8G",
    "DB-POP2-4C-16G",
    "DB-POP2-8C-32G",
    "DB-POP2-16C-64G",
    "DB-POP2-32C-128G",
    "DB-POP2-HM-2C-16G",
    "DB-POP2-HM-4C-32G",
    "DB-POP2-HM-8C-64G",
    "DB-POP2-HC-2C-4G",
    "DB-POP2-HC-4C-8G",
  ],
  volumeTypes: ["sbs_5k", "sbs_15k", "lssd"],
} as const;

export const monitoringLimits = {
  retentionDays: { min: 1, max: 365 },
} as const;

export const bucketLimits = {
  nameLength: { min: 3, max: 63 },
  lifecycleDays: { min: 1, max: 3650 },
} as const;
