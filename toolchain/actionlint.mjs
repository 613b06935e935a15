#!/usr/bin/env node
// actionlint, the GitHub Actions workflow checker, built from its Go module
// (github.com/rhysd/actionlint) at a pinned version into the toolchain cache, so the
// workflows in .github/workflows are checked by `npm test` and CI without a download.
// An `actionlint` on PATH at that version is used as it is. actionlint also runs
// shellcheck on `run:` scripts when shellcheck is installed; it is not required.
//
//   node toolchain/actionlint.mjs               build if needed, lint .github/workflows/*.{yml,yaml}
//   node toolchain/actionlint.mjs FILE...       lint these workflow files instead
//   node toolchain/actionlint.mjs --build-only  build if needed, print the path of actionlint
//
//   import { ensureActionlint, lintWorkflows } from "./toolchain/actionlint.mjs";
//   const actionlint = await ensureActionlint({ log: console.error });

import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureGoTool } from "./goTool.mjs";

export const ACTIONLINT_VERSION = "1.7.12";
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The path of an `actionlint` of the pinned version: PATH, then the cache, then a build. */
export function ensureActionlint({ log = () => {} } = {}) {
  return ensureGoTool({
    name: "actionlint",
    version: ACTIONLINT_VERSION,
    goPackage: "github.com/rhysd/actionlint/cmd/actionlint",
    // `actionlint -version` prints the version alone on its first line, e.g. "v1.7.12".
    versionArgs: ["-version"],
    isPinned: (output) => output.split("\n")[0].trim() === `v${ACTIONLINT_VERSION}`,
    buildTime: "under a minute",
    log,
  });
}

/** The workflow files of a repository: .github/workflows/*.yml and *.yaml, sorted. */
export function workflowFiles(root = REPO_ROOT) {
  const dir = path.join(root, ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Runs actionlint on workflow files. `code` is actionlint's: 0 no finding, 1 findings
 * (listed in `output`, one `file:line:col: message [rule]` each), 2 bad arguments, 3 fatal.
 */
export function lintWorkflows(actionlint, files, { cwd = REPO_ROOT } = {}) {
  return new Promise((resolve) => {
    // No colour: the findings are read by people in CI logs and by tests.
    execFile(actionlint, ["-no-color", ...files], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 3) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

async function main(args) {
  const log = (message) => console.error(`[actionlint] ${message}`);
  if (args.includes("--help") || args.includes("-h")) {
    console.log("usage: node toolchain/actionlint.mjs [--build-only] [workflow.yml ...]");
    return 0;
  }
  const unknown = args.find((arg) => arg.startsWith("-") && arg !== "--build-only");
  if (unknown) {
    console.error(`actionlint.mjs: unknown option ${unknown}. Allowed: --build-only, --help, or workflow files.`);
    return 64;
  }
  const actionlint = await ensureActionlint({ log });
  if (args.includes("--build-only")) {
    console.log(actionlint);
    return 0;
  }
  const given = args.filter((arg) => !arg.startsWith("-"));
  const files = given.length > 0 ? given.map((file) => path.resolve(file)) : workflowFiles();
  if (files.length === 0) {
    console.error("No workflow files: .github/workflows/*.yml is empty. Fix: pass the files to check.");
    return 1;
  }
  const { code, output } = await lintWorkflows(actionlint, files);
  if (output) console.log(output);
  if (code === 0) log(`${files.length} workflow file(s): no finding`);
  else if (code === 1) log(`findings in the workflows above; fix them and run again`);
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
