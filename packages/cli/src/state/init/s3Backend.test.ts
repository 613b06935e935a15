import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  PutBucketAclCommand,
  PutBucketVersioningCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerStateInitCommand } from "../../commands/stateInit";
import { UsageError } from "../../usageError";
import { DEPLOY_ACTIONS } from "./bucketPolicy";
import { CI_PERMISSION_SETS } from "./iam";
import { passphraseFor, readPassphrase } from "./passphrases";
import { planStateInit, type S3InitPlan, type StateInitFlags } from "./plan";
import type { InitItem } from "./report";
import { runStateInit } from "./run";
import { scalewayClients, type ScalewayClients } from "./scalewayClients";

/** Calls that only read: a second init on a ready backend makes no other kind. */
const READ = /^(Get|List|Head|Access|Browse)/;

let local: LocalScaleway;
let dataDir: string;
let env: Record<string, string>;
let s3: S3Client;
let clients: ScalewayClients;
let ownerPrincipal: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sovstack-state-init-"));
  local = await startLocalScaleway({ dataDir, transitionMs: 20 });
  env = local.env();
  s3 = new S3Client({
    endpoint: local.s3Url,
    region: "fr-par",
    forcePathStyle: true,
    credentials: { accessKeyId: env.SCW_ACCESS_KEY!, secretAccessKey: env.SCW_SECRET_KEY! },
  });
  clients = scalewayClients(
    { accessKey: env.SCW_ACCESS_KEY!, secretKey: env.SCW_SECRET_KEY!, apiUrl: local.apiUrl, organizationId: undefined },
    local.defaultProjectId,
    "fr-par",
  );
  const own = await clients.iam.getAPIKey({ accessKey: env.SCW_ACCESS_KEY! });
  ownerPrincipal = `user_id:${own.userId}`;
}, 60_000);
afterAll(async () => {
  await local?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function backend(bucket: string): string {
  return `s3://${bucket}?endpoint=${local.s3Url}&region=fr-par`;
}

function plan(flags: StateInitFlags): S3InitPlan {
  return planStateInit(flags, env) as S3InitPlan;
}

/** The calls made while `work` ran, per product and operation. */
async function callsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = local.calls.snapshot();
  await work();
  const after = local.calls.snapshot();
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, count]) => [key, count - (before[key] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );
}

function statuses(items: readonly InitItem[]): Record<string, string> {
  return Object.fromEntries(items.map((item) => [item.name, item.status]));
}

/** Runs `sovstack state <args>` the way the CLI does, printing to a captured stdout. */
async function sovstackState(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  const state = program.command("state").exitOverride();
  registerStateInitCommand(state);
  state.commands.forEach((command) => command.exitOverride());
  const out: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((text: string) => void out.push(text));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((text) => (out.push(String(text)), true));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  for (const [key, value] of Object.entries(env)) if (key.startsWith("SCW_")) vi.stubEnv(key, value);
  try {
    await program.parseAsync(["node", "sovstack", "state", ...args]);
  } finally {
    log.mockRestore();
    write.mockRestore();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  return out.join("");
}

describe("sovstack state init on an s3:// backend (the local Scaleway)", () => {
  const bucket = "sovstack-state-init";

  it("creates the buckets, the CI identity and the passphrases, then finds everything ready", async () => {
    const first = JSON.parse(
      await sovstackState(["init", "--backend", backend(bucket), "--environments", "dev,staging,production", "--json"]),
    ) as {
      resources: InitItem[];
      changed: boolean;
      newApiKey: { accessKey: string; secretKey?: string };
      ciVariables: Record<string, string>;
    };
    expect(first.changed).toBe(true);
    expect(first.resources.every((item) => item.status === "created")).toBe(true);
    expect(Object.keys(statuses(first.resources))).toEqual([
      "IAM application sovstack-ci-11111111",
      "IAM policy sovstack-ci-11111111-state",
      "API key of sovstack-ci-11111111",
      "secret /sovstack/sovstack-ci-11111111-api-key",
      `bucket ${bucket} (fr-par)`,
      `bucket ${bucket}: ACL private`,
      `bucket ${bucket}: versioning Enabled`,
      `bucket ${bucket}: default encryption AES256`,
      `bucket ${bucket}: lifecycle rule sovstack-state-retention`,
      `bucket ${bucket}: policy`,
      `bucket ${bucket}-replica (nl-ams)`,
      `bucket ${bucket}-replica: ACL private`,
      `bucket ${bucket}-replica: versioning Enabled`,
      `bucket ${bucket}-replica: default encryption AES256`,
      `bucket ${bucket}-replica: lifecycle rule sovstack-state-retention`,
      `bucket ${bucket}-replica: policy`,
      "secret /sovstack/pulumi-passphrase-dev",
      "secret /sovstack/pulumi-passphrase-staging",
      "secret /sovstack/pulumi-passphrase-production",
    ]);
    expect(first.ciVariables).toEqual({
      SOVSTACK_BACKEND_URL: `s3://${bucket}?endpoint=${local.s3Url}&region=fr-par&use_path_style=true`,
      SOVSTACK_REPLICA_URL: `s3://${bucket}-replica?endpoint=${local.s3Url}&region=nl-ams&use_path_style=true`,
    });
    // The CI key's secret stays in Secret Manager unless --show-secret.
    expect(first.newApiKey.accessKey).toMatch(/^SCW[0-9A-Z]{17}$/);
    expect(first.newApiKey.secretKey).toBeUndefined();

    const devPassphrase = await readPassphrase("dev", clients);
    expect(devPassphrase).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await readPassphrase("production", clients)).not.toBe(devPassphrase);

    let text = "";
    const calls = await callsDuring(async () => {
      text = await sovstackState(["init", "--backend", backend(bucket), "--environments", "dev,staging,production"]);
    });
    expect(text).toContain("The state backend was already ready; nothing changed.");
    expect(text).toMatch(new RegExp(`exists, unchanged {2}bucket ${bucket} \\(fr-par\\)`));
    expect(text).not.toMatch(/^\s+(created|updated)\s/m);
    expect(text).not.toContain(first.newApiKey.accessKey + ", secret key");
    // Only reads: not one create, put, update or delete.
    const writes = Object.keys(calls).filter((call) => !READ.test(call.split(".")[1]!));
    expect(writes).toEqual([]);
    expect(Object.keys(calls).length).toBeGreaterThan(5);
    expect(await readPassphrase("dev", clients)).toBe(devPassphrase);

    // What deploy commands do without PULUMI_CONFIG_PASSPHRASE; with it, Secret Manager is not asked.
    expect(await passphraseFor("dev", env)).toBe(devPassphrase);
    const asked = await callsDuring(() => passphraseFor("dev", { ...env, PULUMI_CONFIG_PASSPHRASE: "given" }));
    expect(asked).toEqual({});
  });

  it("leaves the buckets private, versioned, encrypted, with the retention rule and a least-privilege policy", async () => {
    for (const [name, region] of [
      [bucket, "fr-par"],
      [`${bucket}-replica`, "nl-ams"],
    ] as const) {
      expect((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBe(region);
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Enabled");
      const acl = await s3.send(new GetBucketAclCommand({ Bucket: name }));
      expect(acl.Grants?.map((grant) => grant.Grantee?.URI).filter(Boolean)).toEqual([]);
      const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: name }));
      expect(
        encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      ).toBe("AES256");
      const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
      expect(lifecycle.Rules).toHaveLength(1);
      expect(lifecycle.Rules![0]).toMatchObject({
        ID: "sovstack-state-retention",
        Status: "Enabled",
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      });
      expect(lifecycle.Rules![0]!.Expiration).toBeUndefined();

      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: name }))).Policy!) as {
        Version: string;
        Statement: Array<{
          Sid: string;
          Principal: { SCW: string | string[] };
          Action: string | string[];
          Resource: string[];
        }>;
      };
      expect(policy.Version).toBe("2023-04-17");
      const [operators, deploy] = ["SovstackOperators", "SovstackDeployIdentity"].map((sid) =>
        policy.Statement.find((statement) => statement.Sid === sid)!,
      );
      expect([operators!.Principal.SCW].flat()).toEqual([ownerPrincipal]);
      expect(operators!.Action).toBe("s3:*");
      const ci = (await clients.iam.listApplications({ name: "sovstack-ci-11111111" })).applications[0]!;
      expect(deploy!.Principal.SCW).toBe(`application_id:${ci.id}`);
      expect([deploy!.Action].flat().sort()).toEqual([...DEPLOY_ACTIONS].sort());
      expect([deploy!.Action].flat()).not.toContain("s3:DeleteObjectVersion");
      expect(deploy!.Resource.sort()).toEqual([name, `${name}/*`]);
      expect(policy.Statement).toHaveLength(2);
    }
  });

  it("gives the CI application state access only, in the project, and keeps its API key in Secret Manager", async () => {
    const [ci] = (await clients.iam.listApplications({ name: "sovstack-ci-11111111" })).applications;
    const [policy] = (await clients.iam.listPolicies({ applicationIds: [ci!.id] })).policies;
    const { rules } = await clients.iam.listRules({ policyId: policy!.id });
    expect(rules).toHaveLength(1);
    expect([...rules[0]!.permissionSetNames!].sort()).toEqual([...CI_PERMISSION_SETS].sort());
    expect(rules[0]!.permissionSetNames!.some((name) => name.endsWith("FullAccess"))).toBe(false);
    expect(rules[0]!.projectIds).toEqual([local.defaultProjectId]);

    const { apiKeys } = await clients.iam.listAPIKeys({ applicationId: ci!.id });
    expect(apiKeys).toHaveLength(1);
    expect(apiKeys[0]!.defaultProjectId).toBe(local.defaultProjectId);
    const stored = await clients.secret.accessSecretVersionByPath({
      secretPath: "/sovstack",
      secretName: "sovstack-ci-11111111-api-key",
      revision: "latest_enabled",
    });
    const value = JSON.parse(Buffer.from(stored.data, "base64").toString("utf8")) as Record<string, string>;
    expect(value.SCW_ACCESS_KEY).toBe(apiKeys[0]!.accessKey);
    expect(value.SCW_SECRET_KEY).toMatch(/^[0-9a-f-]{36}$/);

    const { secrets } = await clients.secret.listSecrets({ path: "/sovstack", scheduledForDeletion: false });
    const passphrases = secrets.filter((secret) => secret.name.startsWith("pulumi-passphrase-"));
    expect(passphrases.map((secret) => [secret.name, secret.protected, secret.versionCount]).sort()).toEqual([
      ["pulumi-passphrase-dev", true, 1],
      ["pulumi-passphrase-production", true, 1],
      ["pulumi-passphrase-staging", true, 1],
    ]);
  });

  it("puts back what someone changed, keeps other operators, and says what it updated", async () => {
    const other = "user_id:99999999-9999-4999-8999-999999999999";
    const flags = { backend: backend(bucket), environments: "dev,staging,production", operator: [other] };
    const withOther = await runStateInit(plan(flags));
    expect(statuses(withOther.items)[`bucket ${bucket}: policy`]).toBe("updated");

    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "public-read" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const report = await runStateInit(plan({ backend: backend(bucket), environments: "dev", keepDays: "30" }));
    const changed = Object.entries(statuses(report.items)).filter(([, status]) => status !== "unchanged");
    expect(changed).toEqual([
      [`bucket ${bucket}: ACL private`, "updated"],
      [`bucket ${bucket}: versioning Enabled`, "updated"],
      [`bucket ${bucket}: lifecycle rule sovstack-state-retention`, "updated"],
      [`bucket ${bucket}-replica: lifecycle rule sovstack-state-retention`, "updated"],
    ]);
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(acl.Grants?.some((grant) => grant.Grantee?.URI)).toBe(false);
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!;
    // The operator added by the earlier run is still there, beside the caller.
    expect(policy).toContain(other);
    expect(policy).toContain(ownerPrincipal);
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(lifecycle.Rules?.[0]?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(30);
  });

  it("keeps a number of old versions with --keep-versions, and finds that rule in place the next time", async () => {
    const flags = { backend: backend("sovstack-state-versions"), environments: "dev", keepVersions: "100" };
    await runStateInit(plan(flags));
    const again = await runStateInit(plan(flags));
    expect(statuses(again.items)["bucket sovstack-state-versions: lifecycle rule sovstack-state-retention"]).toBe(
      "unchanged",
    );
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "sovstack-state-versions" }));
    expect(Rules?.[0]?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 90, NewerNoncurrentVersions: 100 });
  });

  it("prints the CI key's secret only with --show-secret", async () => {
    const text = await sovstackState([
      "init",
      "--backend",
      backend("sovstack-state-shown"),
      "--environments",
      "dev",
      "--ci-application-name",
      "shown-ci",
      "--show-secret",
    ]);
    expect(text).toMatch(/CI API key SCW[0-9A-Z]{17}, secret key [0-9a-f-]{36} \(shown once/);
  });

  it("needs to know who runs it, or --operator, before creating anything", async () => {
    const stranger = { ...env, SCW_ACCESS_KEY: "SCWSTRANGERXXXXXXXXX" };
    const flags = { backend: backend("sovstack-state-stranger"), environments: "dev" };
    let error: unknown;
    const calls = await callsDuring(async () => {
      error = await runStateInit(planStateInit(flags, stranger) as S3InitPlan).catch((e: unknown) => e);
    });
    expect((error as Error).message).toMatch(
      /Could not read your own API key SCWSTRANGERXXXXXXXXX .*--operator user_id:/,
    );
    expect(Object.keys(calls)).toEqual(["iam.GetAPIKey"]);

    const operator = "user_id:99999999-9999-4999-8999-999999999999";
    const report = await runStateInit(planStateInit({ ...flags, operator: [operator] }, stranger) as S3InitPlan);
    expect(report.warnings.join("\n")).toContain(`The buckets keep ${operator} in control.`);
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: "sovstack-state-stranger" }))).Policy!;
    expect(policy).toContain(operator);
    expect(policy).not.toContain(ownerPrincipal);
  });

  it("deletes a new CI key again when its secret cannot be stored, so that no key is left that nobody holds", async () => {
    local.faults.set([{ product: "secret", operation: "CreateSecret", rate: 1, statuses: [500] }]);
    const flags = { backend: backend("sovstack-state-lost"), environments: "dev", ciApplicationName: "lost-ci" };
    try {
      await expect(runStateInit(plan(flags))).rejects.toThrow(
        /Could not store the secret of the new CI API key in Secret Manager .*the key was deleted again/,
      );
    } finally {
      local.faults.set([]);
    }
    const [app] = (await clients.iam.listApplications({ name: "lost-ci" })).applications;
    expect((await clients.iam.listAPIKeys({ applicationId: app!.id })).apiKeys).toEqual([]);
    // The next run makes a key and keeps its secret.
    const report = await runStateInit(plan(flags));
    expect(statuses(report.items)["API key of lost-ci"]).toBe("created");
    expect(statuses(report.items)["secret /sovstack/lost-ci-api-key"]).toBe("created");
  }, 60_000);

  it("retries the API when it fails for a moment", async () => {
    local.faults.set([{ product: "iam", operation: "GetAPIKey", rate: 1, statuses: [503] }]);
    const injectedBefore = local.faults.injected;
    setTimeout(() => local.faults.set([]), 150);
    const report = await runStateInit(plan({ backend: backend("sovstack-state-retried"), environments: "dev" }));
    expect(local.faults.injected).toBeGreaterThan(injectedBefore);
    expect(statuses(report.items)).toMatchObject({
      "IAM application sovstack-ci-11111111": "unchanged",
      "bucket sovstack-state-retried (fr-par)": "created",
      "bucket sovstack-state-retried: policy": "created",
    });
  });
});

describe("sovstack state init with bad flags", () => {
  it.each([
    [
      ["--bucket", "sovstack-state", "--region", "nl-ams", "--replica-region", "nl-ams"],
      "is the region of the state bucket",
    ],
    [["--bucket", "Sovstack_State"], "may hold only lowercase letters"],
    [["--bucket", "sovstack-state", "--region", "eu-west-1"], "is not a Scaleway Object Storage region"],
    [["--bucket", "sovstack-state", "--keep-days", "0"], "--keep-days"],
  ])("refuses %j before any call: %s", async (args, message) => {
    let error: unknown;
    const calls = await callsDuring(async () => {
      error = await sovstackState(["init", ...args, "--environments", "dev"]).catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(UsageError); // the CLI exits 64 on it
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toContain("nothing was created");
    expect(calls).toEqual({});
  });
});
