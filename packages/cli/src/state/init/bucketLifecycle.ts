import type { LifecycleRule } from "@aws-sdk/client-s3";

/** The one lifecycle rule init owns in a state bucket; other rules are kept as they are. */
export const RETENTION_RULE_ID = "sovstack-state-retention";

export interface RetentionSettings {
  /** Days a replaced or deleted state file stays recoverable. */
  readonly keepDays: number;
  /**
   * Noncurrent versions kept whatever their age (S3's NewerNoncurrentVersions). Scaleway
   * documents NoncurrentDays only, so this is sent only when asked for.
   */
  readonly keepVersions: number | undefined;
  readonly abortUploadsAfterDays: number;
}

/**
 * Versions of state files that were replaced or deleted expire after keepDays (and,
 * with keepVersions, only beyond that many newer ones); uploads never completed are
 * aborted. The current version of a state file never expires.
 */
export function retentionRule(settings: RetentionSettings): LifecycleRule {
  return {
    ID: RETENTION_RULE_ID,
    Status: "Enabled",
    Filter: { Prefix: "" },
    NoncurrentVersionExpiration: {
      NoncurrentDays: settings.keepDays,
      ...(settings.keepVersions !== undefined ? { NewerNoncurrentVersions: settings.keepVersions } : {}),
    },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: settings.abortUploadsAfterDays },
  };
}

/** Whether the bucket's rule already does what `desired` says. */
export function sameRetention(current: LifecycleRule | undefined, desired: LifecycleRule): boolean {
  if (!current) return false;
  const number = (value: number | undefined) => (value === undefined ? undefined : Number(value));
  return (
    current.Status === desired.Status &&
    (current.Filter?.Prefix ?? current.Prefix ?? "") === "" &&
    !current.Filter?.Tag &&
    !current.Filter?.And &&
    number(current.NoncurrentVersionExpiration?.NoncurrentDays) ===
      desired.NoncurrentVersionExpiration?.NoncurrentDays &&
    number(current.NoncurrentVersionExpiration?.NewerNoncurrentVersions) ===
      desired.NoncurrentVersionExpiration?.NewerNoncurrentVersions &&
    number(current.AbortIncompleteMultipartUpload?.DaysAfterInitiation) ===
      desired.AbortIncompleteMultipartUpload?.DaysAfterInitiation &&
    !current.Expiration &&
    !current.Transitions?.length &&
    !current.NoncurrentVersionTransitions?.length
  );
}

/** The bucket's rules with init's rule put in place of its former version. */
export function withRetention(rules: readonly LifecycleRule[], desired: LifecycleRule): LifecycleRule[] {
  return [...rules.filter((rule) => rule.ID !== RETENTION_RULE_ID), desired];
}

/** Other enabled rules that expire current versions: they would delete live state files. */
export function rulesExpiringState(rules: readonly LifecycleRule[]): string[] {
  return rules
    .filter((rule) => rule.ID !== RETENTION_RULE_ID && rule.Status === "Enabled" && rule.Expiration)
    .filter((rule) => rule.Expiration?.Days !== undefined || rule.Expiration?.Date !== undefined)
    .map((rule) => rule.ID ?? "(no ID)");
}
