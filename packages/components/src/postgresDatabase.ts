import * as pulumi from "@pulumi/pulumi";
import * as scaleway from "@pulumiverse/scaleway";
import { databaseLimits } from "./config/limits";
import { SecretStore } from "./secretStore";
import { applyTransform, type ChildTransforms } from "./transforms";
import { ArgChecks } from "./validation";

export interface PostgresBackups {
  /** Hours between automated backups, 1-24. @default 24 */
  readonly frequencyHours?: number;
  /** Days an automated backup is kept, 1-365. @default 7 */
  readonly retentionDays?: number;
  /** Keep backups in the instance's region only. @default false */
  readonly sameRegion?: boolean;
}

export interface PostgresDatabaseArgs {
  readonly region: string;
  readonly projectId?: pulumi.Input<string>;
  /** @default "PostgreSQL-16" */
  readonly engine?: string;
  /** Node type. Caution: changing it migrates the instance. @default "DB-DEV-S" */
  readonly nodeType?: string;
  /** @default "sbs_5k" */
  readonly volumeType?: string;
  /** Volume size, 5-500 GB (block volumes). @default 10 */
  readonly volumeGb?: number;
  /** A standby node with automatic fail-over. Caution: forces replacement. @default false */
  readonly highAvailability?: boolean;
  /** A read replica on the private network. @default false */
  readonly readReplica?: boolean;
  readonly backups?: PostgresBackups;
  /** Encrypt the volume and backups at rest. Caution: forces replacement. @default true */
  readonly encryptionAtRest?: boolean;
  /** Private network the instance is reachable on. It has no public endpoint. */
  readonly privateNetworkId: pulumi.Input<string>;
  /** Protect the instance from deletion and replacement (Pulumi `protect`). @default false */
  readonly deletionProtection?: boolean;
  /** @default "app" */
  readonly databaseName?: string;
  /** Application user, owner of the database. @default "app" */
  readonly userName?: string;
  /** Secret Manager folder for the passwords. @example "/evalplatform/dev" */
  readonly secretPath: string;
  /**
   * Raise by one to give the application user a new random password: a new Secret
   * Manager version, the user updated in place, consumers of `password` updated.
   * @default 0
   */
  readonly passwordRotation?: number;
  /** Raise by one to give the admin user `sovstack_admin` a new random password. @default 0 */
  readonly adminPasswordRotation?: number;
  readonly tags?: readonly string[];
  /** Per-child escape hatch. */
  readonly transforms?: ChildTransforms<"instance" | "database" | "user" | "privilege" | "readReplica">;
}

export const postgresDefaults = {
  engine: "PostgreSQL-16",
  nodeType: "DB-DEV-S",
  volumeType: "sbs_5k",
  volumeGb: 10,
  backups: { frequencyHours: 24, retentionDays: 7, sameRegion: false },
  databaseName: "app",
  userName: "app",
} as const;

const ADMIN_USER = "sovstack_admin";
const PASSWORD_LENGTH = 32;
/** Rotation counters go as high as secrets' do. */
const MAX_ROTATION = 1_000_000;

/**
 * Managed PostgreSQL reachable only on a private network: encrypted at rest, backed
 * up on a schedule, with one database and one application user. Secret Manager is the
 * source of the passwords: each is drawn once into a secret version, and the users take
 * theirs from it, so a new version (a raised rotation counter) changes the password.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
  readonly instanceId: pulumi.Output<string>;
  /** Private IP address of the instance on the private network. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: pulumi.Output<string>;
  readonly userName: pulumi.Output<string>;
  /** The application user's password, as a Pulumi secret. */
  readonly password: pulumi.Output<string>;
  /** Secret Manager secret that holds the application user's password. */
  readonly passwordSecretId: pulumi.Output<string>;
  private readonly instanceResource: scaleway.databases.Instance;
  private readonly replicaResource?: scaleway.databases.ReadReplica;

  constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const d = postgresDefaults;
    const backups = { ...d.backups, ...args.backups };
    const nodeType = args.nodeType ?? d.nodeType;
    const volumeType = args.volumeType ?? d.volumeType;
    const databaseName = args.databaseName ?? d.databaseName;
    const userName = args.userName ?? d.userName;
    const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

    new ArgChecks(`PostgresDatabase ${name}`)
      .oneOf("engine", args.engine ?? d.engine, databaseLimits.engines)
      .rule(
        (databaseLimits.nodeTypes as readonly string[]).includes(nodeType.toUpperCase()),
        "nodeType",
        nodeType,
        `one of ${databaseLimits.nodeTypes.join(", ")}`,
        "pick a node type Managed Databases offers",
      )
      .oneOf("volumeType", volumeType, databaseLimits.volumeTypes)
      .range("volumeGb", args.volumeGb, databaseLimits.volumeGb.min, databaseLimits.volumeGb.max, "GB")
      .range(
        "backups.frequencyHours",
        backups.frequencyHours,
        databaseLimits.backupFrequencyHours.min,
        databaseLimits.backupFrequencyHours.max,
        "hours",
      )
      .range(
        "backups.retentionDays",
        backups.retentionDays,
        databaseLimits.backupRetentionDays.min,
        databaseLimits.backupRetentionDays.max,
        "days",
      )
      .rule(identifier.test(databaseName), "databaseName", databaseName, "a PostgreSQL identifier", "use e.g. app")
      .rule(
        identifier.test(userName) && userName !== ADMIN_USER,
        "userName",
        userName,
        `a PostgreSQL identifier other than ${ADMIN_USER}`,
        "use e.g. app",
      )
      .range("passwordRotation", args.passwordRotation, 0, MAX_ROTATION)
      .range("adminPasswordRotation", args.adminPasswordRotation, 0, MAX_ROTATION)
      .done();
    super("sovstack:databases:PostgresDatabase", name, {}, opts);

    const tags = [...(args.tags ?? [])];
    const protect = args.deletionProtection === true;
    // Each password is drawn once into the secret version of its rotation (the store keeps
    // it with ignoreChanges); the users follow the version, so a new rotation sets a new
    // password. The names are those of the versions stacks deployed before rotations
    // existed, so that rotation 0 is the password they already have.
    const userSecret = `${name}-password`;
    const adminSecret = `${name}-admin-password`;
    const store = new SecretStore(
      `${name}-passwords`,
      {
        region: args.region,
        projectId: args.projectId,
        path: args.secretPath,
        tags,
        secrets: {
          [userSecret]: {
            description: `Password of PostgreSQL user ${userName}`,
            format: "database-password",
            length: PASSWORD_LENGTH,
            rotation: args.passwordRotation ?? 0,
          },
          [adminSecret]: {
            description: `Password of PostgreSQL admin ${ADMIN_USER}`,
            format: "database-password",
            length: PASSWORD_LENGTH,
            rotation: args.adminPasswordRotation ?? 0,
          },
        },
      },
      { parent: this },
    );
    const userPassword = store.value(userSecret);
    const adminPassword = store.value(adminSecret);

    this.instanceResource = new scaleway.databases.Instance(
      name,
      applyTransform(args.transforms, "instance", {
        name,
        region: args.region,
        projectId: args.projectId,
        engine: args.engine ?? d.engine,
        nodeType,
        isHaCluster: args.highAvailability ?? false,
        volumeType,
        volumeSizeInGb: volumeType === "lssd" ? undefined : (args.volumeGb ?? d.volumeGb),
        encryptionAtRest: args.encryptionAtRest ?? true,
        disableBackup: false,
        backupScheduleFrequency: backups.frequencyHours,
        backupScheduleRetention: backups.retentionDays,
        backupSameRegion: backups.sameRegion,
        // Only a private endpoint: no load balancer block, so no public endpoint.
        privateNetwork: { pnId: args.privateNetworkId, enableIpam: true },
        userName: ADMIN_USER,
        password: adminPassword,
        tags,
      }),
      { parent: this, protect, additionalSecretOutputs: ["password"] },
    );

    const database = new scaleway.databases.Database(
      name,
      applyTransform(args.transforms, "database", {
        instanceId: this.instanceResource.id,
        name: databaseName,
        region: args.region,
      }),
      { parent: this, protect },
    );
    const user = new scaleway.databases.User(
      name,
      applyTransform(args.transforms, "user", {
        instanceId: this.instanceResource.id,
        name: userName,
        password: userPassword,
        isAdmin: false,
        region: args.region,
      }),
      { parent: this, additionalSecretOutputs: ["password"] },
    );
    new scaleway.databases.Privilege(
      name,
      applyTransform(args.transforms, "privilege", {
        instanceId: this.instanceResource.id,
        databaseName: database.name,
        userName: user.name,
        permission: "all",
        region: args.region,
      }),
      { parent: this },
    );

    if (args.readReplica) {
      this.replicaResource = new scaleway.databases.ReadReplica(
        `${name}-replica`,
        applyTransform(args.transforms, "readReplica", {
          instanceId: this.instanceResource.id,
          region: args.region,
          privateNetwork: { privateNetworkId: args.privateNetworkId, enableIpam: true },
        }),
        { parent: this },
      );
    }

    const privateEndpoint = this.instanceResource.privateNetwork;
    this.instanceId = this.instanceResource.id;
    this.host = privateEndpoint.apply((endpoint) => endpoint?.ip ?? "");
    this.port = privateEndpoint.apply((endpoint) => endpoint?.port ?? 5432);
    this.databaseName = database.name;
    this.userName = user.name;
    // Read back from the user, so that consumers change once the database has the new password.
    this.password = pulumi.secret(user.password.apply((password) => password ?? ""));
    this.passwordSecretId = store.secretIds[userSecret]!;
    this.registerOutputs({
      instanceId: this.instanceId,
      host: this.host,
      port: this.port,
      databaseName: this.databaseName,
      userName: this.userName,
      passwordSecretId: this.passwordSecretId,
    });
  }

  get instance(): scaleway.databases.Instance {
    return this.instanceResource;
  }

  get readReplica(): scaleway.databases.ReadReplica | undefined {
    return this.replicaResource;
  }
}
