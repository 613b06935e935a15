import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { bucketLimits } from "./config/limits";
import { bucketNameProblem } from "./naming";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

/** A Scaleway IAM principal for a bucket policy: `application_id:<id>` or `user_id:<id>`. */
export type BucketPrincipal = pulumi.Input<string>;

export interface BucketAccess {
  /** May read and list objects. */
  readonly readers?: readonly BucketPrincipal[];
  /** May read, list, write and delete objects. */
  readonly writers?: readonly BucketPrincipal[];
  /**
   * Keep full control of the bucket (the deployer). Required as soon as a policy is set:
   * a bucket policy denies everything it does not allow, its owner's access included.
   */
  readonly admins: readonly BucketPrincipal[];
}

export interface BucketArgs {
  /** Globally unique DNS name. Caution: changing it replaces the bucket and its objects. */
  readonly bucketName: string;
  readonly region: string;
  readonly projectId?: pulumi.Input<string>;
  /** Keep every version of every object. @default true */
  readonly versioning?: boolean;
  /** Days a noncurrent version is kept. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days before an unfinished multipart upload is aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** Days before current objects expire. @default never */
  readonly expireObjectsAfterDays?: number;
  /** Let destroy delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
  /** Who may do what; unset: no bucket policy, only the project's IAM rules apply. */
  readonly access?: BucketAccess;
  readonly tags?: Readonly<Record<string, string>>;
  /** Per-child escape hatch. */
  readonly transforms?: ChildTransforms<"bucket" | "acl" | "encryption" | "policy">;
}

const READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"];
const WRITE_ACTIONS = [
  ...READ_ACTIONS,
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
];

/**
 * A private Object Storage bucket: versioned, encrypted server-side (SSE-S3, AES-256),
 * lifecycle rules that expire noncurrent versions and abort stale uploads, and a
 * least-privilege bucket policy when access is given.
 */
export class Bucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  /** s3://-style endpoint of the bucket. */
  readonly endpoint: pulumi.Output<string>;
  private readonly bucketResource: scaleway.object.Bucket;

  constructor(name: string, args: BucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const days = bucketLimits.lifecycleDays;
    const problem = bucketNameProblem(args.bucketName);
    const access = args.access;
    new ArgChecks(`Bucket ${name}`)
      .rule(
        problem === undefined,
        "bucketName",
        args.bucketName,
        `a DNS-compliant name (it ${problem ?? ""})`,
        "use 3-63 lowercase letters, digits and hyphens, not an IP address",
      )
      .range("noncurrentVersionExpirationDays", args.noncurrentVersionExpirationDays, days.min, days.max, "days")
      .range("abortIncompleteUploadDays", args.abortIncompleteUploadDays, days.min, days.max, "days")
      .range("expireObjectsAfterDays", args.expireObjectsAfterDays, days.min, days.max, "days")
      .rule(
        !access || access.admins.length > 0,
        "access.admins",
        [],
        "at least one principal",
        "add the deployer, e.g. application_id:<id>, or the policy locks everyone out",
      )
      .done();
    super("sovstack:object:Bucket", name, {}, opts);

    const versioning = args.versioning ?? true;
    const lifecycleRules: scaleway.types.input.object.BucketLifecycleRule[] = [
      {
        id: "abort-incomplete-uploads",
        enabled: true,
        abortIncompleteMultipartUploadDays: args.abortIncompleteUploadDays ?? 7,
      },
    ];
    if (versioning) {
      lifecycleRules.push({
        id: "expire-noncurrent-versions",
        enabled: true,
        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays ?? 30 },
      });
    }
    if (args.expireObjectsAfterDays !== undefined) {
      lifecycleRules.push({ id: "expire-objects", enabled: true, expiration: { days: args.expireObjectsAfterDays } });
    }

    this.bucketResource = new scaleway.object.Bucket(
      name,
      applyTransform(args.transforms, "bucket", {
        name: args.bucketName,
        region: args.region,
        projectId: args.projectId,
        versioning: { enabled: versioning },
        lifecycleRules,
        forceDestroy: args.forceDestroy ?? false,
        tags: { ...args.tags },
      }),
      { parent: this },
    );
    new scaleway.object.BucketAcl(
      name,
      applyTransform(args.transforms, "acl", {
        bucket: this.bucketResource.name,
        region: args.region,
        projectId: args.projectId,
        acl: "private",
      }),
      { parent: this },
    );
    new scaleway.object.BucketServerSideEncryptionConfiguration(
      name,
      applyTransform(args.transforms, "encryption", {
        bucket: this.bucketResource.name,
        region: args.region,
        projectId: args.projectId,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      }),
      { parent: this },
    );
    if (access) {
      new scaleway.object.BucketPolicy(
        name,
        applyTransform(args.transforms, "policy", {
          bucket: this.bucketResource.name,
          region: args.region,
          projectId: args.projectId,
          policy: bucketPolicyDocument(args.bucketName, access),
        }),
        { parent: this },
      );
    }
    this.bucketName = this.bucketResource.name;
    this.endpoint = pulumi.interpolate`https://${this.bucketResource.name}.s3.${args.region}.scw.cloud`;
    this.registerOutputs({ bucketName: this.bucketName, endpoint: this.endpoint });
  }

  get bucket(): scaleway.object.Bucket {
    return this.bucketResource;
  }
}

/** The bucket policy JSON: admins keep everything, writers and readers get object actions only. */
export function bucketPolicyDocument(bucketName: string, access: BucketAccess): pulumi.Output<string> {
  const resources = [bucketName, `${bucketName}/*`];
  const statement = (sid: string, principals: readonly BucketPrincipal[], actions: string[]) =>
    pulumi.all(principals.map((p) => pulumi.output(p))).apply((scw) => ({
      Sid: sid,
      Effect: "Allow",
      Principal: { SCW: [...scw].sort() },
      Action: actions,
      Resource: resources,
    }));
  const statements = [statement("admins", access.admins, ["s3:*"])];
  if (access.writers?.length) statements.push(statement("writers", access.writers, WRITE_ACTIONS));
  if (access.readers?.length) statements.push(statement("readers", access.readers, READ_ACTIONS));
  return pulumi
    .all(statements)
    .apply((all) => JSON.stringify({ Version: "2023-04-17", Id: `${bucketName}-policy`, Statement: all }));
}
