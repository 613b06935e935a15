// The pull-request comment of the Validate workflow: for one environment, the result of
// `sovstack preview <env> --json` (policy pack included), `sovstack cost <env> --json` and the
// readable plan of `npm start -- --plan <env>`. One comment per environment, found again by
// a hidden marker and updated on each push, so a pull request never gathers a pile of them.
// Run from actions/github-script: `(await import(".../plan-comment.mjs")).postPlan({ github, context, core })`.

import fs from "node:fs";
import path from "node:path";

/** What each `sovstack` exit code means (packages/cli/src/exitCodes.ts). */
const EXIT_MEANINGS = {
  0: "ok",
  1: "failed",
  2: "changes or drift found",
  3: "invalid configuration",
  4: "stack locked by another deployment",
  5: "policy violation",
  64: "usage error",
};
// GitHub refuses comments over 65,536 characters: each block gets a share of that.
const BLOCK_LIMIT = 15_000;

export const planMarker = (environment) => `<!-- sovstack-plan:${environment} -->`;

function readIfPresent(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function clip(text, limit = BLOCK_LIMIT) {
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed;
  return `…(${trimmed.length - limit} characters cut; the whole text is in the run's log)\n${trimmed.slice(-limit)}`;
}

function details(summary, text, language = "") {
  if (!text.trim()) return "";
  return `<details><summary>${summary}</summary>\n\n\`\`\`${language}\n${clip(text)}\n\`\`\`\n\n</details>\n`;
}

function describeExit(code) {
  return `exit ${code}: ${EXIT_MEANINGS[code] ?? "unexpected"}`;
}

/** "create 3 · update 1 · same 30" from a preview's change summary, or null when unreadable. */
export function describeChanges(previewJson) {
  try {
    const summary = JSON.parse(previewJson).changeSummary;
    if (!summary || typeof summary !== "object") return null;
    const parts = Object.entries(summary)
      .filter(([, count]) => typeof count === "number" && count > 0)
      .map(([operation, count]) => `${operation} ${count}`);
    return parts.length > 0 ? parts.join(" · ") : "no resources";
  } catch {
    return null;
  }
}

/**
 * The comment's Markdown. `preview` is null when the environment was not previewed
 * (`skipped` says why); exit codes are numbers, texts are what the commands printed.
 */
export function planCommentBody({ environment, preview, cost, plan, skipped, runUrl }) {
  const failed = (preview && preview.exitCode !== 0) || (cost && cost.exitCode !== 0);
  const lines = [planMarker(environment), `### ${failed ? "❌" : "✅"} sovstack plan: \`${environment}\``, ""];
  if (preview) {
    const changes = preview.exitCode === 0 ? describeChanges(preview.json) : null;
    lines.push(
      `- **preview** (policy pack included): ${describeExit(preview.exitCode)}${changes ? `; ${changes}` : ""}`,
    );
  } else {
    lines.push(`- **preview**: not run: ${skipped ?? "no reason given"}`);
  }
  if (cost) lines.push(`- **monthly cost estimate**: ${describeExit(cost.exitCode)}`);
  if (runUrl) lines.push(`- run: ${runUrl}`);
  lines.push("");
  if (preview) {
    lines.push(details("preview --json", preview.json, "json"));
    if (preview.exitCode !== 0) lines.push(details("preview: what went wrong (stderr)", preview.log));
  }
  if (cost) {
    lines.push(details("cost --json", cost.json, "json"));
    if (cost.exitCode !== 0) lines.push(details("cost: what went wrong (stderr)", cost.log));
  }
  if (plan) lines.push(details("plan (npm start -- --plan)", plan));
  return lines.filter((line, index) => line !== "" || lines[index - 1] !== "").join("\n");
}

/** Reads what the workflow's steps wrote to `dir`: preview.json/.log, cost.json/.log, plan.txt. */
export function readPlanResults({ dir, previewExitCode, costExitCode }) {
  const result = (name, code) =>
    code === undefined || code === ""
      ? null
      : {
          exitCode: Number(code),
          json: readIfPresent(path.join(dir, `${name}.json`)),
          log: readIfPresent(path.join(dir, `${name}.log`)),
        };
  return {
    preview: result("preview", previewExitCode),
    cost: result("cost", costExitCode),
    plan: readIfPresent(path.join(dir, "plan.txt")),
  };
}

/** Creates the environment's comment on the pull request, or updates the one posted before. */
export async function upsertPlanComment({ github, context, environment, body }) {
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  // Only a bot's comment counts: a person quoting the marker must not have theirs overwritten.
  const previous = comments.find(
    (comment) => comment.user?.type === "Bot" && comment.body?.includes(planMarker(environment)),
  );
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return { action: "updated", id: previous.id };
  }
  const { data } = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: "created", id: data.id };
}

/**
 * The workflow step: reads the results (env OUT, ENVIRONMENT, PREVIEW_EXIT_CODE, COST_EXIT_CODE,
 * SKIPPED, POST_COMMENT), writes the run's summary, and comments when POST_COMMENT is "true".
 */
export async function postPlan({ github, context, core, env = process.env }) {
  const environment = env.ENVIRONMENT;
  const results = readPlanResults({
    dir: env.OUT,
    previewExitCode: env.PREVIEW_EXIT_CODE,
    costExitCode: env.COST_EXIT_CODE,
  });
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const body = planCommentBody({ environment, ...results, skipped: env.SKIPPED || undefined, runUrl });
  await core.summary.addRaw(body).write();
  if (env.POST_COMMENT !== "true") {
    core.info("No comment: a pull request from a fork has a read-only token; the plan is in the run's summary.");
    return null;
  }
  const { action, id } = await upsertPlanComment({ github, context, environment, body });
  core.info(`${action} comment ${id} for ${environment}`);
  return action;
}
