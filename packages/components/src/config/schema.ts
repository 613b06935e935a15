import { z } from "zod";
import { ENVIRONMENTS, REGIONS, bucketLimits, containerLimits, databaseLimits, monitoringLimits } from "./limits";
import { allowed, oneOfMessage, rangeMessage } from "./messages";
import { closestKey } from "./spelling";

/**
 * The stack configuration: one `Pulumi.<env>.yaml` describes one environment.
 * Every default below is the secure one; docs/configuration.md lists them all.
 */

/** An object that rejects unknown keys, naming the keys it allows and the likely typo. */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const unknown = issue.keys.map((key) => {
        const guess = closestKey(key, keys);
        return guess ? `"${key}" (did you mean "${guess}"?)` : `"${key}"`;
      });
      return `unknown key ${unknown.join(", ")}. ${allowed(
        `the keys ${keys.join(", ")}`,
        "remove the key or correct its spelling",
      )}`;
    },
  });
}

function wholeNumber(min: number, max: number, unit?: string) {
  const message = rangeMessage(min, max, unit);
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, {
    error: message,
  });
}

/** A rotation counter: raising it by one draws a new value of the credential it names. */
function rotationCounter(credential: string) {
  const message = allowed(
    "a whole number from 0 to 1000000",
    `raise the deployed value by one to draw a new ${credential} (0 or unset when never rotated)`,
  );
  return z
    .number({ error: message })
    .int({ error: message })
    .min(0, { error: message })
    .max(1_000_000, { error: message })
    .default(0);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: oneOfMessage(values) });
}

function flag() {
  return z.boolean({ error: allowed("true or false", "write true or false, without quotes") });
}

const kebabName = z
  .string({ error: allowed("a name of lowercase letters, digits and hyphens") })
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, {
    error: allowed(
      "2 to 32 lowercase letters, digits and hyphens, starting with a letter",
      "rename it, e.g. my-service",
    ),
  });

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const envVarNameSchema = z
  .string()
  .regex(envVarName, {
    error: allowed("letters, digits and underscores, not starting with a digit", "rename the variable, e.g. LOG_LEVEL"),
  })
  .refine((name) => !(containerLimits.reservedEnvNames as readonly string[]).includes(name), {
    error: allowed(
      `any name but ${containerLimits.reservedEnvNames.join(", ")}, which the platform sets`,
      "rename the variable",
    ),
  })
  .refine((name) => !name.startsWith(containerLimits.reservedEnvPrefix), {
    error: allowed(
      `names that do not start with ${containerLimits.reservedEnvPrefix} (reserved by Scaleway)`,
      "rename the variable, e.g. APP_REGION",
    ),
  });

const imageReference = z
  .string({ error: allowed("a container image reference", "set image, e.g. rg.fr-par.scw.cloud/team/api:1.4.2") })
  .regex(
    /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    {
      error: allowed(
        "an image reference registry/path:tag or registry/path@sha256:digest, in lowercase",
        "set image, e.g. rg.fr-par.scw.cloud/team/api:1.4.2",
      ),
    },
  );

const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: allowed("a fully qualified lowercase domain name", "set it to e.g. api.example.com"),
  });

const healthCheckSchema = strictObject({
  /** HTTP path probed on the container's port; a non-2xx answer marks an instance unhealthy. */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, { error: allowed("a URL path starting with /", "use e.g. /health") })
    .default("/health"),
  intervalSeconds: wholeNumber(1, 3600, "seconds").default(10),
  failureThreshold: wholeNumber(1, 50).default(3),
});

export const serviceSchema = strictObject({
  /** What the service does, shown in the Scaleway console. */
  description: z.string().max(255).optional(),
  image: imageReference,
  port: wholeNumber(1, 65535)
    .refine((port) => !(containerLimits.reservedPorts as readonly number[]).includes(port), {
      error: allowed(
        `any port from 1 to 65535 except ${containerLimits.reservedPorts.join(", ")}, which Scaleway uses`,
        "make the container listen on another port, e.g. 8080",
      ),
    })
    .default(8080),
  cpuMilli: wholeNumber(containerLimits.cpuMilli.min, containerLimits.cpuMilli.max, "mCPU").default(280),
  memoryMb: wholeNumber(containerLimits.memoryMb.min, containerLimits.memoryMb.max, "MB").default(512),
  minScale: wholeNumber(0, containerLimits.maxScale.max).default(0),
  maxScale: wholeNumber(containerLimits.maxScale.min, containerLimits.maxScale.max).default(5),
  concurrency: wholeNumber(containerLimits.concurrency.min, containerLimits.concurrency.max).default(50),
  timeoutSeconds: wholeNumber(
    containerLimits.timeoutSeconds.min,
    containerLimits.timeoutSeconds.max,
    "seconds",
  ).default(300),
  /** `public` gets an internet endpoint; `private` needs a token. Private is the safe default. */
  privacy: oneOf(["public", "private"]).default("private"),
  healthCheck: healthCheckSchema.default({ path: "/health", intervalSeconds: 10, failureThreshold: 3 }),
  env: z
    .record(
      envVarNameSchema,
      z.string().max(containerLimits.maxEnvValueLength, {
        error: allowed(
          `at most ${containerLimits.maxEnvValueLength} characters`,
          "shorten the value or move it to a bucket",
        ),
      }),
    )
    .default({}),
  /** Environment variable name -> name of a secret (a key of `secrets`, or `database-password`). */
  secrets: z.record(envVarNameSchema, z.string()).default({}),
  /** Inject DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER and the DATABASE_PASSWORD secret. */
  database: flag().default(false),
  /** Bucket key -> access this service's identity gets on it. */
  buckets: z.record(z.string(), oneOf(["read", "read-write"])).default({}),
  /** Extra IAM permission sets for the service's identity, scoped to the project. */
  permissions: z
    .array(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, {
        error: allowed("an IAM permission set name such as ObjectStorageObjectsRead"),
      }),
    )
    .default([]),
  /** Lets `permissions` hold *FullAccess sets. Off: full access is refused. */
  allowFullAccess: flag().default(false),
  /** Attach the container to the stack's private network (needed to reach the database). */
  privateNetwork: flag().default(true),
  customDomain: hostname.optional(),
});

const backupsSchema = strictObject({
  /** Hours between automated backups. */
  frequencyHours: wholeNumber(
    databaseLimits.backupFrequencyHours.min,
    databaseLimits.backupFrequencyHours.max,
    "hours",
  ).default(24),
  /** Days an automated (daily) backup is kept. */
  retentionDays: wholeNumber(
    databaseLimits.backupRetentionDays.min,
    databaseLimits.backupRetentionDays.max,
    "days",
  ).default(7),
  /** Keep a weekly backup this many days (a scheduled job). Unset: no weekly tier. */
  weeklyRetentionDays: wholeNumber(
    databaseLimits.backupRetentionDays.min,
    databaseLimits.backupRetentionDays.max,
    "days",
  ).optional(),
  /** Keep a monthly backup this many days (a scheduled job). Unset: no monthly tier. */
  monthlyRetentionDays: wholeNumber(
    databaseLimits.backupRetentionDays.min,
    databaseLimits.backupRetentionDays.max,
    "days",
  ).optional(),
  /** Store backups in the instance's region only. Off: Scaleway keeps a copy in another region. */
  sameRegion: flag().default(false),
});

const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
  error: allowed("a PostgreSQL identifier: lowercase letters, digits, underscores, at most 63", "use e.g. app"),
});

export const databaseSchema = strictObject({
  engine: oneOf(databaseLimits.engines as unknown as [string, ...string[]]).default("PostgreSQL-16"),
  nodeType: z
    .string()
    .refine((type) => (databaseLimits.nodeTypes as readonly string[]).includes(type.toUpperCase()), {
      error: oneOfMessage(databaseLimits.nodeTypes),
    })
    .default("DB-DEV-S"),
  volumeType: oneOf(databaseLimits.volumeTypes as unknown as [string, ...string[]]).default("sbs_5k"),
  volumeGb: wholeNumber(databaseLimits.volumeGb.min, databaseLimits.volumeGb.max, "GB").default(10),
  highAvailability: flag().default(false),
  readReplica: flag().default(false),
  backups: backupsSchema.default({ frequencyHours: 24, retentionDays: 7, sameRegion: false }),
  /** Refuse `pulumi destroy` and replacements of the instance (Pulumi's `protect`). */
  deletionProtection: flag().default(false),
  databaseName: sqlIdentifier.default("app"),
  userName: sqlIdentifier.default("app"),
  encryptionAtRest: flag().default(true),
  /** Raise by one to give the application user a new password (Secret Manager, the user, the containers). */
  passwordRotation: rotationCounter("password for the application user"),
  /** Raise by one to give the admin user sovstack_admin a new password. */
  adminPasswordRotation: rotationCounter("password for sovstack_admin"),
});

export const bucketSchema = strictObject({
  /** Full bucket name. Default: `<namePrefix>-<key>-<environment>`. Caution: changing it replaces the bucket. */
  name: z.string().optional(),
  versioning: flag().default(true),
  noncurrentVersionExpirationDays: wholeNumber(
    bucketLimits.lifecycleDays.min,
    bucketLimits.lifecycleDays.max,
    "days",
  ).default(30),
  abortIncompleteUploadDays: wholeNumber(
    bucketLimits.lifecycleDays.min,
    bucketLimits.lifecycleDays.max,
    "days",
  ).default(7),
  /** Delete current objects this many days after they were written. Unset: kept. */
  expireObjectsAfterDays: wholeNumber(
    bucketLimits.lifecycleDays.min,
    bucketLimits.lifecycleDays.max,
    "days",
  ).optional(),
  /** Let `destroy` delete a bucket that still holds objects. */
  forceDestroy: flag().default(false),
});

export const secretSchema = strictObject({
  description: z.string().max(255).optional(),
  /** Length of the generated value. */
  length: wholeNumber(16, 128, "characters").default(32),
  /** Raise by one to write a new random version; consumers are updated, not recreated. */
  rotation: rotationCounter("value"),
});

export const monitoringSchema = strictObject({
  enabled: flag().default(true),
  /** Email addresses the alert manager notifies. */
  contacts: z.array(z.email({ error: allowed("an email address", "write it as name@example.com") })).default([]),
  /** Days metrics and logs pushed by the stack are kept. */
  retentionDays: wholeNumber(monitoringLimits.retentionDays.min, monitoringLimits.retentionDays.max, "days").default(
    30,
  ),
  /** Enable Scaleway's preconfigured alert rules for managed databases. */
  preconfiguredAlerts: flag().default(true),
});

export const identitySchema = strictObject({
  /** When the services' API keys expire (ISO 8601). Unset: they never expire. */
  apiKeyExpiresAt: z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value), {
      error: allowed("an ISO 8601 date-time such as 2027-06-30T00:00:00Z", "write the date as YYYY-MM-DDThh:mm:ssZ"),
    })
    .optional(),
});

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
  error: allowed("a Scaleway project ID (a lowercase UUID)", "copy it from the console or `scw account project list`"),
});

const tagValue = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._:/@-]{0,62}$/, {
  error: allowed("1 to 63 letters, digits, spaces and . _ : / @ -", "shorten or simplify the tag"),
});

export const stackConfigSchema = strictObject({
  environment: oneOf(ENVIRONMENTS),
  /** Prefix of every resource name; part of bucket names, so keep it short and unique to you. */
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/, {
      error: allowed("3 to 22 lowercase letters, digits and hyphens, starting with a letter", "use e.g. evalplatform"),
    })
    .default("sovstack"),
  /** Scaleway project. Default: SCW_DEFAULT_PROJECT_ID or the scw profile's default project. */
  projectId: uuid.optional(),
  region: oneOf(REGIONS).default("fr-par"),
  owner: tagValue,
  costCenter: tagValue,
  tags: z
    .record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, { error: allowed("a lowercase tag key") }), tagValue)
    .default({}),
  services: z.record(kebabName, serviceSchema).default({}),
  database: databaseSchema.optional(),
  buckets: z.record(kebabName, bucketSchema).default({}),
  secrets: z.record(kebabName, secretSchema).default({}),
  monitoring: monitoringSchema.default({ enabled: true, contacts: [], retentionDays: 30, preconfiguredAlerts: true }),
  identity: identitySchema.default({}),
  /**
   * IAM principals that deploy the stack (`application_id:<id>` or `user_id:<id>`). When
   * set, every bucket gets a least-privilege policy that keeps them in control.
   */
  deployers: z
    .array(
      z.string().regex(/^(application_id|user_id):[0-9a-f-]{36}$/, {
        error: allowed("application_id:<uuid> or user_id:<uuid>", "copy the ID of the CI application or your IAM user"),
      }),
    )
    .default([]),
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type DatabaseConfig = z.output<typeof databaseSchema>;
export type BucketConfig = z.output<typeof bucketSchema>;
export type SecretConfig = z.output<typeof secretSchema>;
export type MonitoringConfig = z.output<typeof monitoringSchema>;
