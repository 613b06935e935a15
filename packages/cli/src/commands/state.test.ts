/**
 * `sovstack state ...` as an operator runs it (a separate process, plain text, exit codes)
 * on the situations a review found: backing up the wrong way round, the runbook's restore
 * from a backend, Pulumi's lock files, a migration to a shared backend, and secrets in
 * diffs. Stacks are written by the real engine with inline programs; the shared backend
 * is the local Scaleway's Object Storage.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../testing/runCli";
import { ensureToolchain } from "../engine/toolchain";
import { pulumiIn } from "../engine/workspace";
import { ExitCode } from "../exitCodes";
import { inlineStack, LOCAL_S3_CREDENTIALS, LOCAL_S3_ENV, localBucket } from "../testing/inlineStack";
import { historyPrefix, leaseName, pulumiLockPrefix, type StackAddress } from "../state/layout";
import { leaseStoreFor } from "../state/lease/forBackend";
import { sealerFor } from "../state/passphraseSeal.testing";
import { openStorage } from "../state/storage/open";
import type { StateStorage } from "../state/storage/storage";

/** The CLI reads the project name from infra/Pulumi.yaml. */
const address: StackAddress = { project: "evalplatform", stack: "dev" };
const STACK_TRACE = /^\s+at .+[(:]\d+/m;

const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  ...LOCAL_S3_ENV,
  SCW_ACCESS_KEY: LOCAL_S3_CREDENTIALS.accessKeyId,
  SCW_SECRET_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  NO_COLOR: "1",
  SOVSTACK_ACTOR: "tester",
  SOVSTACK_BACKEND_URL: `file://${mkdtempSync(join(tmpdir(), "sovstack-state-cmd-default-"))}`,
};
delete baseEnv.FORCE_COLOR;
delete baseEnv.PULUMI_BACKEND_URL;
delete baseEnv.PULUMI_CONFIG_PASSPHRASE;
delete baseEnv.SOVSTACK_REPLICA_URL;

/** `sovstack ...args` from the repository root, without a terminal. */
function sovstack(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(args, { ...baseEnv, ...env });
}

const fileBackend = (name: string) => `file://${mkdtempSync(join(tmpdir(), `sovstack-state-cmd-${name}-`))}`;

/** Deployment i: i % 3 + 1 parts, and i as an output. */
const programAt = (i: number) => async () => {
  for (let part = 0; part <= i % 3; part++) new pulumi.ComponentResource("sovstack:test:Part", `part-${part}`);
  return { deployment: i };
};

async function deploy(stack: Stack, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    stack.workspace.program = programAt(i);
    await stack.up({ message: `sovstack up by deployer-${i}` });
  }
}

async function withStorage<T>(url: string, work: (storage: StateStorage) => Promise<T>): Promise<T> {
  const storage = openStorage(url, baseEnv);
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

/** Every object of a backend with its bytes. */
const contentOf = (url: string) =>
  withStorage(url, async (storage) => {
    const objects = await storage.list("");
    return new Map(await Promise.all(objects.map(async ({ key }) => [key, (await storage.get(key))!] as const)));
  });

const versionsOf = async (url: string) =>
  (
    JSON.parse((await sovstack(["state", "history", "dev", "--json", "--backend", url])).stdout) as Array<{
      version: number;
      kind: string;
      historyKey: string;
    }>
  ).map(({ version, kind, historyKey }) => ({ version, kind, historyKey }));

let local: LocalScaleway;
beforeAll(async () => {
  local = await startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-state-cmd-scw-")) });
}, 120_000);
afterAll(async () => {
  await local?.stop();
});

describe("sovstack state backup and restore between backends", () => {
  it("refuses an older replica over the newer state (exit 64, nothing changed); the runbook's restore --from works", async () => {
    const [main, replica] = [fileBackend("main"), fileBackend("replica")];
    const stack = await inlineStack({
      backendUrl: main,
      stackName: "dev",
      projectName: "evalplatform",
      program: programAt(1),
    });
    await deploy(stack, 1, 3);
    const first = await sovstack(["state", "backup", "dev", "--backend", main, "--to", replica]);
    expect(first, first.stderr).toMatchObject({ code: ExitCode.ok });
    expect(first.stdout).toMatch(/^backed up dev to file:\/\/.*: 7 object\(s\) copied, 0 already there/);
    await deploy(stack, 4, 4);

    const before = await contentOf(main);
    const wrongWay = await sovstack(["state", "backup", "dev", "--backend", replica, "--to", main]);
    expect(wrongWay.code).toBe(ExitCode.usage);
    expect(wrongWay.stdout).toBe("");
    expect(wrongWay.stderr).toMatch(
      /^error: refused to back up dev to file:\/\/.*: .* has 1 version\(s\) that .* does not have/,
    );
    expect(wrongWay.stderr).toMatch(
      /\n {2}latest version at the destination: version 4 \(update succeeded, [^)]*by deployer-4\)\n/,
    );
    expect(wrongWay.stderr).toMatch(
      /\n {2}latest version at the source: +version 3 \(update succeeded, [^)]*by deployer-3\)\nFix: /,
    );
    expect(wrongWay.stderr).not.toMatch(STACK_TRACE);
    expect(await contentOf(main)).toEqual(before);
    expect((await stack.outputs()).deployment?.value).toBe(4);

    // The runbook's way: compare the histories, then restore from the backend, inside the lease.
    const [ours, theirs] = [await versionsOf(main), await versionsOf(replica)];
    expect(theirs).toEqual(ours.slice(0, 3));
    const restore = await sovstack(["state", "restore", "dev", "--from", replica, "--backend", main, "--yes"]);
    expect(restore, restore.stderr).toMatchObject({ code: ExitCode.ok });
    expect(restore.stdout).toMatch(
      /^restored dev from file:\/\/.* \(1 object\(s\) written, 1 resources\); the state it replaced is kept at \.sovstack\/replaced\//,
    );
    expect((await stack.outputs()).deployment?.value).toBe(3);
    const after = await versionsOf(main);
    expect(after.slice(0, 4)).toEqual(ours);
    expect(after[4]).toMatchObject({ version: 5, kind: "import" });

    // And the replica takes the next backup: it only lacks the newer versions.
    const again = await sovstack(["state", "backup", "dev", "--backend", main, "--to", replica]);
    expect(again, again.stderr).toMatchObject({ code: ExitCode.ok });
    expect(again.stdout).toMatch(/: 5 object\(s\) copied, 6 already there/);
    expect(await versionsOf(replica)).toEqual(after);
  }, 300_000);
});

describe("sovstack state lock and unlock", () => {
  const prefix = pulumiLockPrefix(address);
  const lockFile = {
    pid: 4242,
    username: "alice",
    hostname: "ci-runner-7",
    timestamp: "2026-05-02T03:12:09.5+02:00",
  };

  it("names each Pulumi lock file's holder, says when a lease expired, and what breaking each lock means", async () => {
    const backend = fileBackend("locks");
    await withStorage(backend, (storage) => storage.put(`${prefix}abc.json`, Buffer.from(JSON.stringify(lockFile))));
    const lock = await sovstack(["state", "lock", "dev", "--backend", backend]);
    expect(lock).toMatchObject({
      code: ExitCode.ok,
      stdout:
        "dev: not locked\nPulumi lock files: 1 (a deployment is running, or one was killed):\n" +
        `  alice on ci-runner-7, pid 4242, since 2026-05-02T01:12:09Z (${prefix}abc.json)\n`,
    });
    const json = JSON.parse((await sovstack(["state", "lock", "dev", "--json", "--backend", backend])).stdout);
    expect(json).toEqual({
      environment: "dev",
      lease: null,
      pulumiLocks: 1,
      pulumiLockFiles: [
        {
          key: `${prefix}abc.json`,
          username: "alice",
          hostname: "ci-runner-7",
          pid: 4242,
          timestamp: "2026-05-02T01:12:09Z",
        },
      ],
    });

    // Only Pulumi's lock: breaking it does not stop a run that holds it.
    const unlock = await sovstack(["state", "unlock", "dev", "--force", "--backend", backend]);
    expect(unlock.code).toBe(ExitCode.ok);
    expect(unlock.stdout).toContain(
      `dev had no lease\nremoved 1 Pulumi lock file(s):\n  alice on ci-runner-7, pid 4242, since 2026-05-02T01:12:09Z (${prefix}abc.json)\n`,
    );
    expect(unlock.stdout).toContain("if it is still running, it keeps writing the state until it ends");
    expect(unlock.stdout).not.toContain("lease renewal");

    // A lease whose holder stopped renewing it: "expired at", and breaking it stops that holder.
    await leaseStoreFor(backend, { ttlMs: 500 }).acquire(leaseName(address), {
      who: "bob@laptop",
      operation: "up",
      pid: 99,
      host: "laptop",
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const expired = await sovstack(["state", "lock", "dev", "--backend", backend]);
    expect(expired.stdout).toMatch(
      /^dev: lease expired \(its holder stopped renewing it\), held by bob@laptop \(up, pid 99 on laptop\) since \S+, expired at \S+\n$/,
    );
    const broken = await sovstack(["state", "unlock", "dev", "--force", "--backend", backend]);
    expect(broken.stdout).toMatch(/^broke the lease of bob@laptop \(up, pid 99 on laptop, since \S+\)\n/);
    expect(broken.stdout).toContain("If that deployment was still running, it stops at its next lease renewal.");

    const nothing = await sovstack(["state", "unlock", "dev", "--force", "--backend", backend]);
    expect(nothing.stdout).toBe("dev had no lease\ndev had no Pulumi lock file either: nothing was locked.\n");
  }, 120_000);
});

describe("sovstack state migrate to a shared backend", () => {
  it("says how to keep opening a stack kept with the local passphrase, and the copy restores from that backend", async () => {
    const from = fileBackend("local");
    const toolchain = await ensureToolchain();
    // As `npm start` and every file:// backend keep it: the public local passphrase.
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", projectName: "evalplatform", program: async () => ({ token: pulumi.secret("t0ken") }) },
      {
        pulumiCommand: await pulumiIn(toolchain.binDir),
        envVars: {
          ...toolchain.env,
          PULUMI_BACKEND_URL: from,
          PULUMI_CONFIG_PASSPHRASE: "sovstack-local",
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
      },
    );
    await stack.up();
    const to = (await localBucket(local.s3Url)).url;
    const migrate = await sovstack(["state", "migrate", "dev", "--backend", from, "--to", to]);
    expect(migrate, migrate.stderr).toMatchObject({ code: ExitCode.ok });
    expect(migrate.stdout).toMatch(
      /^migrated dev \(3 object\(s\), 0 resources\)\nNext: use the new backend: export SOVSTACK_BACKEND_URL='s3:\/\//,
    );
    expect(migrate.stdout).toContain(
      "The dev stack's secrets are encrypted with the public local passphrase `sovstack-local` (file:// backends use it " +
        "when PULUMI_CONFIG_PASSPHRASE is unset). On the new backend, sovstack reads /sovstack/pulumi-passphrase-dev " +
        "from Secret Manager (fr-par, project SCW_DEFAULT_PROJECT_ID) unless PULUMI_CONFIG_PASSPHRASE is set",
    );
    expect(migrate.stdout).toContain(
      "keep `export PULUMI_CONFIG_PASSPHRASE=sovstack-local` for every command on the new backend",
    );

    // A backend URL as --from (the region-outage runbook's fail-back), here an s3:// one.
    const restore = await sovstack(["state", "restore", "dev", "--from", to, "--backend", from, "--yes"]);
    expect(restore, restore.stderr).toMatchObject({ code: ExitCode.ok });
    expect(restore.stdout).toMatch(/^restored dev from s3:\/\/.* \(1 object\(s\) written, 0 resources\)/);
  }, 300_000);
});

describe("sovstack state diff", () => {
  it("lists a resource's re-encrypted secrets once, and compares their values with the passphrase", async () => {
    const backend = fileBackend("diff");
    const sealer = sealerFor("diff-passphrase");
    const urn = "urn:pulumi:dev::evalplatform::scaleway:containers/container:Container::api";
    const state = (image: string, level: string) =>
      JSON.stringify({
        version: 3,
        checkpoint: {
          stack: "organization/evalplatform/dev",
          latest: {
            secrets_providers: { type: "passphrase", state: { salt: sealer.saltState } },
            resources: [
              {
                urn,
                type: "scaleway:containers/container:Container",
                custom: true,
                id: "fr-par/1",
                inputs: {
                  image,
                  environmentVariables: { LOG_LEVEL: level },
                  password: sealer.secret("same"),
                  token: sealer.secret("same too"),
                },
              },
            ],
          },
        },
      });
    await withStorage(backend, async (storage) => {
      for (const [i, [image, level]] of [
        ["api:1", "debug"],
        ["api:2", "trace"],
      ].entries()) {
        const stem = `${historyPrefix(address)}dev-${1_700_000_000_000_000_000n + BigInt(i)}`;
        await storage.put(`${stem}.checkpoint.json`, Buffer.from(state(image!, level!)));
        await storage.put(`${stem}.history.json`, Buffer.from(JSON.stringify({ kind: "update", result: "succeeded" })));
      }
    });
    const blind = await sovstack(["state", "diff", "dev", "1", "2", "--backend", backend]);
    expect(blind).toMatchObject({
      code: ExitCode.ok,
      stdout:
        "~ scaleway:containers/container:Container::api\n" +
        '    environmentVariables.LOG_LEVEL: "debug" → "trace"\n' +
        '    image: "api:1" → "api:2"\n' +
        "    password, token: [secret] (re-encrypted; value not compared)\n",
    });
    expect(blind.stderr).toContain("export PULUMI_CONFIG_PASSPHRASE");
    const seeing = await sovstack(["state", "diff", "dev", "1", "2", "--backend", backend], {
      PULUMI_CONFIG_PASSPHRASE: "diff-passphrase",
    });
    expect(seeing.stdout).toBe(
      "~ scaleway:containers/container:Container::api\n" +
        '    environmentVariables.LOG_LEVEL: "debug" → "trace"\n' +
        '    image: "api:1" → "api:2"\n',
    );
  }, 120_000);
});
