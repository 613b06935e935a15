import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "./load";
import { validateStackConfig } from "./validate";
import { ConfigValidationError } from "./issues";
import { parseStackConfig } from "./validate";

const infra = resolve(import.meta.dirname, "../../../../infra");

/** The smallest valid configuration; each case below breaks one thing in a copy of it. */
function base(): Record<string, any> {
  return {
    environment: "dev",
    namePrefix: "evalplatform",
    region: "fr-par",
    owner: "platform-team",
    costCenter: "eval-platform",
    services: {
      api: {
        image: "rg.fr-par.scw.cloud/evalplatform/api:1.4.2",
        privacy: "public",
        database: true,
        secrets: { SESSION_KEY: "session-key" },
        buckets: { assets: "read-write" },
      },
    },
    database: { nodeType: "DB-DEV-S", volumeGb: 10 },
    buckets: { assets: {} },
    secrets: { "session-key": {} },
  };
}

type Case = [title: string, mutate: (c: Record<string, any>) => void, key: string, expected: RegExp];

const invalid: Case[] = [
  ["memory far above the limit", (c) => (c.services.api.memoryMb = 100000), "services.api.memoryMb", /128 to 8192/],
  ["memory below the limit", (c) => (c.services.api.memoryMb = 64), "services.api.memoryMb", /128 to 8192/],
  ["fractional memory", (c) => (c.services.api.memoryMb = 512.5), "services.api.memoryMb", /whole number/],
  ["memory as text", (c) => (c.services.api.memoryMb = "512"), "services.api.memoryMb", /whole number/],
  ["CPU above the limit", (c) => (c.services.api.cpuMilli = 8000), "services.api.cpuMilli", /100 to 4000/],
  ["CPU below the limit", (c) => (c.services.api.cpuMilli = 50), "services.api.cpuMilli", /100 to 4000/],
  ["port out of range", (c) => (c.services.api.port = 70000), "services.api.port", /1 to 65535/],
  ["port reserved by Scaleway", (c) => (c.services.api.port = 9090), "services.api.port", /8008, 8012/],
  ["negative minScale", (c) => (c.services.api.minScale = -1), "services.api.minScale", /0 to 50/],
  ["maxScale above the quota", (c) => (c.services.api.maxScale = 51), "services.api.maxScale", /1 to 50/],
  [
    "minScale above maxScale",
    (c) => Object.assign(c.services.api, { minScale: 4, maxScale: 2 }),
    "services.api.minScale",
    /at most maxScale/,
  ],
  ["concurrency above 80", (c) => (c.services.api.concurrency = 100), "services.api.concurrency", /1 to 80/],
  ["timeout above 15 minutes", (c) => (c.services.api.timeoutSeconds = 901), "services.api.timeoutSeconds", /1 to 900/],
  ["unknown privacy", (c) => (c.services.api.privacy = "internal"), "services.api.privacy", /public, private/],
  ["image in uppercase", (c) => (c.services.api.image = "Registry/API:1"), "services.api.image", /image reference/],
  ["image missing", (c) => delete c.services.api.image, "services.api.image", /is missing/],
  [
    "health check path without slash",
    (c) => (c.services.api.healthCheck = { path: "health" }),
    "services.api.healthCheck.path",
    /starting with \//,
  ],
  ["misspelt service key", (c) => (c.services.api.memmoryMb = 512), "services.api", /did you mean "memoryMb"/],
  ["reserved env name PORT", (c) => (c.services.api.env = { PORT: "80" }), "services.api.env.PORT", /PORT/],
  [
    "env name with SCW_ prefix",
    (c) => (c.services.api.env = { SCW_REGION: "fr-par" }),
    "services.api.env.SCW_REGION",
    /SCW_/,
  ],
  [
    "env value too long",
    (c) => (c.services.api.env = { BIG: "x".repeat(1001) }),
    "services.api.env.BIG",
    /1000 characters/,
  ],
  [
    "env name set by sovstack",
    (c) => (c.services.api.env = { DATABASE_HOST: "db" }),
    "services.api.env.DATABASE_HOST",
    /set by sovstack/,
  ],
  [
    "secret that does not exist",
    (c) => (c.services.api.secrets = { TOKEN: "no-such-secret" }),
    "services.api.secrets.TOKEN",
    /session-key/,
  ],
  [
    "variable both in env and secrets",
    (c) => (c.services.api.env = { SESSION_KEY: "x" }),
    "services.api.secrets.SESSION_KEY",
    /not both/,
  ],
  [
    "bucket access to an unknown bucket",
    (c) => (c.services.api.buckets = { logs: "read" }),
    "services.api.buckets.logs",
    /assets/,
  ],
  [
    "bucket access level unknown",
    (c) => (c.services.api.buckets = { assets: "write" }),
    "services.api.buckets.assets",
    /read, read-write/,
  ],
  [
    "full-access permission set",
    (c) => (c.services.api.permissions = ["AllProductsFullAccess"]),
    "services.api.permissions.0",
    /allowFullAccess/,
  ],
  [
    "database access without a database",
    (c) => {
      delete c.database;
      c.services.api.secrets = {};
    },
    "services.api.database",
    /database/,
  ],
  [
    "custom domain on a private service",
    (c) => Object.assign(c.services.api, { privacy: "private", customDomain: "api.example.com" }),
    "services.api.customDomain",
    /public services only/,
  ],
  ["service name with uppercase", (c) => (c.services = { Api: c.services.api }), "services.Api", /lowercase/],
  ["volume above 500 GB", (c) => (c.database.volumeGb = 1000), "database.volumeGb", /5 to 500/],
  ["volume below 5 GB", (c) => (c.database.volumeGb = 1), "database.volumeGb", /5 to 500/],
  [
    "node type Scaleway does not offer",
    (c) => (c.database.nodeType = "DB-GIANT-9000"),
    "database.nodeType",
    /DB-DEV-S/,
  ],
  ["PostgreSQL version not offered", (c) => (c.database.engine = "PostgreSQL-9"), "database.engine", /PostgreSQL-16/],
  [
    "backup retention above a year",
    (c) => (c.database.backups = { retentionDays: 400 }),
    "database.backups.retentionDays",
    /1 to 365/,
  ],
  [
    "backup retention of zero",
    (c) => (c.database.backups = { retentionDays: 0 }),
    "database.backups.retentionDays",
    /1 to 365/,
  ],
  [
    "backup frequency above a day",
    (c) => (c.database.backups = { frequencyHours: 48 }),
    "database.backups.frequencyHours",
    /1 to 24/,
  ],
  ["HA given as text", (c) => (c.database.highAvailability = "yes"), "database.highAvailability", /true or false/],
  [
    "a public endpoint for the database",
    (c) => (c.database.publicEndpoint = true),
    "database",
    /unknown key "publicEndpoint"/,
  ],
  [
    "database name with a hyphen",
    (c) => (c.database.databaseName = "eval-platform"),
    "database.databaseName",
    /PostgreSQL identifier/,
  ],
  [
    "negative password rotation",
    (c) => (c.database.passwordRotation = -1),
    "database.passwordRotation",
    /-1 is not valid\. Allowed: a whole number from 0 to 1000000\. Fix: raise the deployed value by one/,
  ],
  [
    "fractional admin password rotation",
    (c) => (c.database.adminPasswordRotation = 1.5),
    "database.adminPasswordRotation",
    /0 to 1000000.*password for sovstack_admin/,
  ],
  [
    "password rotation as text",
    (c) => (c.database.passwordRotation = "1"),
    "database.passwordRotation",
    /whole number from 0 to 1000000/,
  ],
  [
    "misspelt password rotation",
    (c) => (c.database.passwordRotations = 1),
    "database",
    /did you mean "passwordRotation"/,
  ],
  [
    "secret rotation above the limit",
    (c) => (c.secrets["session-key"].rotation = 1_000_001),
    "secrets.session-key.rotation",
    /0 to 1000000/,
  ],
  [
    "bucket name with an underscore",
    (c) => (c.buckets.assets.name = "eval_assets"),
    "buckets.assets.name",
    /underscore/,
  ],
  ["bucket name too short", (c) => (c.buckets.assets.name = "ab"), "buckets.assets.name", /3 to 63/],
  [
    "bucket name that is an IP address",
    (c) => (c.buckets.assets.name = "192.168.10.1"),
    "buckets.assets.name",
    /IP address/,
  ],
  ["bucket name in uppercase", (c) => (c.buckets.assets.name = "Eval-Assets"), "buckets.assets.name", /uppercase/],
  [
    "generated bucket name too long",
    (c) =>
      Object.assign(c, { environment: "production", namePrefix: "a".repeat(22), buckets: { ["x".repeat(32)]: {} } }),
    "buckets." + "x".repeat(32),
    /3 to 63/,
  ],
  [
    "lifecycle days of zero",
    (c) => (c.buckets.assets.noncurrentVersionExpirationDays = 0),
    "buckets.assets.noncurrentVersionExpirationDays",
    /1 to 3650/,
  ],
  ["unknown environment", (c) => (c.environment = "prod"), "environment", /dev, staging, production/],
  ["region outside the allowed ones", (c) => (c.region = "us-east-1"), "region", /fr-par, nl-ams, pl-waw/],
  ["owner missing", (c) => delete c.owner, "owner", /is missing/],
  ["project ID that is not a UUID", (c) => (c.projectId = "my-project"), "projectId", /UUID/],
  ["contact that is not an email", (c) => (c.monitoring = { contacts: ["oncall"] }), "monitoring.contacts.0", /email/],
  [
    "monitoring retention above a year",
    (c) => (c.monitoring = { retentionDays: 400 }),
    "monitoring.retentionDays",
    /1 to 365/,
  ],
  [
    "API key expiry in the past",
    (c) => (c.identity = { apiKeyExpiresAt: "2020-01-01T00:00:00Z" }),
    "identity.apiKeyExpiresAt",
    /future/,
  ],
  [
    "secret named like the database password",
    (c) => (c.secrets["database-password"] = {}),
    "secrets.database-password",
    /reserved/,
  ],
  ["deployer that is not a principal", (c) => (c.deployers = ["alice"]), "deployers.0", /application_id/],
  ["unknown top-level key", (c) => (c.servics = {}), "(top level)", /did you mean "services"/],
];

describe("stack configuration schema", () => {
  it.each(invalid)("rejects %s, naming the key", (_title, mutate, key, expected) => {
    const config = base();
    mutate(config);
    const result = validateStackConfig(config, { now: new Date("2026-11-22T00:00:00Z") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = new ConfigValidationError(result.issues, "Pulumi.dev.yaml");
    const line = error.message.split("\n").find((l) => l.includes(`- ${key}:`));
    expect(line, `no line names ${key} in:\n${error.message}`).toBeDefined();
    expect(line).toMatch(expected);
    expect(line).toMatch(/Allowed: .+ Fix: /);
  });

  it("has at least 30 invalid cases", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(30);
  });

  it("accepts the base configuration and fills in secure defaults", () => {
    const result = validateStackConfig(base());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { services, database, buckets, monitoring } = result.config;
    expect(services.api).toMatchObject({ port: 8080, minScale: 0, healthCheck: { path: "/health" } });
    expect(database).toMatchObject({ encryptionAtRest: true, backups: { retentionDays: 7 }, highAvailability: false });
    // Unset rotation counters are 0: the passwords a deployed stack already has.
    expect(database).toMatchObject({ passwordRotation: 0, adminPasswordRotation: 0 });
    expect(buckets.assets).toMatchObject({ versioning: true, forceDestroy: false });
    expect(monitoring.retentionDays).toBe(30);
  });

  it("keeps services private unless said otherwise", () => {
    const config = base();
    delete config.services.api.privacy;
    const result = validateStackConfig(config);
    expect(result.ok && result.config.services.api?.privacy).toBe("private");
  });

  it("reports every problem at once", () => {
    const config = base();
    config.services.api.memoryMb = 100000;
    config.database.volumeGb = 1;
    config.region = "mars-1";
    const result = validateStackConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.key).sort()).toEqual(["database.volumeGb", "region", "services.api.memoryMb"]);
  });

  it("says the value received, what is allowed and the fix", () => {
    const config = base();
    config.services.api.memoryMb = 100000;
    expect(() => parseStackConfig(config, "Pulumi.dev.yaml")).toThrow(
      "services.api.memoryMb: 100000 is not valid. Allowed: a whole number from 128 to 8192 MB. Fix: set a value from 128 to 8192.",
    );
  });

  const files = readdirSync(infra).filter((name) => /^Pulumi\.[a-z]+\.yaml$/.test(name));
  it("finds the three environment files", () => {
    expect(files.sort()).toEqual(["Pulumi.dev.yaml", "Pulumi.production.yaml", "Pulumi.staging.yaml"]);
  });
  it.each(files)("validates %s", (file) => {
    const result = validateStackConfig(readStackFile(resolve(infra, file)));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });
});
