// The Drift workflow's issue: when `sovstack drift <env>` exits 2, one open issue labelled
// `drift` per environment holds the latest report (opened, or updated on the next runs);
// when a later run finds no drift (exit 0), the issue is closed with a comment.
// Run from actions/github-script: `(await import(".../drift-issue.mjs")).reportDrift({ github, context, core })`.

import fs from "node:fs";

export const DRIFT_LABEL = "drift";
// GitHub refuses issue bodies over 65,536 characters.
const REPORT_LIMIT = 60_000;

export const driftIssueTitle = (environment) => `Drift in ${environment}`;

export function driftIssueBody({ environment, report, runUrl, checkedAt }) {
  const text = report.trim();
  const clipped =
    text.length > REPORT_LIMIT ? `${text.slice(0, REPORT_LIMIT)}\n…(cut; the whole report is in the run's log)` : text;
  return [
    `\`sovstack drift ${environment}\` found resources that differ from the code (checked ${checkedAt}, ${runUrl}).`,
    "",
    "Either bring the code in line and deploy, or deploy the code again to undo the manual change.",
    "This issue is updated by each drift check and closed by the first one that finds no drift.",
    "",
    "```json",
    clipped || "(the command printed no report)",
    "```",
  ].join("\n");
}

async function openDriftIssue(github, { owner, repo }, environment) {
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    labels: DRIFT_LABEL,
    per_page: 100,
  });
  return issues.find((issue) => issue.title === driftIssueTitle(environment) && !issue.pull_request) ?? null;
}

async function ensureLabel(github, { owner, repo }) {
  try {
    await github.rest.issues.getLabel({ owner, repo, name: DRIFT_LABEL });
  } catch (error) {
    if (error.status !== 404) throw error;
    await github.rest.issues.createLabel({
      owner,
      repo,
      name: DRIFT_LABEL,
      color: "d93f0b",
      description: "Deployed infrastructure differs from the code",
    });
  }
}

/**
 * Acts on one drift check: exit 2 opens or updates the environment's issue, exit 0 closes it,
 * anything else changes nothing (the workflow fails the job). Returns what it did.
 */
export async function handleDrift({ github, context, environment, exitCode, report, checkedAt }) {
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const existing = exitCode === 0 || exitCode === 2 ? await openDriftIssue(github, context.repo, environment) : null;
  if (exitCode === 2) {
    const body = driftIssueBody({ environment, report, runUrl, checkedAt });
    if (existing) {
      await github.rest.issues.update({ ...context.repo, issue_number: existing.number, body });
      return { action: "updated", number: existing.number };
    }
    await ensureLabel(github, context.repo);
    const { data } = await github.rest.issues.create({
      ...context.repo,
      title: driftIssueTitle(environment),
      body,
      labels: [DRIFT_LABEL],
    });
    return { action: "opened", number: data.number };
  }
  if (exitCode === 0 && existing) {
    await github.rest.issues.createComment({
      ...context.repo,
      issue_number: existing.number,
      body: `No drift in ${environment} any more (checked ${checkedAt}, ${runUrl}): closing.`,
    });
    await github.rest.issues.update({ ...context.repo, issue_number: existing.number, state: "closed" });
    return { action: "closed", number: existing.number };
  }
  return { action: "none", number: null };
}

/** The workflow step: env ENVIRONMENT, EXIT_CODE and REPORT_FILE (drift --json output). */
export async function reportDrift({ github, context, core, env = process.env }) {
  let report = "";
  try {
    report = fs.readFileSync(env.REPORT_FILE, "utf8");
  } catch {}
  const { action, number } = await handleDrift({
    github,
    context,
    environment: env.ENVIRONMENT,
    exitCode: Number(env.EXIT_CODE),
    report,
    checkedAt: new Date().toISOString(),
  });
  if (action === "opened" || action === "updated")
    core.warning(`Drift in ${env.ENVIRONMENT}: issue #${number} ${action}`);
  else if (action === "closed") core.info(`No drift in ${env.ENVIRONMENT}: issue #${number} closed`);
  return action;
}
