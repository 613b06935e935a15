/**
 * The state bucket's policy, in Scaleway's bucket policy language (version 2023-04-17:
 * whatever is not allowed is denied, and only to principals IAM also allows). Two
 * statements: the operators keep every right, so that nobody running init locks
 * themselves out (Scaleway warns about that), and the CI identity may only read and write
 * state files, never delete a version for good nor change the bucket.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const POLICY_VERSION = "2023-04-17";
const OPERATORS_SID = "SovstackOperators";
const DEPLOY_SID = "SovstackDeployIdentity";

/** What Pulumi's s3:// backend, the S3 lease and `sovstack state history|backup|restore` do. */
export const DEPLOY_ACTIONS = [
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:GetBucketLocation",
  "s3:GetBucketVersioning",
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
] as const;

export interface StatePolicyInput {
  readonly bucket: string;
  /** `user_id:<id>` or `application_id:<id>`: who keeps full control. */
  readonly operators: readonly string[];
  /** The CI identity, `application_id:<id>`. */
  readonly deployIdentity: string;
}

export function statePolicy(input: StatePolicyInput): Record<string, Json> {
  const resources = [input.bucket, `${input.bucket}/*`];
  return {
    Version: POLICY_VERSION,
    Id: "sovstack-state",
    Statement: [
      {
        Sid: OPERATORS_SID,
        Effect: "Allow",
        Principal: { SCW: [...new Set(input.operators)].sort() },
        Action: "s3:*",
        Resource: resources,
      },
      {
        Sid: DEPLOY_SID,
        Effect: "Allow",
        Principal: { SCW: input.deployIdentity },
        Action: [...DEPLOY_ACTIONS],
        Resource: resources,
      },
    ],
  };
}

/**
 * The operators an existing policy already keeps in control: a later init by someone else
 * adds them, it does not drop whoever ran it before.
 */
export function operatorsOf(policyText: string | undefined): string[] {
  const statement = statementsOf(policyText).find((s) => s.Sid === OPERATORS_SID);
  const principal = statement?.Principal;
  if (!principal || typeof principal !== "object" || Array.isArray(principal)) return [];
  return asList(principal.SCW).filter((value): value is string => typeof value === "string" && value !== "*");
}

/** Statements of an existing policy that init did not write (they would be removed). */
export function foreignStatements(policyText: string | undefined): string[] {
  return statementsOf(policyText)
    .filter((s) => s.Sid !== OPERATORS_SID && s.Sid !== DEPLOY_SID)
    .map((s) => (typeof s.Sid === "string" ? s.Sid : JSON.stringify(s)));
}

/** Whether two policies say the same, however the API wrote them back. */
export function samePolicy(current: string | undefined, desired: Record<string, Json>): boolean {
  if (!current) return false;
  try {
    return JSON.stringify(normalise(JSON.parse(current) as Json)) === JSON.stringify(normalise(desired));
  } catch {
    return false;
  }
}

/**
 * Scaleway answers a policy normalised: keys sorted, lists of strings sorted, a list of
 * one string written as that string. Both sides are brought to that form to compare.
 */
function normalise(value: Json): Json {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    if (!items.every((item) => typeof item === "string")) return items;
    const sorted = [...(items as string[])].sort();
    return sorted.length === 1 ? sorted[0]! : sorted;
  }
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalise(value[key]!)]),
    );
  return value;
}

function statementsOf(policyText: string | undefined): Array<Record<string, Json>> {
  if (!policyText) return [];
  try {
    const policy = JSON.parse(policyText) as { Statement?: Json };
    return asList(policy.Statement).filter(
      (s): s is Record<string, Json> => !!s && typeof s === "object" && !Array.isArray(s),
    );
  } catch {
    return [];
  }
}

function asList(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
