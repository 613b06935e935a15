/**
 * The GitHub Actions workflows: actionlint (built from its pinned Go module) finds nothing in
 * them and does find the faults of a broken one; the properties operators rely on hold
 * (production waits in its environment, deployments never race, tokens can write only
 * where they must); the drift issue and the plan comment scripts do what the workflows say.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "..");
const workflowsDir = join(root, ".github/workflows");

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  env?: Record<string, string>;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string> | string;
  "timeout-minutes"?: number;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const workflows: Record<string, Workflow> = Object.fromEntries(
  readdirSync(workflowsDir)
    .filter((file) => file.endsWith(".yml"))
    .map((file) => [file, parse(readFileSync(join(workflowsDir, file), "utf8")) as Workflow]),
);

/** Every job of every workflow whose steps run a command matching `pattern`. */
function jobsRunning(pattern: RegExp): Array<{ file: string; id: string; job: Job }> {
  return Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs)
      .filter(([, job]) => job.steps?.some((step) => step.run && pattern.test(step.run)))
      .map(([id, job]) => ({ file, id, job })),
  );
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

describe("actionlint on the workflows", () => {
  const script = join(root, "toolchain/actionlint.mjs");

  // A first run builds actionlint from Go modules (seconds with a warm Go cache, a few minutes cold).
  beforeAll(async () => {
    const { ensureActionlint } = (await import(pathToFileURL(script).href)) as {
      ensureActionlint: (options: { log?: (message: string) => void }) => Promise<string>;
    };
    await ensureActionlint({ log: (message) => console.error(message) });
  }, 600_000);

  it("finds nothing in the repository's workflows", async () => {
    const { code, stdout, stderr } = await run(process.execPath, [script], root);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${Object.keys(workflows).length} workflow file(s): no finding`);
    expect(code).toBe(0);
  });

  it("reports each fault of a broken workflow with its file, line and rule, and exits 1", async () => {
    const repo = mkdtempSync(join(tmpdir(), "sovstack-workflows-"));
    mkdirSync(join(repo, ".github/workflows"), { recursive: true });
    const broken = join(repo, ".github/workflows/broken.yml");
    writeFileSync(
      broken,
      [
        "name: Broken",
        "on:",
        "  schedule:",
        '    - cron: "61 * * * *"',
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    needs: build",
        "    steps:",
        '      - run: echo "${{ github.evnt.name }}"',
        "",
      ].join("\n"),
    );
    const { code, stdout } = await run(process.execPath, [script, broken], repo);
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken\.yml:4:\d+: .*61.*\[events\]/);
    expect(stdout).toMatch(/broken\.yml:6:\d+: job "deploy" needs job "build" which does not exist.*\[job-needs\]/);
    expect(stdout).toMatch(/broken\.yml:10:\d+: property "evnt" is not defined.*\[expression\]/);
  });
});

describe("workflow properties", () => {
  it("has the five workflows, each with a top-level least-privilege token", () => {
    expect(Object.keys(workflows).sort()).toEqual([
      "deploy-production.yml",
      "deploy-staging.yml",
      "drift.yml",
      "rollback.yml",
      "validate.yml",
    ]);
    for (const workflow of Object.values(workflows)) expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("grants write access only to the plan comment (pull requests) and the drift issue (issues)", () => {
    const writes = Object.entries(workflows).flatMap(([file, workflow]) =>
      Object.entries(workflow.jobs).flatMap(([id, job]) =>
        Object.entries(typeof job.permissions === "object" ? job.permissions : {})
          .filter(([, access]) => access === "write")
          .map(([scope]) => `${file} ${id}: ${scope}`),
      ),
    );
    expect(writes.sort()).toEqual(["drift.yml drift: issues", "validate.yml plan: pull-requests"]);
    for (const workflow of Object.values(workflows))
      for (const job of Object.values(workflow.jobs)) expect(typeof job.permissions).not.toBe("string");
  });

  it("bounds every job with a timeout", () => {
    for (const [file, workflow] of Object.entries(workflows))
      for (const [id, job] of Object.entries(workflow.jobs))
        expect(job["timeout-minutes"], `${file} ${id}`).toBeGreaterThan(0);
  });

  it("deploys production in the `production` environment, only after staging deployed the same commit", () => {
    const [deploy, ...others] = jobsRunning(/sovstack up production/);
    expect(others).toEqual([]);
    expect(deploy!.file).toBe("deploy-production.yml");
    expect(deploy!.job.environment).toBe("production");
    expect(deploy!.job.steps!.some((step) => step.run === "npx sovstack check production")).toBe(true);

    const production = workflows["deploy-production.yml"]!;
    // workflow_run names the staging workflow: a rename there would silently stop production deploys.
    expect(production.on.workflow_run).toMatchObject({ workflows: [workflows["deploy-staging.yml"]!.name] });
    expect(production.on.workflow_dispatch).toMatchObject({ inputs: { ref: { required: true } } });
    expect(deploy!.job.needs).toBe("staging-passed");
    const gate = production.jobs["staging-passed"]!;
    expect(gate.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(gate.steps!.map((step) => step.run ?? "").join("\n")).toContain("deploy-staging.yml/runs?head_sha=$sha");
  });

  it("deploys staging on pushes to main in the `staging` environment", () => {
    const [deploy, ...others] = jobsRunning(/sovstack up staging/);
    expect(others).toEqual([]);
    expect(deploy!.file).toBe("deploy-staging.yml");
    expect(deploy!.job.environment).toBe("staging");
    expect(workflows["deploy-staging.yml"]!.on).toEqual({ push: { branches: ["main"] } });
  });

  it("runs deployments and rollbacks of an environment one at a time, never cancelling one", () => {
    const changing = [...jobsRunning(/sovstack up /), ...jobsRunning(/sovstack rollback /)];
    expect(changing.map(({ file }) => file).sort()).toEqual([
      "deploy-production.yml",
      "deploy-staging.yml",
      "rollback.yml",
    ]);
    const groups = changing.map(({ job }) => {
      expect(typeof job.concurrency).toBe("object");
      const concurrency = job.concurrency as { group: string; "cancel-in-progress"?: boolean };
      expect(concurrency["cancel-in-progress"]).toBe(false);
      return concurrency.group;
    });
    expect(groups.sort()).toEqual(["deploy-${{ inputs.environment }}", "deploy-production", "deploy-staging"]);
    const rollback = workflows["rollback.yml"]!.jobs.rollback!;
    expect(rollback.environment).toBe("${{ inputs.environment }}");
    expect(workflows["rollback.yml"]!.on.workflow_dispatch).toMatchObject({
      inputs: { environment: { type: "choice", options: ["staging", "production"] }, to: { required: false } },
    });
  });

  it("backs the state up to the replica bucket after every deployment and rollback, even a failed one", () => {
    const changing = [...jobsRunning(/sovstack up /), ...jobsRunning(/sovstack rollback /)];
    expect(changing).toHaveLength(3);
    for (const { file, job } of changing) {
      const steps = job.steps!;
      const changeStep = steps.findIndex((step) => /sovstack (up|rollback) /.test(step.run ?? ""));
      const backup = steps.findIndex((step) => /^npx sovstack state backup /.test(step.run ?? ""));
      expect(backup, file).toBeGreaterThan(changeStep);
      expect(job.env?.SOVSTACK_REPLICA_URL, file).toBe("${{ secrets.SOVSTACK_REPLICA_URL }}");
      // Skipped when nothing ran or no replica is configured; run after a failure (not only on success).
      const condition = steps[backup]!.if ?? "";
      expect(condition, file).toContain("!cancelled()");
      expect(condition, file).toContain(`steps.${steps[changeStep]!.id}.outcome != 'skipped'`);
      expect(condition, file).toContain("env.SOVSTACK_REPLICA_URL != ''");
    }
  });

  it("checks drift every few hours and opens the drift issue on exit code 2", () => {
    const drift = workflows["drift.yml"]!;
    expect(drift.on).toMatchObject({ schedule: [{ cron: "17 */6 * * *" }], workflow_dispatch: null });
    const job = drift.jobs.drift!;
    expect(job.permissions).toMatchObject({ issues: "write" });
    const steps = job.steps!;
    const check = steps.find((step) => step.run?.includes('npx sovstack drift "$ENVIRONMENT" --json'));
    expect(check?.id).toBe("drift");
    const issue = steps.find((step) => step.with?.script?.includes("drift-issue.mjs"));
    expect(issue?.uses).toMatch(/^actions\/github-script@v\d+$/);
    expect(issue?.if).toContain("steps.drift.outputs.exit-code == '2'");
    const failure = steps.at(-1)!;
    expect(failure.if).toBe("steps.drift.outputs.exit-code != '2' && steps.drift.outputs.exit-code != '0'");
    expect(failure.run).toContain("exit 1");
  });

  it("previews every environment with its cost on pull requests, staging and production with the passphrase", () => {
    const validate = workflows["validate.yml"]!;
    expect(Object.keys(validate.on)).toEqual(["pull_request"]);
    const plan = validate.jobs.plan!;
    expect(plan).toMatchObject({ strategy: { matrix: { environment: ["dev", "staging", "production"] } } });
    const runs = plan.steps!.map((step) => step.run ?? "").join("\n");
    expect(runs).toContain('npx sovstack preview "$ENVIRONMENT" --json');
    expect(runs).toContain('npx sovstack cost "$ENVIRONMENT" --json');
    const passphrase = plan.steps!.find((step) => step.uses === "./.github/actions/scaleway-passphrase");
    expect(passphrase?.if).toBe("matrix.environment != 'dev' && env.TRUSTED == 'true'");
    const action = readFileSync(join(root, ".github/actions/scaleway-passphrase/action.yml"), "utf8");
    expect(action).toContain("secret version access-by-path secret-path=/sovstack");
    expect(action).toContain('echo "::add-mask::$passphrase"');
  });
});

// An in-memory GitHub: the issues and comments the scripts read and write, and the calls made.
interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  pull_request?: object;
}
function fakeGitHub({ issues = [] as FakeIssue[], labels = [] as string[] } = {}) {
  const comments: Array<{ id: number; issue_number: number; body: string; user: { type: string } }> = [];
  const calls: string[] = [];
  const notFound = Object.assign(new Error("Not Found"), { status: 404 });
  const github = {
    paginate: async <P>(method: (params: P) => Promise<{ data: unknown[] }>, params: P) => (await method(params)).data,
    rest: {
      issues: {
        listForRepo: async (p: { state: string; labels: string }) => ({
          data: issues.filter((issue) => issue.state === p.state && issue.labels.includes(p.labels)),
        }),
        getLabel: async ({ name }: { name: string }) => {
          if (!labels.includes(name)) throw notFound;
          return { data: { name } };
        },
        createLabel: async ({ name }: { name: string }) => {
          calls.push(`createLabel ${name}`);
          labels.push(name);
          return { data: { name } };
        },
        create: async (p: { title: string; body: string; labels: string[] }) => {
          const issue = { number: issues.length + 1, state: "open" as const, ...p };
          issues.push(issue);
          calls.push(`create #${issue.number}`);
          return { data: issue };
        },
        update: async (p: { issue_number: number; body?: string; state?: "open" | "closed" }) => {
          const issue = issues.find((candidate) => candidate.number === p.issue_number)!;
          if (p.body !== undefined) issue.body = p.body;
          if (p.state !== undefined) issue.state = p.state;
          calls.push(`update #${p.issue_number}${p.state ? ` ${p.state}` : ""}`);
          return { data: issue };
        },
        listComments: async (p: { issue_number: number }) => ({
          data: comments.filter((comment) => comment.issue_number === p.issue_number),
        }),
        createComment: async (p: { issue_number: number; body: string }) => {
          const comment = { id: 100 + comments.length, user: { type: "Bot" }, ...p };
          comments.push(comment);
          calls.push(`comment #${p.issue_number}`);
          return { data: comment };
        },
        updateComment: async (p: { comment_id: number; body: string }) => {
          comments.find((comment) => comment.id === p.comment_id)!.body = p.body;
          calls.push(`update comment ${p.comment_id}`);
          return { data: {} };
        },
      },
    },
  };
  return { github, issues, comments, calls };
}
const context = {
  repo: { owner: "acme", repo: "platform" },
  issue: { number: 42 },
  serverUrl: "https://github.com",
  runId: 7,
};

describe("the drift issue (drift.yml)", () => {
  type HandleDrift = (args: {
    github: unknown;
    context: typeof context;
    environment: string;
    exitCode: number;
    report: string;
    checkedAt: string;
  }) => Promise<{ action: string; number: number | null }>;
  let handleDrift: HandleDrift;
  beforeAll(async () => {
    ({ handleDrift } = (await import(pathToFileURL(join(root, ".github/scripts/drift-issue.mjs")).href)) as {
      handleDrift: HandleDrift;
    });
  });
  const report = JSON.stringify({ environment: "production", drifted: [{ urn: "bucket-assets", change: "update" }] });
  const check = (github: unknown, exitCode: number, environment = "production") =>
    handleDrift({ github, context, environment, exitCode, report, checkedAt: "2026-01-01T06:17:00Z" });

  it("opens an issue labelled drift holding the report on exit code 2, creating the label if missing", async () => {
    const fake = fakeGitHub();
    expect(await check(fake.github, 2)).toEqual({ action: "opened", number: 1 });
    expect(fake.calls).toEqual(["createLabel drift", "create #1"]);
    expect(fake.issues[0]).toMatchObject({ title: "Drift in production", labels: ["drift"], state: "open" });
    expect(fake.issues[0]!.body).toContain(report);
    expect(fake.issues[0]!.body).toContain("https://github.com/acme/platform/actions/runs/7");
  });

  it("updates the environment's open issue on the next drift instead of opening another", async () => {
    const fake = fakeGitHub({
      labels: ["drift"],
      issues: [
        { number: 1, title: "Drift in staging", body: "old", state: "open", labels: ["drift"] },
        { number: 2, title: "Drift in production", body: "old", state: "open", labels: ["drift"] },
      ],
    });
    expect(await check(fake.github, 2)).toEqual({ action: "updated", number: 2 });
    expect(fake.calls).toEqual(["update #2"]);
    expect(fake.issues[1]!.body).toContain(report);
    expect(fake.issues[0]!.body).toBe("old");
  });

  it("closes the open issue with a comment once there is no drift, and leaves everything alone on errors", async () => {
    const fake = fakeGitHub({
      labels: ["drift"],
      issues: [{ number: 5, title: "Drift in production", body: "old", state: "open", labels: ["drift"] }],
    });
    expect(await check(fake.github, 1)).toEqual({ action: "none", number: null });
    expect(fake.calls).toEqual([]);
    expect(await check(fake.github, 0)).toEqual({ action: "closed", number: 5 });
    expect(fake.calls).toEqual(["comment #5", "update #5 closed"]);
    expect(await check(fake.github, 0)).toEqual({ action: "none", number: null });
  });
});

describe("the plan comment (validate.yml)", () => {
  type PlanModule = {
    planCommentBody: (args: Record<string, unknown>) => string;
    upsertPlanComment: (args: {
      github: unknown;
      context: typeof context;
      environment: string;
      body: string;
    }) => Promise<{ action: string; id: number }>;
  };
  let plan: PlanModule;
  beforeAll(async () => {
    plan = (await import(pathToFileURL(join(root, ".github/scripts/plan-comment.mjs")).href)) as PlanModule;
  });
  const preview = (exitCode: number, json: string, log = "") => ({ exitCode, json, log });

  it("keeps one comment per environment, updated by later pushes", async () => {
    const fake = fakeGitHub();
    const body = (n: number) =>
      plan.planCommentBody({
        environment: "staging",
        preview: preview(0, JSON.stringify({ environment: "staging", changeSummary: { create: n, same: 30 } })),
        cost: preview(0, '{"total": 12.5}'),
        plan: "evalplatform staging in fr-par is valid",
      });
    expect(
      (await plan.upsertPlanComment({ github: fake.github, context, environment: "staging", body: body(3) })).action,
    ).toBe("created");
    const production = plan.planCommentBody({ environment: "production", preview: null, cost: null, skipped: "fork" });
    await plan.upsertPlanComment({ github: fake.github, context, environment: "production", body: production });
    expect(
      (await plan.upsertPlanComment({ github: fake.github, context, environment: "staging", body: body(4) })).action,
    ).toBe("updated");
    expect(fake.comments).toHaveLength(2);
    expect(fake.comments[0]!.body).toContain("create 4 · same 30");
    expect(fake.comments[0]!.body).toContain("✅ sovstack plan: `staging`");
    expect(fake.comments[1]!.body).toContain("preview**: not run: fork");
  });

  it("marks a policy violation as a failure and shows what the command said", () => {
    const body = plan.planCommentBody({
      environment: "production",
      preview: preview(5, "", "[mandatory] database-private-only: the database must not have a public endpoint"),
      cost: preview(0, "{}"),
    });
    expect(body).toContain("❌ sovstack plan: `production`");
    expect(body).toContain("exit 5: policy violation");
    expect(body).toContain("database-private-only");
  });
});
