/**
 * The sovstack command as a user runs it: a separate process, plain text (no colour),
 * stdout, stderr and the exit code. State commands run on a file:// backend holding a
 * stack written by the real engine with an inline program, so no cloud and no infra
 * deployment is needed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "./testing/runCli";
import { ensureToolchain } from "./engine/toolchain";
import { pulumiIn } from "./engine/workspace";
import { ExitCode } from "./exitCodes";
import { repoRoot } from "./paths";
import { checkpointKey, leaseName, type StackAddress } from "./state/layout";
import { leaseStoreFor } from "./state/lease/forBackend";
import type { Lease } from "./state/lease/lease";
import { inlineStack } from "./testing/inlineStack";

/** Every command of `sovstack --help`, and of `sovstack state --help`: a new one must be added here. */
const COMMANDS = [
  "preview",
  "up",
  "destroy",
  "outputs",
  "check",
  "state",
  "rollback",
  "cost",
  "drift",
  "doctor",
  "init",
];
const STATE_COMMANDS = ["init", "lock", "unlock", "history", "diff", "verify", "backup", "restore", "migrate"];

/** The options each command's help must list (the documented ones; more may come). */
const OPTIONS: Record<string, readonly string[]> = {
  preview: ["--backend <url>", "--json", "--expect-no-changes", "--no-cost"],
  up: ["--backend <url>", "--json", "--no-refresh"],
  destroy: ["--backend <url>", "--yes"],
  outputs: ["--backend <url>", "--json"],
  check: ["--backend <url>", "--json"],
  state: [],
  rollback: ["--to <version|commit>", "--yes", "--backend <url>", "--json"],
  cost: ["--json", "--naive", "--assume <key=value>"],
  drift: ["--backend <url>", "--json"],
  doctor: ["--backend <url>", "--json"],
  init: ["--interactive", "--region <region>", "--tier <tier>", "--force"],
  "state init": ["--backend <url>", "--region <region>", "--replica-region <region>", "--json"],
  "state lock": ["--backend <url>", "--json"],
  "state unlock": ["--backend <url>", "--force"],
  "state history": ["--backend <url>", "--limit <n>", "--json"],
  "state diff": ["--backend <url>", "--json"],
  "state verify": ["--backend <url>", "--version <v>", "--json"],
  "state backup": ["--backend <url>", "--to <file|url>"],
  "state restore": ["--backend <url>", "--from <file|url>", "--yes"],
  "state migrate": ["--backend <url>", "--to <url>"],
};

/** Where commands without --backend would write: an empty folder, never the repository's own state. */
const defaultBackend = `file://${mkdtempSync(join(tmpdir(), "sovstack-cli-default-"))}`;

/** At most two CLI processes at once: the machine has two cores, and each start-up is CPU-bound. */
const slots = { free: 2, waiting: [] as Array<() => void> };
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.free === 0) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  else slots.free--;
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/** `sovstack ...args` from the repository root, without a terminal or colour. */
function sovstack(...args: string[]): Promise<CliRun> {
  return sovstackWith({}, ...args);
}

/** The same, with these variables set (undefined: unset), as a user's shell would have them. */
function sovstackWith(variables: Record<string, string | undefined>, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    SOVSTACK_ACTOR: "tester",
    SOVSTACK_BACKEND_URL: defaultBackend,
  };
  delete env.FORCE_COLOR;
  delete env.PULUMI_BACKEND_URL;
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return inSlot(() => runCli(args, env));
}

/** The names of a help text's "Commands:" section (wrapped descriptions are indented deeper). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]!).filter((name) => name !== "help");
}

/** A Scaleway project ID of the right form, for commands that check the stack file first. */
const PROJECT_ID = "11111111-1111-4111-8111-111111111111";

/** A Node.js stack trace line: users must never see one for a usage error. */
const STACK_TRACE = /^\s+at .+[(:]\d+/m;

describe("sovstack --help", () => {
  it("lists exactly the known commands, and `state --help` the known state commands", async () => {
    const [top, state] = await Promise.all([sovstack("--help"), sovstack("state", "--help")]);
    expect(top.code).toBe(ExitCode.ok);
    expect(commandsIn(top.stdout)).toEqual(COMMANDS);
    expect(state.code).toBe(ExitCode.ok);
    expect(commandsIn(state.stdout)).toEqual(STATE_COMMANDS);
  }, 120_000);

  const everyCommand = [...COMMANDS, ...STATE_COMMANDS.map((name) => `state ${name}`)];
  it.concurrent.each(everyCommand)(
    "`%s --help` exits 0 and lists its options",
    async (command) => {
      const { code, stdout, stderr } = await sovstack(...command.split(" "), "--help");
      expect(code).toBe(ExitCode.ok);
      expect(stderr).toBe("");
      expect(stdout).toMatch(new RegExp(`^Usage: sovstack ${command} `));
      const options = stdout.split(/^Options:$/m)[1] ?? "";
      for (const option of [...OPTIONS[command]!, "-h, --help"]) expect(options).toContain(`  ${option} `);
    },
    120_000,
  );
});

describe("sovstack used the wrong way exits 64 with a message naming the argument and the fix", () => {
  const cases: Array<[string, string[], RegExp[]]> = [
    ["an unknown command", ["deploy", "dev"], [/unknown command 'deploy'/, /Commands:\n\s+preview/]],
    ["a missing <env>", ["up"], [/missing required argument 'env'/, /Usage: sovstack up \[options\] <env>/]],
    ["an unknown option", ["preview", "dev", "--bogus"], [/unknown option '--bogus'/, /--expect-no-changes/]],
    ["destroy without --yes", ["destroy", "dev"], [/deletes every resource of dev/, /Fix: add --yes/]],
    ["unlock without --force", ["state", "unlock", "dev"], [/sovstack state lock dev/, /Fix: add --force/]],
    [
      "restore without --yes",
      ["state", "restore", "dev", "3"],
      [/replaces the current state of dev/, /Fix: add --yes/],
    ],
    ["history --limit 0", ["state", "history", "dev", "--limit", "0"], [/--limit 0/, /whole number from 1/]],
    [
      "the cost of an environment without a stack file",
      ["cost", "nosuchenv"],
      [/no Pulumi\.nosuchenv\.yaml in infra\//, /Fix: use one of dev, production, staging/, /sovstack init nosuchenv/],
    ],
    [
      "a preview of an environment without a stack file",
      ["preview", "nosuchenv"],
      [/no Pulumi\.nosuchenv\.yaml in infra\//, /Environment files found: Pulumi\.dev\.yaml/],
    ],
    ["an up of an environment without a stack file", ["up", "nosuchenv"], [/unknown environment "nosuchenv"/]],
    [
      "init with a name that is not an environment name",
      ["init", "Bad Name"],
      [/"Bad Name" is not a valid environment name/, /lowercase letters, digits and single dashes/, /Fix:/],
    ],
    [
      "an unsupported backend (state command)",
      ["state", "history", "dev", "--backend", "ftp://x"],
      [/backend "ftp:\/\/x" is not supported/, /Allowed: file:\/\/<folder>, s3:\/\/<bucket>/, /postgres:\/\//],
    ],
    [
      "an unsupported backend (deployment)",
      ["up", "dev", "--backend", "ftp://x"],
      [/backend "ftp:\/\/x" is not supported/, /Allowed: file:\/\/<folder>/],
    ],
  ];
  it.concurrent.each(cases)(
    "%s",
    async (_what, args, messages) => {
      const { code, stdout, stderr } = await sovstack(...args);
      expect(code).toBe(ExitCode.usage);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^error: /);
      for (const message of messages) expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(STACK_TRACE);
    },
    120_000,
  );

  it("init with a bad name, or a preview or up of an unknown environment, writes no stack file", async () => {
    // Run here too, so that the test holds when it runs alone.
    await Promise.all([sovstack("init", "Bad Name"), sovstack("preview", "nosuchenv"), sovstack("up", "nosuchenv")]);
    expect(existsSync(join(repoRoot, "infra", "Pulumi.Bad Name.yaml"))).toBe(false);
    // Pulumi writes an encryption salt into the stack file of every stack it creates.
    expect(existsSync(join(repoRoot, "infra", "Pulumi.nosuchenv.yaml"))).toBe(false);
  }, 120_000);
});

/** The lines of a command's stderr that start a verdict: there must be exactly one, the last. */
function verdicts(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("error:"));
}

/** What a failing command must never print: the engine's command line. */
const ENGINE_COMMAND_LINE = /Command failed with exit code|--non-interactive|\/bin\/pulumi /;

/** A file:// backend of its own, and whether the engine wrote anything to it (a stack, a lease). */
function freshBackend(): { url: string; written: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), "sovstack-cli-backend-"));
  return { url: `file://${dir}`, written: () => readdirSync(dir, { recursive: true }).map(String) };
}

describe("a stack file the program would refuse stops preview and up at once (exit 3), before the engine", () => {
  // No project anywhere: not in the stack files, not in the environment, no scw config file.
  const noProject = {
    SCW_DEFAULT_PROJECT_ID: undefined,
    SCW_PROFILE: undefined,
    SCW_CONFIG_PATH: join(mkdtempSync(join(tmpdir(), "sovstack-cli-scw-")), "config.yaml"),
  };
  const stackFile = join(repoRoot, "infra", "Pulumi.dev.yaml");

  it.concurrent.each([["preview"], ["up"]])(
    "%s dev lists the problem, creates no stack, takes no lease and leaves the stack file as it was",
    async (command) => {
      const before = readFileSync(stackFile, "utf8");
      const backend = freshBackend();
      const run = await sovstackWith(noProject, command, "dev", "--backend", backend.url);
      expect(run.code).toBe(ExitCode.invalidConfiguration);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        /^error: The stack configuration in Pulumi\.dev\.yaml has 1 problem; nothing was created:\n {2}- projectId: is not set, nor SCW_DEFAULT_PROJECT_ID, nor default_project_id in the scw profile\. .*Fix: /m,
      );
      // Neither the toolchain nor the engine started.
      expect(run.stderr).not.toMatch(/toolchain|previewing|deploying|Diagnostics/);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(backend.written()).toEqual([]);
      expect(readFileSync(stackFile, "utf8")).toBe(before);
    },
    120_000,
  );
});

describe("a typo in the backend URL is said as such, before any passphrase is looked for (exit 64)", () => {
  const unsupported = /^error: backend "http:\/\/x" is not supported\. Allowed: file:\/\/<folder>, s3:\/\/<bucket>/;
  const cases: Array<[string, Record<string, string | undefined>]> = [
    ["without Scaleway credentials", { SCW_ACCESS_KEY: undefined, SCW_SECRET_KEY: undefined }],
    ["with Scaleway credentials", { SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX", SCW_SECRET_KEY: PROJECT_ID }],
  ];
  it.concurrent.each(cases)(
    "outputs dev --backend http://x, %s",
    async (_what, credentials) => {
      const run = await sovstackWith(
        { ...credentials, PULUMI_CONFIG_PASSPHRASE: undefined, SCW_API_URL: "http://127.0.0.1:9" },
        "outputs",
        "dev",
        "--backend",
        "http://x",
      );
      expect(run.code).toBe(ExitCode.usage);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(unsupported);
      // Neither "No secrets passphrase" nor a Secret Manager call came first.
      expect(run.stderr).not.toMatch(/passphrase|Secret Manager|toolchain/);
    },
    120_000,
  );

  it.concurrent.each([["drift"], ["check"], ["preview"]])(
    "%s dev --backend http://x without a passphrase",
    async (command) => {
      const run = await sovstackWith(
        { PULUMI_CONFIG_PASSPHRASE: undefined, SCW_DEFAULT_PROJECT_ID: PROJECT_ID },
        command,
        "dev",
        "--backend",
        "http://x",
      );
      expect(run.code).toBe(ExitCode.usage);
      expect(run.stderr).toMatch(unsupported);
    },
    120_000,
  );
});

describe("a failing engine run ends with one verdict line and never repeats what was streamed", () => {
  // The provider refuses a project ID that is not a UUID: a real engine failure, no cloud needed.
  const badProject = { SCW_DEFAULT_PROJECT_ID: "not-a-project", PULUMI_CONFIG_PASSPHRASE: undefined };
  const verdict =
    /^error: the preview of dev failed: .*invalid UUID: not-a-project\. format should be .*\. Nothing changed\.$/;

  it("preview: the engine's output once, on stdout; on stderr only progress and the verdict", async () => {
    const run = await sovstackWith(badProject, "preview", "dev", "--backend", freshBackend().url);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stdout.match(/invalid UUID: not-a-project/g)?.length).toBeGreaterThanOrEqual(1);
    expect(run.stdout).toMatch(/Diagnostics:/);
    expect(verdicts(run.stderr)).toEqual([expect.stringMatching(verdict)]);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(verdict);
    expect(run.stderr).not.toMatch(ENGINE_COMMAND_LINE);
    expect(run.stderr).not.toMatch(/Diagnostics:|Previewing update|Resources:/);
  }, 180_000);

  it("preview --json: stdout stays empty; stderr has the engine's error lines, then the verdict", async () => {
    const run = await sovstackWith(badProject, "preview", "dev", "--json", "--backend", freshBackend().url);
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^ {2}pulumi:providers:scaleway default\S*:\n {4}error: .*invalid UUID: not-a-project/m);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(verdict);
    expect(run.stderr).not.toMatch(ENGINE_COMMAND_LINE);
    expect(run.stderr).not.toMatch(/Previewing update|Resources:|Policies:/);
  }, 180_000);

  it("a passphrase that the stack file's encryptionsalt refuses is named with where it came from (exit 1)", async () => {
    const backend = freshBackend();
    const run = await sovstackWith(
      { PULUMI_CONFIG_PASSPHRASE: "not-the-staging-passphrase", SCW_DEFAULT_PROJECT_ID: PROJECT_ID },
      "preview",
      "staging",
      "--backend",
      backend.url,
    );
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stderr).toMatch(/^ {2}error: could not create secrets manager for new stack: incorrect passphrase$/m);
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
      "error: infra/Pulumi.staging.yaml's encryptionsalt was made with another passphrase than the one sovstack used " +
        "(PULUMI_CONFIG_PASSPHRASE). Fix: export PULUMI_CONFIG_PASSPHRASE=<staging's passphrase>",
    );
    expect(run.stderr).not.toMatch(ENGINE_COMMAND_LINE);
    expect(backend.written().filter((path) => path.includes("stacks"))).toEqual([]);
  }, 180_000);
});

describe("sovstack destroy", () => {
  it("after deleting everything, says the stack stays and gives the command that removes it, runnable as written", async () => {
    const backend = freshBackend();
    // A deployed dev stack of components only (no cloud), under the local passphrase that dev's file is salted with.
    const toolchain = await ensureToolchain();
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: "dev",
        projectName: "evalplatform",
        program: async () => void new pulumi.ComponentResource("sovstack:test:Part", "part"),
      },
      {
        pulumiCommand: await pulumiIn(toolchain.binDir),
        envVars: { ...toolchain.env, PULUMI_BACKEND_URL: backend.url, PULUMI_CONFIG_PASSPHRASE: "sovstack-local" },
      },
    );
    await stack.up();

    const run = await sovstackWith(
      { PULUMI_CONFIG_PASSPHRASE: undefined },
      "destroy",
      "dev",
      "--yes",
      "--backend",
      backend.url,
    );
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/- 2 deleted/);
    const note = run.stdout.slice(run.stdout.indexOf("Every resource of dev is deleted."));
    expect(note).toContain(`The dev stack, with its history, stays in ${backend.url}`);
    expect(note).toContain(
      `  PULUMI_BACKEND_URL='${backend.url}' PULUMI_CONFIG_PASSPHRASE='sovstack-local' pulumi stack rm dev --preserve-config --yes`,
    );
    // It does stay: its history still lists the deployment and the destroy.
    const history = await sovstack("state", "history", "dev", "--json", "--backend", backend.url);
    expect((JSON.parse(history.stdout) as Array<{ kind: string }>).map(({ kind }) => kind)).toEqual([
      "update",
      "destroy",
    ]);

    // The command, run as printed from infra/, removes the stack and keeps the environment's file.
    const words = note
      .split("\n")
      .find((line) => line.includes("pulumi stack rm"))!
      .trim()
      .split(" ");
    const at = words.indexOf("pulumi");
    const assigned = words.slice(0, at).map((word) => /^(\w+)='(.*)'$/.exec(word)!.slice(1, 3) as [string, string]);
    const stackFile = join(repoRoot, "infra", "Pulumi.dev.yaml");
    const before = readFileSync(stackFile, "utf8");
    execFileSync(join(toolchain.binDir, "pulumi"), words.slice(at + 1), {
      cwd: join(repoRoot, "infra"),
      env: { ...process.env, ...toolchain.env, PULUMI_SKIP_UPDATE_CHECK: "true", ...Object.fromEntries(assigned) },
      stdio: "pipe",
    });
    expect(backend.written().filter((path) => /stacks\/evalplatform\/dev\.json$/.test(path))).toEqual([]);
    expect(readFileSync(stackFile, "utf8")).toBe(before);
  }, 180_000);
});

describe("sovstack cost --json", () => {
  it("prints JSON only on stdout, with a total per environment; progress goes to stderr", async () => {
    const { code, stdout, stderr } = await sovstack("cost", "dev", "--json");
    expect(code).toBe(ExitCode.ok);
    const parsed = JSON.parse(stdout) as {
      currency: string;
      environments: Array<{ environment: string; totalEur: number }>;
    };
    expect(parsed.currency).toBe("EUR");
    expect(parsed.environments).toHaveLength(1);
    expect(parsed.environments[0]).toMatchObject({ environment: "dev" });
    expect(parsed.environments[0]!.totalEur).toBeGreaterThan(0);
    expect(stderr).toMatch(/planning dev/);
  }, 120_000);
});

describe("sovstack state on a file:// backend", () => {
  const PARTS = [2, 4, 3]; // components of each of the three deployments
  const address: StackAddress = { project: "evalplatform", stack: "dev" };
  const work = mkdtempSync(join(tmpdir(), "sovstack-cli-state-"));
  const backend = `file://${join(work, "state")}`;
  const checkpointFile = join(work, "state", checkpointKey(address));
  let held: Lease | undefined;

  /** Version i of a program that declares only components: the real engine, no cloud. */
  const programWith = (parts: number) => async () => {
    for (let part = 0; part < parts; part++) new pulumi.ComponentResource("sovstack:test:Part", `part-${part}`);
  };

  beforeAll(async () => {
    mkdirSync(join(work, "state"));
    const stack = await inlineStack({
      backendUrl: backend,
      projectName: address.project,
      stackName: address.stack,
      program: programWith(PARTS[0]!),
    });
    for (const parts of PARTS) {
      stack.workspace.program = programWith(parts);
      await stack.up({ message: "sovstack up by tester" });
    }
  }, 300_000);
  afterAll(async () => {
    await held?.release();
  });

  const state = (...args: string[]) => sovstack("state", ...args, "--backend", backend);

  it("history lists the three deployments, as JSON and as a table", async () => {
    const [json, table] = await Promise.all([state("history", "dev", "--json"), state("history", "dev")]);
    expect(json.code).toBe(ExitCode.ok);
    const versions = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(
      versions.map(({ version, kind, result, who, resourceCount }) => ({ version, kind, result, who, resourceCount })),
    ).toEqual(
      PARTS.map((parts, i) => ({
        version: i + 1,
        kind: "update",
        result: "succeeded",
        who: "tester",
        resourceCount: parts,
      })),
    );
    expect(versions[0]!.changes).toEqual({ create: 3 }); // the stack and two components

    expect(table.code).toBe(ExitCode.ok);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^VERSION\s+TIME\s+KIND\s+RESULT\s+WHO\s+COMMIT\s+RESOURCES\s+CHANGES$/);
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+update\s+succeeded\s+tester\s+-\s+2\s+3 create$/);
    expect(lines[3]).toMatch(/^3\s.*\stester\s+-\s+3\s+1 delete$/);
  }, 120_000);

  it("diff names what was added and removed between two versions", async () => {
    const [oneToThree, twoToThree] = await Promise.all([
      state("diff", "dev", "1", "3"),
      state("diff", "dev", "-2", "-1"),
    ]);
    expect(oneToThree).toMatchObject({ code: ExitCode.ok, stdout: "+ sovstack:test:Part::part-2\n" });
    expect(twoToThree).toMatchObject({ code: ExitCode.ok, stdout: "- sovstack:test:Part::part-3\n" });
  }, 120_000);

  it("verify fails on a corrupted state naming the problem, and restoring the latest version repairs it", async () => {
    const good = await state("verify", "dev");
    expect(good.code).toBe(ExitCode.ok);
    expect(good.stdout).toMatch(/✓ the current state of dev verifies \(3 resources\)/);

    const original = readFileSync(checkpointFile, "utf8");
    writeFileSync(checkpointFile, original.slice(0, original.length / 2));
    const bad = await state("verify", "dev");
    expect(bad.code).toBe(ExitCode.failure);
    expect(bad.stdout).toMatch(/not valid JSON/);
    expect(bad.stdout).toMatch(/Fix: `sovstack state restore dev <version>`/);
    expect(bad.stderr).not.toMatch(STACK_TRACE);

    const restore = await state("restore", "dev", "-1", "--yes");
    expect(restore.code).toBe(ExitCode.ok);
    expect(restore.stdout).toMatch(/restored version 3 of dev \(3 resources\); the state it replaced is kept at /);
    expect(await state("verify", "dev")).toMatchObject({ code: ExitCode.ok });
    const history = JSON.parse((await state("history", "dev", "--json")).stdout) as Array<Record<string, unknown>>;
    expect(history.at(-1)).toMatchObject({ version: 4, kind: "import", who: "tester", resourceCount: 3 });
  }, 180_000);

  it("backs up to a file and restores from it", async () => {
    const file = join(work, "b.json");
    const backup = await state("backup", "dev", "--to", file);
    expect(backup.code).toBe(ExitCode.ok);
    expect(backup.stdout).toMatch(/^backed up dev to .*b\.json: \d+ object\(s\) copied/);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ project: "evalplatform", stack: "dev" });

    writeFileSync(checkpointFile, "{}");
    expect((await state("verify", "dev")).code).toBe(ExitCode.failure);
    const restore = await state("restore", "dev", "--from", file, "--yes");
    expect(restore.code).toBe(ExitCode.ok);
    expect(restore.stdout).toMatch(/^restored dev from .*b\.json .*; the state it replaced is kept at \S+/);
    const verify = await state("verify", "dev", "--json");
    expect(JSON.parse(verify.stdout)).toMatchObject({ environment: "dev", ok: true, resourceCount: 3 });
    const history = JSON.parse((await state("history", "dev", "--json")).stdout) as Array<Record<string, unknown>>;
    expect(history.at(-1)).toMatchObject({ kind: "import", who: "tester", resourceCount: 3 });
  }, 180_000);

  it("a lease held by another deployment blocks `up` before the engine starts, until it is broken", async () => {
    expect(await state("lock", "dev")).toMatchObject({ code: ExitCode.ok, stdout: "dev: not locked\n" });

    held = await leaseStoreFor(backend, { ttlMs: 600_000 }).acquire(leaseName(address), {
      who: "alice@ci-runner",
      operation: "up",
      commit: "0123456789abcdef0123456789abcdef01234567",
      pid: process.pid,
      host: hostname(),
    });
    const up = await sovstackWith({ SCW_DEFAULT_PROJECT_ID: PROJECT_ID }, "up", "dev", "--backend", backend);
    expect(up.code).toBe(ExitCode.locked);
    expect(up.stderr).toMatch(/The dev stack is locked by alice@ci-runner \(up of 0123456789ab/);
    expect(up.stderr).toMatch(
      /Fix: wait for that deployment to end, or, if it is dead, run `sovstack state unlock dev --force`/,
    );
    expect(up.stderr).not.toMatch(/deploying dev|toolchain/);
    expect(up.stdout).toBe("");

    const lock = await state("lock", "dev", "--json");
    expect(lock.code).toBe(ExitCode.ok);
    expect(JSON.parse(lock.stdout)).toMatchObject({
      environment: "dev",
      lease: { who: "alice@ci-runner", operation: "up", pid: process.pid, stack: "evalplatform/dev" },
      pulumiLocks: 0,
    });

    const unlock = await state("unlock", "dev", "--force");
    expect(unlock.code).toBe(ExitCode.ok);
    expect(unlock.stdout).toMatch(/^broke the lease of alice@ci-runner \(up, pid \d+/);
    expect(await state("lock", "dev")).toMatchObject({ code: ExitCode.ok, stdout: "dev: not locked\n" });
  }, 180_000);

  it("migrates to another backend, where the history is the same", async () => {
    const to = `file://${join(work, "migrated")}`;
    const migrate = await state("migrate", "dev", "--to", to);
    expect(migrate.code).toBe(ExitCode.ok);
    expect(migrate.stdout).toMatch(/^migrated dev \(\d+ object\(s\), 3 resources\)/);
    const [before, after] = await Promise.all([
      state("history", "dev", "--json"),
      sovstack("state", "history", "dev", "--json", "--backend", to),
    ]);
    expect(after.code).toBe(ExitCode.ok);
    const versions = JSON.parse(before.stdout) as unknown[];
    expect(versions.length).toBeGreaterThanOrEqual(PARTS.length);
    expect(JSON.parse(after.stdout)).toEqual(versions);
  }, 180_000);
});
