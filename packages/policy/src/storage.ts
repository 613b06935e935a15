import { resourcePolicy, stackPolicy, type StackResource } from "./definePolicy";
import { asArray, asRecord, asString, isSet, isUnknown, type Plain } from "./inputs";
import { isOfType, types } from "./resourceTypes";

// Canned ACLs that open a bucket: authenticated-read opens it to every Scaleway account.
const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
// Predefined grantee groups of the S3 ACL model that mean "everyone".
const PUBLIC_GRANTEES = /\/(AllUsers|AuthenticatedUsers)$/;

export const storageBucketPrivate = resourcePolicy({
  name: "storage-bucket-private",
  domain: "storage",
  description:
    "Buckets are private: no public-read, public-read-write or authenticated-read ACL, no grant to everyone.",
  appliesTo: [...types.bucket, ...types.bucketAcl],
  validate: ({ resource, report }) => {
    const { inputs } = resource;
    const acl = asString(inputs.acl);
    if (acl !== undefined && PUBLIC_ACLS.has(acl)) {
      report(`must be private: set acl to "private" (it is "${acl}"); give access through IAM or a bucket policy.`);
    }
    if (!isOfType(resource.type, "bucketAcl")) return;
    const grants = asArray(asRecord(inputs.accessControlPolicy)?.grants) ?? [];
    for (const grant of grants) {
      const record = asRecord(grant);
      const uri = asString(asRecord(record?.grantee)?.uri);
      if (uri !== undefined && PUBLIC_GRANTEES.test(uri)) {
        const permission = asString(record?.permission) ?? "access";
        report(`must not grant ${permission} to ${uri.split("/").pop()}: remove that grant from accessControlPolicy.`);
      }
    }
  },
});

export const storageBucketVersioning = resourcePolicy({
  name: "storage-bucket-versioning",
  domain: "storage",
  description: "Buckets keep the versions of their objects, so that an overwrite or delete can be undone.",
  appliesTo: types.bucket,
  validate: ({ resource, report }) => {
    const versioning = resource.inputs.versioning;
    if (isUnknown(versioning)) return;
    const enabled = asRecord(versioning)?.enabled;
    if (enabled !== true && !isUnknown(enabled)) {
      report("must keep object versions: set versioning: { enabled: true }.");
    }
  },
});

export const storageBucketLifecycle = resourcePolicy({
  name: "storage-bucket-lifecycle",
  domain: "storage",
  description: "Buckets have enabled lifecycle rules (expire noncurrent versions, abort incomplete uploads).",
  appliesTo: types.bucket,
  validate: ({ resource, report }) => {
    const rules = resource.inputs.lifecycleRules;
    if (isUnknown(rules)) return;
    const list = asArray(rules) ?? [];
    if (list.length === 0) {
      report(
        "must have lifecycle rules: add lifecycleRules that expire noncurrent versions " +
          "(noncurrentVersionExpiration) and abort incomplete uploads (abortIncompleteMultipartUploadDays).",
      );
    } else if (!list.some((rule) => asRecord(rule)?.enabled !== false)) {
      report("must enable at least one lifecycle rule: set enabled: true on the rules of lifecycleRules.");
    }
  },
});

/** Whether a statement's principal is everyone: "*", { SCW: "*" }, { AWS: "*" } or a list holding "*". */
function isEveryone(principal: Plain | undefined): boolean {
  if (principal === "*") return true;
  const record = asRecord(principal);
  if (!record) return false;
  return Object.values(record).some((value) => value === "*" || (asArray(value) ?? []).includes("*"));
}

export const storageNoPublicBucketPolicy = resourcePolicy({
  name: "storage-no-public-bucket-policy",
  domain: "storage",
  description: 'Bucket policies allow named principals only, never everyone (Principal "*").',
  appliesTo: types.bucketPolicy,
  validate: ({ resource, report }) => {
    const text = asString(resource.inputs.policy);
    if (text === undefined) return;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      report("must be a valid JSON policy document: fix the syntax of policy so that it can be checked.");
      return;
    }
    const statements = (document as { Statement?: unknown }).Statement;
    const list = (Array.isArray(statements) ? statements : [statements]) as Array<Record<string, Plain> | undefined>;
    list.forEach((statement, index) => {
      if (statement?.Effect === "Allow" && isEveryone(statement.Principal)) {
        const sid = asString(statement.Sid) ?? `#${index}`;
        report(
          `must not allow everyone: statement ${sid} has Principal "*"; ` +
            'name the principals instead, e.g. { "SCW": "application_id:<id>" }.',
        );
      }
    });
  },
});

/** The bucket name a resource's `bucket` input points to (it may be written `<region>/<name>`). */
function bucketName(value: Plain | undefined): string | undefined {
  return asString(value)?.split("/").pop();
}

function encrypts(configuration: StackResource): boolean {
  const rules = asArray(configuration.inputs.rules);
  if (rules === undefined) return isUnknown(configuration.inputs.rules);
  return rules.some((rule) => {
    const defaults = asRecord(rule)?.applyServerSideEncryptionByDefault;
    return isUnknown(defaults) || isSet(asRecord(defaults)?.sseAlgorithm);
  });
}

export const storageBucketEncryption = stackPolicy({
  name: "storage-bucket-encryption",
  domain: "storage",
  description: "Every bucket has a server-side encryption configuration (SSE-S3, AES-256).",
  validate: ({ resources, report }) => {
    const configurations = resources.filter((resource) => isOfType(resource.type, "bucketEncryption"));
    for (const configuration of configurations) {
      if (!encrypts(configuration)) {
        report(
          "must set a default encryption: add rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: " +
            '"AES256" } }].',
          configuration.urn,
        );
      }
    }
    // A configuration whose bucket is not known yet (preview) and whose dependencies the
    // engine did not pass may be any bucket's: nothing can be said until the update.
    const unresolved = configurations.some(
      (configuration) =>
        isUnknown(configuration.inputs.bucket) && (configuration.propertyDependencies.bucket ?? []).length === 0,
    );
    if (unresolved) return;
    for (const bucket of resources.filter((resource) => isOfType(resource.type, "bucket"))) {
      const name = asString(bucket.inputs.name);
      const covered = configurations.some(
        (configuration) =>
          (configuration.propertyDependencies.bucket ?? []).includes(bucket.urn) ||
          (name !== undefined && bucketName(configuration.inputs.bucket) === name),
      );
      if (!covered) {
        report(
          `must be encrypted server-side: add a BucketServerSideEncryptionConfiguration for bucket ` +
            `${name ?? bucket.name} with sseAlgorithm "AES256".`,
          bucket.urn,
        );
      }
    }
  },
});

export const storagePolicies = [
  storageBucketPrivate,
  storageBucketVersioning,
  storageBucketEncryption,
  storageNoPublicBucketPolicy,
  storageBucketLifecycle,
];
