import { resourcePolicy } from "./definePolicy";
import { asArray, asRecord, asString, isSet, isUnknown } from "./inputs";
import { types } from "./resourceTypes";

/** A policy allowed to hold some *FullAccess permission sets, because nothing narrower exists for its job. */
export interface FullAccessException {
  /** Name of the IAM policy; `*` matches any characters. */
  readonly policyName: string;
  readonly permissionSets: readonly string[];
}

interface FullAccessSettings {
  readonly fullAccessExceptions: readonly FullAccessException[];
}

/**
 * sovstack's backup tiers (BackupTiers) run `scw rdb backup create`, which no permission
 * set narrower than RelationalDatabasesFullAccess allows. Their policy is named
 * `<prefix>-<environment>-backups-jobs`; that set, for that name, is the default exception.
 */
export const BACKUP_JOBS_EXCEPTION: FullAccessException = {
  policyName: "*-backups-jobs",
  permissionSets: ["RelationalDatabasesFullAccess"],
};

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export const iamNoFullAccess = resourcePolicy<FullAccessSettings>({
  name: "iam-no-full-access",
  domain: "iam",
  description: "IAM policies grant narrow permission sets, not *FullAccess ones, except the listed exceptions.",
  appliesTo: types.iamPolicy,
  settings: {
    defaults: { fullAccessExceptions: [BACKUP_JOBS_EXCEPTION] },
    schema: {
      fullAccessExceptions: {
        type: "array",
        description: "Policies (by name, * as wildcard) allowed to hold the listed *FullAccess permission sets.",
        items: {
          type: "object",
          required: ["policyName", "permissionSets"],
          properties: {
            policyName: { type: "string", minLength: 1 },
            permissionSets: { type: "array", items: { type: "string", pattern: "FullAccess$" } },
          },
        },
      },
    },
  },
  validate: ({ resource, settings, report }) => {
    const policyName = asString(resource.inputs.name) ?? resource.name;
    const allowed = new Set(
      settings.fullAccessExceptions
        .filter((exception) => globToRegExp(exception.policyName).test(policyName))
        .flatMap((exception) => exception.permissionSets),
    );
    for (const rule of asArray(resource.inputs.rules) ?? []) {
      for (const set of asArray(asRecord(rule)?.permissionSetNames) ?? []) {
        const name = asString(set);
        if (name === undefined || !/FullAccess$/.test(name) || allowed.has(name)) continue;
        report(
          `must not grant ${name}: grant the narrow permission sets the principal needs ` +
            "(e.g. ObjectStorageObjectsRead), or, if none is narrow enough, add the policy to fullAccessExceptions " +
            "in packages/policy/src/packConfig.ts, then run `npm run config -w @sovstack/policy` (a stack made by `sovstack init`: in its packages/policy/config/<stack>.json).",
        );
      }
    }
  },
});

export const iamProjectScoped = resourcePolicy({
  name: "iam-project-scoped",
  domain: "iam",
  description: "IAM policy rules apply to named projects, never to the whole organization.",
  appliesTo: types.iamPolicy,
  validate: ({ resource, report }) => {
    const rules = resource.inputs.rules;
    if (isUnknown(rules)) return;
    (asArray(rules) ?? []).forEach((rule, index) => {
      const record = asRecord(rule);
      if (!record) return;
      if (isSet(record.organizationId)) {
        report(`must scope rule ${index} to projects, not the organization: replace organizationId with projectIds.`);
        return;
      }
      const projects = record.projectIds;
      if (!isUnknown(projects) && (asArray(projects) ?? []).length === 0) {
        report(`must scope rule ${index} to projects: set projectIds to the project(s) the principal works in.`);
      }
    });
  },
});

export const iamApiKeyExpires = resourcePolicy({
  name: "iam-api-key-expires",
  domain: "iam",
  description: "API keys expire, so that a leaked key stops working.",
  appliesTo: types.iamApiKey,
  validate: ({ resource, report }) => {
    const expiresAt = resource.inputs.expiresAt;
    if (!isSet(expiresAt)) {
      report(
        "must expire: set expiresAt (sovstack: identity.apiKeyExpiresAt, e.g. 2027-06-30T00:00:00Z) " +
          "and rotate the key before that date.",
      );
      return;
    }
    const text = asString(expiresAt);
    if (text !== undefined && Number.isNaN(Date.parse(text))) {
      report("must expire at a valid date: write expiresAt as an ISO 8601 date-time such as 2027-06-30T00:00:00Z.");
    }
  },
});

export const iamNoUserApiKeys = resourcePolicy({
  name: "iam-no-user-api-keys",
  domain: "iam",
  description: "API keys belong to IAM applications (one per service), not to users.",
  appliesTo: types.iamApiKey,
  validate: ({ resource, report }) => {
    if (isSet(resource.inputs.userId)) {
      report(
        "must belong to an IAM application, not a user: create an application for the service " +
          "and set applicationId instead of userId.",
      );
    }
  },
});

export const iamPolicies = [iamNoFullAccess, iamProjectScoped, iamApiKeyExpires, iamNoUserApiKeys];
