import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerDoctorCommand } from "../commands/doctor";
import { ensureToolchain } from "../engine/toolchain";
import { ExitCode } from "../exitCodes";
import { infraDir } from "../paths";
import { leaseStoreFor } from "../state/lease/forBackend";
import type { DoctorContext } from "./check";
import { describeDoctor } from "./describeDoctor";
import { runDoctor, type DoctorReport } from "./runDoctor";
import { checkToolchain } from "./toolchainCheck";

let local: LocalScaleway;
let versionedBucket: string;
let plainBucket: string;

beforeAll(async () => {
  // The doctor never builds the toolchain; make sure the one it looks for exists (CI builds it here).
  await ensureToolchain();
  local = await startLocalScaleway();
  const s3 = new S3Client({
    endpoint: local.s3Url,
    region: "fr-par",
    forcePathStyle: true,
    credentials: { accessKeyId: local.env().SCW_ACCESS_KEY!, secretAccessKey: local.env().SCW_SECRET_KEY! },
  });
  versionedBucket = `state-${Date.now()}`;
  plainBucket = `plain-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: versionedBucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: versionedBucket, VersioningConfiguration: { Status: "Enabled" } }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: plainBucket }));
}, 900_000);
afterAll(async () => local?.stop());

const s3Url = (bucket: string) => `s3://${bucket}?endpoint=${local.s3Url}&use_path_style=true&region=fr-par`;
const fileBackend = () => `file://${mkdtempSync(join(tmpdir(), "sovstack-doctor-state-"))}`;

function context(
  overrides: Partial<DoctorContext> & { vars?: Record<string, string | undefined> } = {},
): DoctorContext {
  const { vars, ...rest } = overrides;
  return {
    environment: "dev",
    backendUrl: s3Url(versionedBucket),
    projectDir: infraDir,
    env: { HOME: mkdtempSync(join(tmpdir(), "home-")), ...local.env(), PULUMI_CONFIG_PASSPHRASE: "x", ...vars },
    timeoutMs: 3000,
    attempts: 2,
    ...rest,
  };
}

const check = (report: DoctorReport, name: string) => report.checks.find((item) => item.name === name);

describe("sovstack doctor against a local Scaleway", () => {
  it("passes every check with good credentials, a versioned state bucket and no deployment running", async () => {
    const report = await runDoctor(context());
    expect(report.checks.filter((item) => item.status !== "ok")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((item) => item.name)).toEqual([
      "toolchain",
      "node",
      "credentials",
      "scaleway api",
      "clock",
      "backend",
      "lock",
      "stack file",
      "region",
      "passphrase",
    ]);
    expect(check(report, "toolchain")?.detail).toMatch(/^pulumi 3\.248\.0 and Scaleway provider 1\.54\.0/);
    expect(check(report, "backend")?.detail).toContain("versioning enabled");
    expect(check(report, "scaleway api")?.detail).toContain("the key reads project");
    const text = describeDoctor(report);
    expect(text).toMatch(/^ {2}ok {4}credentials {3}access key SCWLOC…, secret key set/m);
    expect(text).toMatch(/Ready to deploy\.$/);
    expect(text).not.toContain(local.env().SCW_SECRET_KEY);
  });

  it("fails on a malformed access key, says how to fix it, and never prints the secret key (the CLI exits 1)", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, local.env(), { SCW_ACCESS_KEY: "scw-not-a-key", PULUMI_CONFIG_PASSPHRASE: "x" });
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((text: string) => void printed.push(text));
    try {
      const program = new Command().exitOverride();
      registerDoctorCommand(program);
      await program.parseAsync(["doctor", "dev", "--backend", fileBackend(), "--json"], { from: "user" });
      expect(process.exitCode).toBe(ExitCode.failure);
    } finally {
      log.mockRestore();
      process.env = saved;
      process.exitCode = undefined;
    }
    const report = JSON.parse(printed.join("\n")) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(check(report, "credentials")).toEqual({
      name: "credentials",
      status: "fail",
      detail:
        'SCW_ACCESS_KEY (13 characters, starting "scw") is not an access key: SCW followed by 17 uppercase letters or digits',
      fix: "export SCW_ACCESS_KEY with the access key (SCWXXXXXXXXXXXXXXXXX) of your API key, not its secret",
    });
    expect(printed.join("\n")).not.toContain(local.env().SCW_SECRET_KEY);
  });

  it("describes a secret key pasted where the access key goes without showing any of it", async () => {
    const secret = "9f0e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
    const report = await runDoctor(context({ vars: { SCW_ACCESS_KEY: secret } }), { skipToolchain: true });
    expect(check(report, "credentials")?.detail).toMatch(/^SCW_ACCESS_KEY \(36 characters\) is not an access key/);
    expect(JSON.stringify(report)).not.toContain(secret.slice(0, 8));
  });

  it("fails on an unreachable backend, without its password, and does not check the lock there", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const report = await runDoctor(context({ backendUrl: `postgres://deployer:hunter2@127.0.0.1:${port}/state` }), {
      skipToolchain: true,
    });
    expect(report.ok).toBe(false);
    expect(check(report, "backend")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        new RegExp(`^postgres://deployer:\\*\\*\\*@127\\.0\\.0\\.1:${port}/state is unreachable`),
      ),
      fix: expect.stringContaining("check host, port, user and password"),
    });
    expect(check(report, "lock")).toMatchObject({ status: "warn", detail: "not checked: the backend is unreachable" });
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });

  it("fails on a state bucket that does not exist, and warns when versioning is off", async () => {
    const missing = await runDoctor(context({ backendUrl: s3Url("no-such-bucket") }), { skipToolchain: true });
    expect(check(missing, "backend")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("the bucket does not exist"),
      fix: "create it with `sovstack state init --backend s3://no-such-bucket`",
    });
    const unversioned = await runDoctor(context({ backendUrl: s3Url(plainBucket) }), { skipToolchain: true });
    expect(check(unversioned, "backend")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining("versioning is off"),
    });
    expect(unversioned.ok).toBe(true);
  });

  it("reports who holds the deployment lease", async () => {
    const backendUrl = fileBackend();
    const lease = await leaseStoreFor(backendUrl).acquire("evalplatform/dev", {
      who: "alice@laptop",
      operation: "up",
      commit: "0123456789abcdef0123",
      pid: 4242,
      host: "laptop",
    });
    try {
      const report = await runDoctor(context({ backendUrl }), { skipToolchain: true });
      expect(check(report, "lock")).toMatchObject({
        status: "warn",
        detail: expect.stringMatching(
          /^dev is being deployed: alice@laptop \(up of 0123456789ab, pid 4242 on laptop\) holds the lease since/,
        ),
        fix: "wait for it to finish; if that deployment is dead, `sovstack state unlock dev --force`",
      });
      expect(report.ok).toBe(true);
    } finally {
      await lease.release();
    }
    const after = await runDoctor(context({ backendUrl }), { skipToolchain: true });
    expect(check(after, "lock")).toMatchObject({ status: "ok", detail: "no deployment of dev holds the lease" });
  });

  it("fails when the local clock is more than a minute off Scaleway's Date header", async () => {
    const report = await runDoctor(context({ now: () => Date.now() + 5 * 60_000 }), { skipToolchain: true });
    expect(check(report, "clock")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^the local clock is 30\d s ahead of Scaleway's/),
    });
  });

  it("fails when the API cannot be reached, and then cannot check the clock", async () => {
    const report = await runDoctor(context({ vars: { SCW_API_URL: "http://127.0.0.1:9" } }), { skipToolchain: true });
    expect(check(report, "scaleway api")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("no answer from http://127.0.0.1:9/"),
    });
    expect(check(report, "clock")?.status).toBe("warn");
  });

  it("says the key was refused when Scaleway answers 401", async () => {
    const refusing: Server = createServer((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "authentication is denied", type: "denied_authentication" }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const report = await runDoctor(context({ vars: { SCW_API_URL: url } }), { skipToolchain: true });
      expect(check(report, "scaleway api")).toMatchObject({
        status: "fail",
        detail: "Scaleway refused the secret key (HTTP 401: authentication is denied)",
        fix: expect.stringContaining("create a new API key"),
      });
      expect(check(report, "clock")?.status).toBe("ok");
    } finally {
      refusing.close();
    }
  });

  it("warns when the default region differs from the stack's, and fails on a missing stack file", async () => {
    const report = await runDoctor(context({ vars: { SCW_DEFAULT_REGION: "nl-ams" } }), { skipToolchain: true });
    expect(check(report, "region")).toMatchObject({ status: "warn", fix: "export SCW_DEFAULT_REGION=fr-par" });
    const missing = await runDoctor(context({ environment: "qa" }), { skipToolchain: true });
    expect(check(missing, "stack file")).toMatchObject({ status: "fail", fix: "run `sovstack init qa`" });
  });

  it("fails without a passphrase on a shared backend, naming the secret that holds it", async () => {
    const noKey = { PULUMI_CONFIG_PASSPHRASE: undefined, SCW_ACCESS_KEY: undefined, SCW_SECRET_KEY: undefined };
    const report = await runDoctor(context({ vars: noKey }), { skipToolchain: true });
    expect(check(report, "passphrase")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("/sovstack/pulumi-passphrase-dev in Secret Manager"),
    });
  });

  it("accepts no passphrase variable when the Scaleway key can read it from Secret Manager", async () => {
    const report = await runDoctor(context({ vars: { PULUMI_CONFIG_PASSPHRASE: undefined } }), { skipToolchain: true });
    expect(check(report, "passphrase")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("/sovstack/pulumi-passphrase-dev"),
    });
  });

  it("reads the credentials from the scw profile when the variables are not set", async () => {
    const env = local.env();
    const config = join(mkdtempSync(join(tmpdir(), "scw-")), "config.yaml");
    writeFileSync(
      config,
      `active_profile: deploy\nprofiles:\n  deploy:\n    access_key: ${env.SCW_ACCESS_KEY}\n    secret_key: ${env.SCW_SECRET_KEY}\n` +
        `    default_project_id: ${env.SCW_DEFAULT_PROJECT_ID}\n    default_region: fr-par\n`,
    );
    const vars = {
      SCW_ACCESS_KEY: undefined,
      SCW_SECRET_KEY: undefined,
      SCW_DEFAULT_PROJECT_ID: undefined,
      SCW_DEFAULT_REGION: undefined,
    };
    const report = await runDoctor(context({ vars: { ...vars, SCW_CONFIG_PATH: config } }), { skipToolchain: true });
    expect(check(report, "credentials")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining('the scw profile "deploy"'),
    });
    expect(check(report, "scaleway api")?.status).toBe("ok");
  });
});

describe("the toolchain check", () => {
  it("fails with the setup command when no pinned toolchain is on PATH or in the cache, and builds nothing", async () => {
    const saved = { PATH: process.env.PATH, SOVSTACK_TOOLCHAIN_DIR: process.env.SOVSTACK_TOOLCHAIN_DIR };
    const empty = mkdtempSync(join(tmpdir(), "no-toolchain-"));
    process.env.PATH = empty;
    process.env.SOVSTACK_TOOLCHAIN_DIR = empty;
    try {
      expect(await checkToolchain()).toMatchObject({
        status: "fail",
        fix: expect.stringContaining("node toolchain/setup.mjs"),
      });
    } finally {
      Object.assign(process.env, saved);
      if (saved.SOVSTACK_TOOLCHAIN_DIR === undefined) delete process.env.SOVSTACK_TOOLCHAIN_DIR;
    }
  });
});
