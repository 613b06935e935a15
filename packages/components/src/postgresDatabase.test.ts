import { describe, expect, it } from "vitest";
import { planProgram } from "./plan";
import { PostgresDatabase, type PostgresDatabaseArgs } from "./postgresDatabase";
import { ofType, single } from "./testSupport";

const INSTANCE = "scaleway:databases/instance:Instance";
const USER = "scaleway:databases/user:User";
const VERSION = "scaleway:secrets/version:Version";

const plan = (args: Partial<PostgresDatabaseArgs> = {}) =>
  planProgram(
    (opts) => {
      const db = new PostgresDatabase(
        "db",
        { region: "fr-par", privateNetworkId: "pn-1", secretPath: "/app/dev", ...args },
        opts,
      );
      return { host: db.host, port: db.port, password: db.password };
    },
    { project: "test", stack: "dev" },
  );

describe("PostgresDatabase", () => {
  it("is PostgreSQL 16, encrypted, backed up and on the private network only", async () => {
    const { resources } = await plan();
    const instance = single(resources, INSTANCE);
    expect(instance.inputs).toMatchObject({
      engine: "PostgreSQL-16",
      encryptionAtRest: true,
      disableBackup: false,
      backupScheduleFrequency: 24,
      backupScheduleRetention: 7,
      isHaCluster: false,
      privateNetwork: { pnId: "pn-1", enableIpam: true },
    });
    // No load balancer block: the API creates no public endpoint.
    expect(instance.inputs.loadBalancer).toBeUndefined();
    expect(ofType(resources, "scaleway:databases/readReplica:ReadReplica")).toHaveLength(0);
  });

  it("keeps the configured backup retention and HA", async () => {
    const { resources } = await plan({ highAvailability: true, backups: { retentionDays: 30, frequencyHours: 12 } });
    expect(single(resources, INSTANCE).inputs).toMatchObject({
      isHaCluster: true,
      backupScheduleRetention: 30,
      backupScheduleFrequency: 12,
    });
  });

  it("creates the database, the user, its privilege and a replica on the private network", async () => {
    const { resources } = await plan({ readReplica: true, databaseName: "evalplatform", userName: "evalplatform" });
    expect(single(resources, "scaleway:databases/database:Database").inputs.name).toBe("evalplatform");
    expect(single(resources, "scaleway:databases/user:User").inputs).toMatchObject({
      name: "evalplatform",
      isAdmin: false,
    });
    expect(single(resources, "scaleway:databases/privilege:Privilege").inputs.permission).toBe("all");
    expect(single(resources, "scaleway:databases/readReplica:ReadReplica").inputs.privateNetwork).toMatchObject({
      privateNetworkId: "pn-1",
    });
  });

  it("generates passwords as secrets and stores them in Secret Manager", async () => {
    const { resources, outputs } = await plan();
    const user = single(resources, "scaleway:databases/user:User");
    expect(user.secretInputs).toContain("password");
    expect(single(resources, INSTANCE).secretInputs).toContain("password");
    const password = user.inputs.password as string;
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/-/);
    expect(password.length).toBe(32);
    const versions = ofType(resources, "scaleway:secrets/version:Version");
    expect(versions.map((v) => v.inputs.data)).toContain(password);
    expect(versions.every((v) => v.secretInputs.includes("data"))).toBe(true);
    expect(await import("@pulumi/pulumi").then((p) => p.isSecret(outputs.password))).toBe(true);
  });

  it("keeps the names of stacks deployed before rotations existed: nothing renamed, nothing added", async () => {
    const { resources } = await plan();
    const component = "urn:pulumi:dev::test::sovstack:databases:PostgresDatabase::db";
    const store =
      "urn:pulumi:dev::test::sovstack:databases:PostgresDatabase$sovstack:secrets:SecretStore::db-passwords";
    const urns = resources.map((r) => `${r.parentUrn} > ${r.type}::${r.name}`).sort();
    expect(urns).toEqual(
      [
        `${component} > scaleway:databases/database:Database::db`,
        `${component} > scaleway:databases/instance:Instance::db`,
        `${component} > scaleway:databases/privilege:Privilege::db`,
        `${component} > scaleway:databases/user:User::db`,
        `${component} > sovstack:secrets:SecretStore::db-passwords`,
        `${store} > scaleway:secrets/secret:Secret::db-passwords-db-admin-password`,
        `${store} > scaleway:secrets/secret:Secret::db-passwords-db-password`,
        `${store} > scaleway:secrets/version:Version::db-passwords-db-admin-password-v0`,
        `${store} > scaleway:secrets/version:Version::db-passwords-db-password-v0`,
        `undefined > sovstack:databases:PostgresDatabase::db`,
      ].sort(),
    );
    const versions = ofType(resources, VERSION);
    expect(versions.map((v) => v.inputs.description)).toEqual(["rotation 0", "rotation 0"]);
  });

  it("takes each password from its Secret Manager version, which keeps the value it was created with", async () => {
    const { resources, outputs } = await plan();
    const version = (name: string) => resources.find((r) => r.type === VERSION && r.name === name)!;
    const userVersion = version("db-passwords-db-password-v0");
    const adminVersion = version("db-passwords-db-admin-password-v0");
    expect(single(resources, USER).inputs.password).toBe(userVersion.inputs.data);
    expect(single(resources, INSTANCE).inputs).toMatchObject({
      userName: "sovstack_admin",
      password: adminVersion.inputs.data,
    });
    expect(adminVersion.inputs.data).not.toBe(userVersion.inputs.data);
    // Re-runs draw again; the engine keeps the version's first value, and the users follow it.
    expect(userVersion.ignoreChanges).toEqual(["data"]);
    expect(adminVersion.ignoreChanges).toEqual(["data"]);
    expect(single(resources, USER).ignoreChanges).toEqual([]);
    expect(single(resources, INSTANCE).ignoreChanges).toEqual([]);
    expect(await new Promise((resolve) => outputs.password.apply(resolve))).toBe(userVersion.inputs.data);
  });

  it("rotates the application user's password with passwordRotation: a new version the user takes", async () => {
    const { resources, outputs } = await plan({ passwordRotation: 1 });
    const versions = ofType(resources, VERSION);
    expect(versions.map((v) => v.name).sort()).toEqual([
      "db-passwords-db-admin-password-v0",
      "db-passwords-db-password-v1",
    ]);
    const rotated = versions.find((v) => v.name === "db-passwords-db-password-v1")!;
    expect(rotated.inputs.description).toBe("rotation 1");
    expect(rotated.secretInputs).toContain("data");
    expect(single(resources, USER).inputs.password).toBe(rotated.inputs.data);
    expect(await new Promise((resolve) => outputs.password.apply(resolve))).toBe(rotated.inputs.data);
    // The secret itself stays: what references it keeps working.
    expect(
      ofType(resources, "scaleway:secrets/secret:Secret")
        .map((secret) => secret.name)
        .sort(),
    ).toEqual(["db-passwords-db-admin-password", "db-passwords-db-password"]);
  });

  it("rotates the admin's password with adminPasswordRotation: the instance takes the new version", async () => {
    const { resources } = await plan({ adminPasswordRotation: 3 });
    const versions = ofType(resources, VERSION);
    expect(versions.map((v) => v.name).sort()).toEqual([
      "db-passwords-db-admin-password-v3",
      "db-passwords-db-password-v0",
    ]);
    const rotated = versions.find((v) => v.name === "db-passwords-db-admin-password-v3")!;
    expect(single(resources, INSTANCE).inputs.password).toBe(rotated.inputs.data);
    expect(rotated.inputs.data).toMatch(/^[A-Za-z0-9]*-[A-Za-z0-9]*$/);
  });

  it("refuses rotation counters that are not whole numbers from 0, naming them", async () => {
    await expect(plan({ passwordRotation: -1, adminPasswordRotation: 1.5 })).rejects.toThrow(
      /2 invalid arguments[\s\S]*passwordRotation: -1 is not valid\. Allowed: a whole number from 0 to 1000000[\s\S]*adminPasswordRotation: 1\.5 is not valid/,
    );
  });

  it("outputs the private host and port", async () => {
    const { outputs } = await plan();
    const host = await new Promise((resolve) => outputs.host.apply(resolve));
    expect(host).toBe("172.16.0.2");
  });

  it("protects the instance from deletion only when asked", async () => {
    expect(single((await plan()).resources, INSTANCE).protect).toBe(false);
    expect(single((await plan({ deletionProtection: true })).resources, INSTANCE).protect).toBe(true);
  });

  it("refuses sizes and retentions out of range, all at once", async () => {
    await expect(plan({ volumeGb: 501, backups: { retentionDays: 400 }, nodeType: "DB-HUGE" })).rejects.toThrow(
      /3 invalid arguments[\s\S]*volumeGb: 501[\s\S]*5 to 500 GB[\s\S]*backups.retentionDays: 400[\s\S]*1 to 365 days/,
    );
  });

  it("parents its children to itself", async () => {
    const { resources } = await plan();
    const direct = resources.filter((r) => r.type.startsWith("scaleway:databases"));
    expect(direct.length).toBeGreaterThan(3);
    for (const resource of direct) expect(resource.parentUrn).toMatch(/sovstack:databases:PostgresDatabase::db$/);
  });
});
