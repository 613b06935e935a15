#!/usr/bin/env node
// The Scaleway CLI `scw`, built from its Go module (github.com/scaleway/scaleway-cli/v2)
// at a pinned version into the toolchain cache, for tests and operators who want to look
// at what a deployment created. A `scw` on PATH at that version is used as it is.
//
//   node toolchain/scw.mjs        progress on stderr, the path of scw on stdout
//
//   import { ensureScw } from "./toolchain/scw.mjs";
//   const scw = await ensureScw({ log: console.error });

import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot } from "./toolchain.mjs";

export const SCW_VERSION = "2.50.0";
const PACKAGE = "github.com/scaleway/scaleway-cli/v2/cmd/scw";
// A wrapper module pins scw and every dependency (go.mod, go.sum): `go install pkg@version`
// would ask the module proxy for the module's version list, which some proxies refuse.
const MODULE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "go", "scw");

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000, ...options }, (error, stdout) => resolve(error ? null : String(stdout)));
  });
}

/** The path of a `scw` of the pinned version: PATH, then the cache, then a build. */
export async function ensureScw({ log = () => {} } = {}) {
  const onPath = await run("scw", ["version"]);
  if (onPath && onPath.includes(SCW_VERSION)) return "scw";

  const dir = path.join(cacheRoot(), `scw-${SCW_VERSION}-${process.platform}-${process.arch}`);
  const binary = path.join(dir, "bin", "scw");
  if (fs.existsSync(binary)) return binary;

  const staging = fs.mkdtempSync(`${dir}.tmp-`);
  const started = Date.now();
  log(`building scw ${SCW_VERSION} from Go modules (a few minutes, once)`);
  const code = await new Promise((resolve) => {
    const output = path.join(staging, "bin", "scw");
    const child = spawn("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", output, PACKAGE], {
      cwd: MODULE_DIR,
      env: { ...process.env, GOFLAGS: "-buildvcs=false -mod=readonly" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("close", resolve);
    child.on("error", () => resolve(127));
  });
  if (code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Could not build scw ${SCW_VERSION} (go build exited ${code}). Fix: install Go 1.25 or later and make the Go module proxy reachable, or put scw ${SCW_VERSION} on PATH.`,
    );
  }
  try {
    fs.renameSync(staging, dir);
  } catch {
    // Another build finished first: keep that one.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`scw ready in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  ensureScw({ log: (message) => console.error(`[scw] ${message}`) }).then(
    (binary) => console.log(binary),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
