import { describe, expect, it } from "vitest";
import {
  databaseBackupRetention,
  databaseBackupsEnabled,
  databaseClientsRequireTls,
  databaseDeletionProtection,
  databaseEncryptionAtRest,
  databaseHighAvailability,
  databaseNoPublicEndpoint,
  databaseTls,
} from "./database";
import { messages, runPolicies, type TestResource } from "./policyHarness";

const INSTANCE = "scaleway:databases/instance:Instance";
const LEGACY_INSTANCE = "scaleway:index/databaseInstance:DatabaseInstance";
const REPLICA = "scaleway:databases/readReplica:ReadReplica";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A production-grade instance, as sovstack's PostgresDatabase writes it. */
const instance = (inputs: Record<string, unknown> = {}, extra: Partial<TestResource> = {}): TestResource => ({
  type: INSTANCE,
  name: "evalplatform-production-db",
  inputs: {
    engine: "PostgreSQL-16",
    nodeType: "DB-PRO2-XS",
    isHaCluster: true,
    encryptionAtRest: true,
    disableBackup: false,
    backupScheduleFrequency: 24,
    backupScheduleRetention: 30,
    privateNetwork: { pnId: "fr-par/pn-1", enableIpam: true },
    tags: ["environment=production", "owner=platform-team", "cost-center=eval-platform"],
    ...inputs,
  },
  protect: true,
  ...extra,
});
const env = (policy: { name: string }, environment: string) => ({ config: { [policy.name]: { environment } } });

describe("database-no-public-endpoint", () => {
  it("passes an instance on a private network only", async () => {
    expect(await messages(databaseNoPublicEndpoint, instance())).toEqual([]);
  });

  it("refuses a load balancer endpoint, on the current and the legacy type", async () => {
    const expected = ["must not have a public endpoint: remove loadBalancer and reach the database on privateNetwork."];
    expect(await messages(databaseNoPublicEndpoint, instance({ loadBalancer: {} }))).toEqual(expected);
    expect(
      await messages(databaseNoPublicEndpoint, { ...instance({ loadBalancer: {} }), type: LEGACY_INSTANCE }),
    ).toEqual(expected);
  });

  it("refuses a read replica's direct access", async () => {
    const replica = { type: REPLICA, inputs: { instanceId: "db", directAccess: {} } };
    expect(await messages(databaseNoPublicEndpoint, replica)).toEqual([
      "must not have a public endpoint: remove directAccess and read the replica on privateNetwork.",
    ]);
    expect(
      await messages(databaseNoPublicEndpoint, {
        type: REPLICA,
        inputs: { privateNetwork: { privateNetworkId: "pn" } },
      }),
    ).toEqual([]);
  });
});

describe("database-encryption-at-rest", () => {
  it("passes an encrypted instance and one whose setting is not known yet", async () => {
    expect(await messages(databaseEncryptionAtRest, instance())).toEqual([]);
    expect(await messages(databaseEncryptionAtRest, instance({ encryptionAtRest: UNKNOWN }))).toEqual([]);
  });

  it.each([false, undefined])("refuses encryptionAtRest: %s", async (value) => {
    expect(await messages(databaseEncryptionAtRest, instance({ encryptionAtRest: value }))).toEqual([
      "must encrypt its volume and backups at rest: set encryptionAtRest: true " +
        "(this replaces the instance: restore a backup into the new one).",
    ]);
  });
});

describe("database-backups-enabled", () => {
  it("passes automated backups", async () => {
    expect(await messages(databaseBackupsEnabled, instance())).toEqual([]);
    expect(await messages(databaseBackupsEnabled, instance({ disableBackup: undefined }))).toEqual([]);
  });

  it("refuses disableBackup: true", async () => {
    expect(await messages(databaseBackupsEnabled, instance({ disableBackup: true }))).toEqual([
      "must keep automated backups: remove disableBackup or set it to false.",
    ]);
  });
});

describe("database-backup-retention", () => {
  it("asks 7 days outside production and 30 in production", async () => {
    expect(
      await messages(
        databaseBackupRetention,
        instance({ backupScheduleRetention: 7 }),
        env(databaseBackupRetention, "dev"),
      ),
    ).toEqual([]);
    expect(
      await messages(
        databaseBackupRetention,
        instance({ backupScheduleRetention: 6 }),
        env(databaseBackupRetention, "dev"),
      ),
    ).toEqual(["must keep backups at least 7 days in dev: set backupScheduleRetention to 7 or more (it is 6)."]);
    expect(
      await messages(
        databaseBackupRetention,
        instance({ backupScheduleRetention: 14 }),
        env(databaseBackupRetention, "production"),
      ),
    ).toEqual([
      "must keep backups at least 30 days in production: set backupScheduleRetention to 30 or more (it is 14).",
    ]);
  });

  it("counts an unset retention as Scaleway's default of 7 days", async () => {
    expect(
      await messages(
        databaseBackupRetention,
        instance({ backupScheduleRetention: undefined }),
        env(databaseBackupRetention, "staging"),
      ),
    ).toEqual([]);
    expect(await messages(databaseBackupRetention, instance({ backupScheduleRetention: undefined }))).toEqual([
      "must keep backups at least 30 days in production: set backupScheduleRetention to 30 or more (it is 7).",
    ]);
  });

  it("takes its minimums from the config and leaves disabled backups to database-backups-enabled", async () => {
    const config = { [databaseBackupRetention.name]: { environment: "staging", minRetentionDays: 14 } };
    expect(await messages(databaseBackupRetention, instance({ backupScheduleRetention: 10 }), { config })).toEqual([
      "must keep backups at least 14 days in staging: set backupScheduleRetention to 14 or more (it is 10).",
    ]);
    expect(
      await messages(databaseBackupRetention, instance({ disableBackup: true, backupScheduleRetention: 1 })),
    ).toEqual([]);
  });
});

describe("database-high-availability", () => {
  it("asks for an HA cluster in production only", async () => {
    const single = instance({ isHaCluster: false });
    expect(await messages(databaseHighAvailability, single, env(databaseHighAvailability, "staging"))).toEqual([]);
    expect(await messages(databaseHighAvailability, instance(), env(databaseHighAvailability, "production"))).toEqual(
      [],
    );
    expect(await messages(databaseHighAvailability, single, env(databaseHighAvailability, "production"))).toEqual([
      "must run as a high-availability cluster in production: set isHaCluster: true " +
        "(sovstack: database.highAvailability: true; this replaces the instance).",
    ]);
  });

  it("learns production from the environment tag and then blocks the deployment", async () => {
    const [violation] = await runPolicies([databaseHighAvailability], [instance({ isHaCluster: false })]);
    expect(violation).toMatchObject({ policy: "database-high-availability", enforcementLevel: "mandatory" });
  });
});

describe("database-deletion-protection", () => {
  it("asks for protect in production only", async () => {
    const unprotected = instance({}, { protect: false });
    expect(
      await messages(databaseDeletionProtection, instance(), env(databaseDeletionProtection, "production")),
    ).toEqual([]);
    expect(await messages(databaseDeletionProtection, unprotected, env(databaseDeletionProtection, "dev"))).toEqual([]);
    expect(
      await messages(databaseDeletionProtection, unprotected, env(databaseDeletionProtection, "production")),
    ).toEqual([
      "must be protected from deletion in production: set the resource option protect: true " +
        "(sovstack: database.deletionProtection: true).",
    ]);
  });
});

describe("database-tls", () => {
  it("passes settings that keep TLS", async () => {
    const settings = { max_connections: "200", ssl_min_protocol_version: "TLSv1.2" };
    expect(await messages(databaseTls, instance({ settings }))).toEqual([]);
  });

  it.each([
    ["settings", "ssl", "off"],
    ["settings", "ssl_min_protocol_version", "TLSv1.1"],
    ["initSettings", "require_secure_transport", "OFF"],
    ["initSettings", "tls_version", "TLSv1,TLSv1.2"],
  ])("refuses %s.%s = %s", async (input, key, value) => {
    expect(await messages(databaseTls, instance({ [input]: { [key]: value } }))).toEqual([
      `must not weaken TLS: remove ${input}.${key} = ${value} (Managed Databases serves TLS 1.2 or later).`,
    ]);
  });
});

describe("database-clients-require-tls", () => {
  const container = (inputs: Record<string, unknown>): TestResource => ({
    type: "scaleway:containers/container:Container",
    inputs,
  });

  it("passes clients that require TLS", async () => {
    const inputs = {
      environmentVariables: { PGSSLMODE: "verify-full", DATABASE_HOST: "172.16.0.2" },
      secretEnvironmentVariables: { DATABASE_URL: "postgres://app:pw@172.16.0.2/app?sslmode=require" },
    };
    expect(await messages(databaseClientsRequireTls, container(inputs))).toEqual([]);
  });

  it("refuses an sslmode that accepts plain text, in a variable or a URL", async () => {
    expect(
      await messages(databaseClientsRequireTls, container({ environmentVariables: { PGSSLMODE: "disable" } })),
    ).toEqual([
      "must require TLS to the database: PGSSLMODE accepts plain text; use sslmode=verify-full (or require).",
    ]);
    const url = { secretEnvironmentVariables: { DATABASE_URL: "postgres://app:pw@db/app?sslmode=prefer" } };
    expect(await messages(databaseClientsRequireTls, container(url))).toEqual([
      "must require TLS to the database: DATABASE_URL accepts plain text; use sslmode=verify-full (or require).",
    ]);
  });

  it("refuses it on a job's command line", async () => {
    const job = {
      type: "scaleway:job/definition:Definition",
      inputs: { args: ["psql postgres://db/app?sslmode=disable -c 'select 1'"] },
    };
    expect(await messages(databaseClientsRequireTls, job)).toEqual([
      "must require TLS to the database: the command line accepts plain text; use sslmode=verify-full.",
    ]);
  });
});
