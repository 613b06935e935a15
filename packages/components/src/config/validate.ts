import type { z } from "zod";
import { bucketNameProblem, defaultBucketName } from "../naming";
import {
  DATABASE_PASSWORD_SECRET,
  bucketEnvName,
  databaseEnv,
  identityEnv,
  isFullAccessPermissionSet,
} from "./conventions";
import { ConfigValidationError, type ConfigIssue } from "./issues";
import { containerLimits } from "./limits";
import { allowed } from "./messages";
import { stackConfigSchema, type StackConfig } from "./schema";

export type ValidationResult =
  { readonly ok: true; readonly config: StackConfig } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export interface ValidateOptions {
  /** Reference time for dates that must lie in the future. */
  readonly now?: Date;
}

/** Checks a raw configuration and reports every problem at once. */
export function validateStackConfig(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const parsed = stackConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(fromZodIssue) };
  const issues = crossCheck(parsed.data, options.now ?? new Date());
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config: parsed.data };
}

/** Like validateStackConfig, but throws a ConfigValidationError listing every problem. */
export function parseStackConfig(raw: unknown, source?: string, options: ValidateOptions = {}): StackConfig {
  const result = validateStackConfig(raw, options);
  if (!result.ok) throw new ConfigValidationError(result.issues, source);
  return result.config;
}

function fromZodIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const key = issue.path.map(String).join(".");
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return { key, message: `is missing. ${allowed(`a ${issue.expected}`, `add ${key} to the configuration`)}` };
  }
  if (issue.code === "invalid_key") {
    // A record's key failed its own schema: report the key's own message.
    return { key, message: issue.issues[0]?.message ?? issue.message, received: issue.input };
  }
  if (issue.code === "unrecognized_keys") return { key, message: issue.message };
  return { key, message: issue.message, received: issue.input };
}

/** Rules that join several keys: references between services, secrets, buckets and the database. */
function crossCheck(config: StackConfig, now: Date): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const secretNames = Object.keys(config.secrets);
  const bucketKeys = Object.keys(config.buckets);

  if (config.secrets[DATABASE_PASSWORD_SECRET]) {
    issues.push({
      key: `secrets.${DATABASE_PASSWORD_SECRET}`,
      message: `is reserved: sovstack generates it for the database. ${allowed("any other secret name", "rename the secret")}`,
    });
  }

  for (const [name, service] of Object.entries(config.services)) {
    const at = `services.${name}`;
    if (service.minScale > service.maxScale) {
      issues.push({
        key: `${at}.minScale`,
        received: service.minScale,
        message: allowed(`at most maxScale (${service.maxScale})`, `lower minScale or raise ${at}.maxScale`),
      });
    }
    if (service.database && !config.database) {
      issues.push({
        key: `${at}.database`,
        received: true,
        message: allowed("true only when the stack has a database", "add a `database` section or set it to false"),
      });
    }
    if (service.customDomain && service.privacy !== "public") {
      issues.push({
        key: `${at}.customDomain`,
        received: service.customDomain,
        message: allowed("a custom domain on public services only", `set ${at}.privacy to public or remove the domain`),
      });
    }

    const secretTargets = config.database ? [...secretNames, DATABASE_PASSWORD_SECRET] : secretNames;
    for (const [envName, secretName] of Object.entries(service.secrets)) {
      if (!secretTargets.includes(secretName)) {
        issues.push({
          key: `${at}.secrets.${envName}`,
          received: secretName,
          message: allowed(
            secretTargets.length > 0
              ? `a secret of this stack: ${secretTargets.join(", ")}`
              : "a secret of this stack (none is defined)",
            "add it under `secrets` or correct the name",
          ),
        });
      }
      if (envName in service.env) {
        issues.push({
          key: `${at}.secrets.${envName}`,
          message: `is also set in ${at}.env. ${allowed("each variable in env or in secrets, not both", "remove one of them")}`,
        });
      }
    }

    for (const bucketKey of Object.keys(service.buckets)) {
      if (!bucketKeys.includes(bucketKey)) {
        issues.push({
          key: `${at}.buckets.${bucketKey}`,
          message: `names no bucket of this stack. ${allowed(
            bucketKeys.length > 0 ? `one of ${bucketKeys.join(", ")}` : "a key of `buckets` (none is defined)",
            "add the bucket under `buckets` or correct the key",
          )}`,
        });
      }
    }

    service.permissions.forEach((permission, index) => {
      if (isFullAccessPermissionSet(permission) && !service.allowFullAccess) {
        issues.push({
          key: `${at}.permissions.${index}`,
          received: permission,
          message: allowed(
            "narrow permission sets such as ObjectStorageObjectsRead; *FullAccess sets are refused",
            `use a narrower set, or set ${at}.allowFullAccess: true if full access is really needed`,
          ),
        });
      }
    });

    const injected = injectedEnvNames(service, config);
    for (const envName of [...Object.keys(service.env), ...Object.keys(service.secrets)]) {
      if (injected.includes(envName)) {
        issues.push({
          key: `${at}.env.${envName}`,
          message: `is set by sovstack for this service. ${allowed(`names other than ${injected.join(", ")}`, "rename the variable")}`,
        });
      }
    }
    const total = Object.keys(service.env).length + Object.keys(service.secrets).length + injected.length;
    if (total > containerLimits.maxEnvVars) {
      issues.push({
        key: `${at}.env`,
        message: `holds ${total} variables with secrets and injected ones. ${allowed(
          `at most ${containerLimits.maxEnvVars}`,
          "remove variables or group them in one JSON value",
        )}`,
      });
    }
  }

  const bucketNames = new Map<string, string>();
  for (const [key, bucket] of Object.entries(config.buckets)) {
    const name = bucket.name ?? defaultBucketName(config.namePrefix, key, config.environment);
    const problem = bucketNameProblem(name);
    if (problem) {
      issues.push({
        key: bucket.name ? `buckets.${key}.name` : `buckets.${key}`,
        received: name,
        message: `The bucket name ${problem}. ${allowed(
          "a DNS name of 3 to 63 lowercase letters, digits and hyphens, not an IP address",
          bucket.name ? "choose another name" : "shorten namePrefix or the bucket key, or set an explicit name",
        )}`,
      });
    }
    const other = bucketNames.get(name);
    if (other) {
      issues.push({
        key: `buckets.${key}.name`,
        received: name,
        message: `is also the name of bucket ${other}. ${allowed("a distinct name per bucket", "rename one of them")}`,
      });
    }
    bucketNames.set(name, key);
  }

  const expiresAt = config.identity.apiKeyExpiresAt;
  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
    issues.push({
      key: "identity.apiKeyExpiresAt",
      received: expiresAt,
      message: allowed("a date in the future", "set a later expiry and plan the key rotation before it"),
    });
  }
  return issues;
}

/** Environment variables AppStack sets on a service; the user's own must not collide with them. */
export function injectedEnvNames(
  service: StackConfig["services"][string],
  config: Pick<StackConfig, "database">,
): string[] {
  const names: string[] = [];
  if (service.database && config.database) names.push(...Object.values(databaseEnv));
  for (const key of Object.keys(service.buckets)) names.push(bucketEnvName(key));
  if (Object.keys(service.buckets).length > 0 || service.permissions.length > 0)
    names.push(...Object.values(identityEnv));
  return names;
}
