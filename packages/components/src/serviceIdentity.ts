import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { isFullAccessPermissionSet } from "./config/conventions";
import { SecretStore } from "./secretStore";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface ServiceIdentityArgs {
  /** The one project the identity may act in. */
  readonly projectId: pulumi.Input<string>;
  readonly description?: string;
  /** IAM permission sets granted, scoped to `projectId`. @example ["ObjectStorageObjectsRead"] */
  readonly permissionSets: readonly string[];
  /** Allow *FullAccess permission sets. Caution: prefer narrower sets. @default false */
  readonly allowFullAccess?: boolean;
  /** When the API key expires (ISO 8601). @default never */
  readonly apiKeyExpiresAt?: string;
  /** Where the API key is stored in Secret Manager. */
  readonly secrets: { readonly region: string; readonly path: string };
  readonly tags?: readonly string[];
  /** Per-child escape hatch (`application`, `policy`, `apiKey`). */
  readonly transforms?: ChildTransforms<"application" | "policy" | "apiKey">;
}

/**
 * An IAM application for one service, with a policy granting explicit permission sets
 * in one project, and an API key kept in Secret Manager. No permission set: no policy
 * and no key, the identity can do nothing.
 */
export class ServiceIdentity extends pulumi.ComponentResource {
  readonly applicationId: pulumi.Output<string>;
  /** Access key of the API key, or undefined when there are no permissions. */
  readonly accessKey?: pulumi.Output<string>;
  /** Secret key of the API key, as a Pulumi secret. */
  readonly secretKey?: pulumi.Output<string>;
  /** Secret Manager secret holding the secret key. */
  readonly secretKeySecretId?: pulumi.Output<string>;
  private readonly application: scaleway.iam.Application;
  private readonly policyResource?: scaleway.iam.Policy;
  private readonly apiKeyResource?: scaleway.iam.ApiKey;

  constructor(name: string, args: ServiceIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    const checks = new ArgChecks(`ServiceIdentity ${name}`);
    args.permissionSets.forEach((set, index) => {
      checks.rule(
        args.allowFullAccess === true || !isFullAccessPermissionSet(set),
        `permissionSets[${index}]`,
        set,
        "narrow permission sets; *FullAccess sets are refused",
        "use a narrower set such as ObjectStorageObjectsRead, or set allowFullAccess: true",
      );
    });
    checks.rule(
      args.apiKeyExpiresAt === undefined || !Number.isNaN(Date.parse(args.apiKeyExpiresAt)),
      "apiKeyExpiresAt",
      args.apiKeyExpiresAt,
      "an ISO 8601 date-time",
      "write it as 2027-06-30T00:00:00Z",
    );
    checks.done();
    super("sovstack:iam:ServiceIdentity", name, {}, opts);

    const tags = [...(args.tags ?? [])];
    this.application = new scaleway.iam.Application(
      name,
      applyTransform(args.transforms, "application", { name, description: args.description, tags }),
      { parent: this },
    );
    this.applicationId = this.application.id;

    const permissionSets = [...new Set(args.permissionSets)].sort();
    if (permissionSets.length > 0) {
      this.policyResource = new scaleway.iam.Policy(
        name,
        applyTransform(args.transforms, "policy", {
          name,
          description: `Least privilege for ${name}: ${permissionSets.join(", ")}`,
          applicationId: this.application.id,
          rules: [{ projectIds: [args.projectId], permissionSetNames: permissionSets }],
          tags,
        }),
        { parent: this },
      );
      this.apiKeyResource = new scaleway.iam.ApiKey(
        name,
        applyTransform(args.transforms, "apiKey", {
          applicationId: this.application.id,
          defaultProjectId: args.projectId,
          description: `API key of ${name}`,
          expiresAt: args.apiKeyExpiresAt,
        }),
        { parent: this, additionalSecretOutputs: ["secretKey"] },
      );
      const store = new SecretStore(
        `${name}-key`,
        {
          region: args.secrets.region,
          projectId: args.projectId,
          path: args.secrets.path,
          tags,
          secrets: {
            [`${name}-api-key`]: {
              description: `Secret key of the API key of ${name}`,
              value: this.apiKeyResource.secretKey,
            },
          },
        },
        { parent: this },
      );
      this.accessKey = this.apiKeyResource.accessKey;
      this.secretKey = pulumi.secret(this.apiKeyResource.secretKey);
      this.secretKeySecretId = store.secretIds[`${name}-api-key`];
    }
    this.registerOutputs({
      applicationId: this.applicationId,
      accessKey: this.accessKey,
      secretKeySecretId: this.secretKeySecretId,
    });
  }

  get applicationResource(): scaleway.iam.Application {
    return this.application;
  }

  get policy(): scaleway.iam.Policy | undefined {
    return this.policyResource;
  }

  get apiKey(): scaleway.iam.ApiKey | undefined {
    return this.apiKeyResource;
  }
}
