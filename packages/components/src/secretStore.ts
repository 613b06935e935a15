import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { generatedFormats, type GeneratedFormatName } from "./secretValue";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface SecretEntry {
  readonly description?: string;
  /** The value. Unset: a random one of `length` characters is generated once and kept. */
  readonly value?: pulumi.Input<string>;
  /** Length of a generated value. @default 32 */
  readonly length?: number;
  /**
   * What a generated value looks like: letters and digits, or a password Managed
   * Databases accepts (it also holds a hyphen). @default "letters-and-digits"
   */
  readonly format?: GeneratedFormatName;
  /**
   * Raise by one to write a new version (a new random value when generated). Consumers
   * that read `value(key)` are updated in place; the secret itself is kept.
   * @default 0
   */
  readonly rotation?: number;
}

export interface SecretStoreArgs {
  readonly region: string;
  readonly projectId?: pulumi.Input<string>;
  /** Folder of the secrets in Secret Manager. @example "/evalplatform/dev" */
  readonly path: string;
  readonly secrets: Readonly<Record<string, SecretEntry>>;
  readonly tags?: readonly string[];
  /** Per-child escape hatch (`secret`, `version`). */
  readonly transforms?: ChildTransforms<"secret" | "version">;
}

/**
 * Secrets in Scaleway Secret Manager, one version each. A rotation adds a version
 * rather than replacing the secret, so what references the secret keeps working.
 */
export class SecretStore extends pulumi.ComponentResource {
  readonly secretIds: Readonly<Record<string, pulumi.Output<string>>>;
  private readonly secretResources: Record<string, scaleway.secrets.Secret>;
  private readonly versionResources: Record<string, scaleway.secrets.Version>;
  private readonly values: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: SecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const checks = new ArgChecks(`SecretStore ${name}`);
    checks.rule(
      /^\/[a-z0-9/_-]*$/.test(args.path),
      "path",
      args.path,
      "a folder path such as /app/dev",
      "start it with / and use lowercase letters, digits, -, _",
    );
    for (const [key, entry] of Object.entries(args.secrets)) {
      checks.range(`secrets.${key}.length`, entry.length, 16, 128, "characters");
      checks.range(`secrets.${key}.rotation`, entry.rotation, 0, 1_000_000);
      checks.oneOf(`secrets.${key}.format`, entry.format, Object.keys(generatedFormats));
      checks.rule(
        /^[a-z0-9][a-z0-9_-]*$/.test(key),
        `secrets.${key}`,
        key,
        "a name of lowercase letters, digits, - and _",
        "rename the secret",
      );
    }
    checks.done();
    super("sovstack:secrets:SecretStore", name, {}, opts);
    this.secretResources = {};
    this.versionResources = {};

    const secretIds: Record<string, pulumi.Output<string>> = {};
    for (const [key, entry] of Object.entries(args.secrets)) {
      const secret = new scaleway.secrets.Secret(
        `${name}-${key}`,
        applyTransform(args.transforms, "secret", {
          name: key,
          path: args.path,
          description: entry.description,
          region: args.region,
          projectId: args.projectId,
          tags: [...(args.tags ?? [])],
        }),
        { parent: this },
      );
      const rotation = entry.rotation ?? 0;
      const generated = entry.value === undefined;
      const length = entry.length ?? 32;
      const format = entry.format ?? "letters-and-digits";
      const value = entry.value ?? generatedFormats[format].generate(length);
      // A new rotation number is a new version resource; a generated value is drawn
      // once, then kept (ignoreChanges), so re-running the program changes nothing.
      const version = new scaleway.secrets.Version(
        `${name}-${key}-v${rotation}`,
        applyTransform(args.transforms, "version", {
          secretId: secret.id,
          region: args.region,
          description: `rotation ${rotation}`,
          data: pulumi.secret(value),
        }),
        { parent: this, ignoreChanges: generated ? ["data"] : [], additionalSecretOutputs: ["data"] },
      );
      this.secretResources[key] = secret;
      this.versionResources[key] = version;
      this.values[key] = pulumi.secret(
        generated
          ? version.data.apply((data) => generatedValueFromState(data ?? "", length, format))
          : pulumi.output(entry.value as pulumi.Input<string>),
      );
      secretIds[key] = secret.id;
    }
    this.secretIds = secretIds;
    this.registerOutputs({ secretIds });
  }

  /** The current value of a secret, as a Pulumi secret: what Secret Manager holds. */
  value(key: string): pulumi.Output<string> {
    this.version(key); // names the known secrets when the key is unknown
    return this.values[key]!;
  }

  /** The version resource holding a secret's current value. */
  version(key: string): scaleway.secrets.Version {
    const version = this.versionResources[key];
    if (!version)
      throw new Error(`SecretStore: no secret named "${key}"; known: ${Object.keys(this.versionResources).join(", ")}`);
    return version;
  }

  /** The underlying Secret Manager secret. */
  secret(key: string): scaleway.secrets.Secret {
    const secret = this.secretResources[key];
    if (!secret)
      throw new Error(`SecretStore: no secret named "${key}"; known: ${Object.keys(this.secretResources).join(", ")}`);
    return secret;
  }
}

/**
 * The generated value of a version from the provider's state. The provider sends the
 * value as it is, but records it base64-encoded unless it already looks like base64, so
 * a generated value of letters and digits is recorded as itself when its length is a
 * multiple of 4 and encoded otherwise, and a database password (it holds a hyphen, which
 * base64 has not) always encoded. Decoding is unambiguous: the encoded case decodes to a
 * value of the configured length (not 3/4 of it) and format.
 */
export function generatedValueFromState(
  recorded: string,
  length: number,
  format: GeneratedFormatName = "letters-and-digits",
): string {
  const { matches } = generatedFormats[format];
  if (matches(recorded, length)) return recorded;
  const decoded = Buffer.from(recorded, "base64").toString("utf8");
  return matches(decoded, length) ? decoded : recorded;
}
