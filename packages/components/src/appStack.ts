import * as pulumi from "@pulumi/pulumi";
import { BackupTiers } from "./backupTiers";
import { Bucket } from "./bucket";
import {
  DATABASE_PASSWORD_SECRET,
  bucketAccessPermissions,
  bucketEnvName,
  databaseEnv,
  identityEnv,
} from "./config/conventions";
import type { StackConfig } from "./config/schema";
import { Monitoring } from "./monitoring";
import { defaultBucketName, resourceName } from "./naming";
import { PostgresDatabase } from "./postgresDatabase";
import { PrivateNetwork } from "./privateNetwork";
import { SecretStore } from "./secretStore";
import { ServerlessService } from "./serverlessService";
import { ServiceIdentity } from "./serviceIdentity";
import { toTagList } from "./tags";

export interface AppStackArgs {
  /** A validated configuration (parseStackConfig). */
  readonly config: StackConfig;
  /** The project everything is created in and IAM policies are scoped to. */
  readonly projectId: string;
}

/** What a deployment exposes: endpoints, the database's private address, bucket names. */
export interface AppStackOutputs {
  readonly endpoints: pulumi.Output<Record<string, string>>;
  readonly publicEndpoints: pulumi.Output<Record<string, string>>;
  readonly databaseHost?: pulumi.Output<string>;
  readonly databasePort?: pulumi.Output<number>;
  readonly databaseName?: pulumi.Output<string>;
  readonly databaseUser?: pulumi.Output<string>;
  readonly bucketNames: pulumi.Output<Record<string, string>>;
  readonly privateNetworkId: pulumi.Output<string>;
}

/**
 * A whole environment from one configuration: a private network, secrets, the
 * database and its backup tiers, buckets, one IAM identity and one serverless
 * service per service, and Cockpit monitoring.
 */
export class AppStack extends pulumi.ComponentResource implements AppStackOutputs {
  readonly endpoints: pulumi.Output<Record<string, string>>;
  readonly publicEndpoints: pulumi.Output<Record<string, string>>;
  readonly databaseHost?: pulumi.Output<string>;
  readonly databasePort?: pulumi.Output<number>;
  readonly databaseName?: pulumi.Output<string>;
  readonly databaseUser?: pulumi.Output<string>;
  readonly bucketNames: pulumi.Output<Record<string, string>>;
  readonly privateNetworkId: pulumi.Output<string>;
  readonly services: Readonly<Record<string, ServerlessService>>;
  readonly identities: Readonly<Record<string, ServiceIdentity>>;
  readonly buckets: Readonly<Record<string, Bucket>>;
  readonly database?: PostgresDatabase;
  readonly monitoring?: Monitoring;

  constructor(name: string, args: AppStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovstack:stack:AppStack", name, {}, opts);
    const { config, projectId } = args;
    const { region, environment, namePrefix: prefix } = config;
    const named = (part: string) => resourceName(prefix, environment, part);
    const secretPath = `/${prefix}/${environment}`;
    const tagMap = {
      ...config.tags,
      environment,
      owner: config.owner,
      "cost-center": config.costCenter,
      "managed-by": "sovstack",
    };
    const tags = toTagList(tagMap);
    const child = { parent: this };

    const network = new PrivateNetwork(named("net"), { region, projectId, tags }, child);
    this.privateNetworkId = network.privateNetworkId;

    const appSecrets = new SecretStore(
      named("secrets"),
      { region, projectId, path: secretPath, tags, secrets: config.secrets },
      child,
    );

    if (config.database) {
      const db = config.database;
      this.database = new PostgresDatabase(
        named("db"),
        {
          region,
          projectId,
          engine: db.engine,
          nodeType: db.nodeType,
          volumeType: db.volumeType,
          volumeGb: db.volumeGb,
          highAvailability: db.highAvailability,
          readReplica: db.readReplica,
          backups: db.backups,
          encryptionAtRest: db.encryptionAtRest,
          privateNetworkId: network.privateNetworkId,
          deletionProtection: db.deletionProtection,
          databaseName: db.databaseName,
          userName: db.userName,
          passwordRotation: db.passwordRotation,
          adminPasswordRotation: db.adminPasswordRotation,
          secretPath,
          tags,
        },
        child,
      );
      if (db.backups.weeklyRetentionDays !== undefined || db.backups.monthlyRetentionDays !== undefined) {
        new BackupTiers(
          named("backups"),
          {
            region,
            projectId,
            instanceId: this.database.instanceId,
            databaseName: this.database.databaseName,
            weeklyRetentionDays: db.backups.weeklyRetentionDays,
            monthlyRetentionDays: db.backups.monthlyRetentionDays,
            secretPath,
            apiKeyExpiresAt: config.identity.apiKeyExpiresAt,
            tags,
          },
          child,
        );
      }
      this.databaseHost = this.database.host;
      this.databasePort = this.database.port;
      this.databaseName = this.database.databaseName;
      this.databaseUser = this.database.userName;
    }

    // Identities first: bucket policies name them.
    const identities: Record<string, ServiceIdentity> = {};
    for (const [serviceName, service] of Object.entries(config.services)) {
      const bucketSets = Object.values(service.buckets).flatMap((level) => bucketAccessPermissions[level]);
      identities[serviceName] = new ServiceIdentity(
        named(serviceName),
        {
          projectId,
          description: `Identity of the ${serviceName} service (${environment})`,
          permissionSets: [...bucketSets, ...service.permissions],
          allowFullAccess: service.allowFullAccess,
          apiKeyExpiresAt: config.identity.apiKeyExpiresAt,
          secrets: { region, path: secretPath },
          tags,
        },
        child,
      );
    }
    this.identities = identities;

    const buckets: Record<string, Bucket> = {};
    for (const [key, bucket] of Object.entries(config.buckets)) {
      const principalsWith = (level: "read" | "read-write") =>
        Object.entries(config.services)
          .filter(([, service]) => service.buckets[key] === level)
          .map(([serviceName]) => pulumi.interpolate`application_id:${identities[serviceName]!.applicationId}`);
      buckets[key] = new Bucket(
        named(key),
        {
          bucketName: bucket.name ?? defaultBucketName(prefix, key, environment),
          region,
          projectId,
          versioning: bucket.versioning,
          noncurrentVersionExpirationDays: bucket.noncurrentVersionExpirationDays,
          abortIncompleteUploadDays: bucket.abortIncompleteUploadDays,
          expireObjectsAfterDays: bucket.expireObjectsAfterDays,
          forceDestroy: bucket.forceDestroy,
          access:
            config.deployers.length > 0
              ? { admins: config.deployers, writers: principalsWith("read-write"), readers: principalsWith("read") }
              : undefined,
          tags: tagMap,
        },
        child,
      );
    }
    this.buckets = buckets;
    this.bucketNames = collect(Object.fromEntries(Object.entries(buckets).map(([key, b]) => [key, b.bucketName])));

    const services: Record<string, ServerlessService> = {};
    for (const [serviceName, service] of Object.entries(config.services)) {
      const identity = identities[serviceName]!;
      const env: Record<string, pulumi.Input<string>> = { ...service.env };
      const secretEnv: Record<string, pulumi.Input<string>> = {};
      for (const [envName, secretName] of Object.entries(service.secrets)) {
        secretEnv[envName] =
          secretName === DATABASE_PASSWORD_SECRET ? this.database!.password : appSecrets.value(secretName);
      }
      if (service.database && this.database) {
        env[databaseEnv.host] = this.database.host;
        env[databaseEnv.port] = this.database.port.apply(String);
        env[databaseEnv.name] = this.database.databaseName;
        env[databaseEnv.user] = this.database.userName;
        secretEnv[databaseEnv.password] = this.database.password;
      }
      for (const key of Object.keys(service.buckets)) env[bucketEnvName(key)] = buckets[key]!.bucketName;
      if (identity.accessKey && identity.secretKey) {
        env[identityEnv.accessKey] = identity.accessKey;
        env[identityEnv.projectId] = projectId;
        env[identityEnv.region] = region;
        secretEnv[identityEnv.secretKey] = identity.secretKey;
      }
      services[serviceName] = new ServerlessService(
        named(serviceName),
        {
          region,
          projectId,
          description: service.description,
          image: service.image,
          port: service.port,
          cpuMilli: service.cpuMilli,
          memoryMb: service.memoryMb,
          minScale: service.minScale,
          maxScale: service.maxScale,
          concurrency: service.concurrency,
          timeoutSeconds: service.timeoutSeconds,
          privacy: service.privacy,
          healthCheck: service.healthCheck,
          env,
          secretEnv,
          privateNetworkId: service.privateNetwork ? network.privateNetworkId : undefined,
          customDomain: service.customDomain,
          tags,
        },
        child,
      );
    }
    this.services = services;
    this.endpoints = collect(Object.fromEntries(Object.entries(services).map(([key, s]) => [key, s.endpoint])));
    this.publicEndpoints = collect(
      Object.fromEntries(
        Object.entries(services)
          .filter(([key]) => config.services[key]!.privacy === "public")
          .map(([key, s]) => [key, s.endpoint]),
      ),
    );

    if (config.monitoring.enabled) {
      this.monitoring = new Monitoring(
        named("cockpit"),
        {
          region,
          projectId,
          contacts: config.monitoring.contacts,
          retentionDays: config.monitoring.retentionDays,
          preconfiguredAlerts: config.monitoring.preconfiguredAlerts,
        },
        child,
      );
    }

    this.registerOutputs({
      endpoints: this.endpoints,
      publicEndpoints: this.publicEndpoints,
      databaseHost: this.databaseHost,
      bucketNames: this.bucketNames,
      privateNetworkId: this.privateNetworkId,
    });
  }
}

function collect<T>(outputs: Record<string, pulumi.Output<T>>): pulumi.Output<Record<string, T>> {
  return pulumi.output(outputs) as pulumi.Output<Record<string, T>>;
}
