// A command-line tool built from its Go module at a pinned version into the toolchain
// cache (scw, actionlint). A wrapper module under toolchain/go/<name> pins the tool and
// every dependency (go.mod, go.sum): `go install pkg@version` would ask the module proxy
// for the module's version list, which some proxies refuse. The tool on PATH is used as
// it is when it reports the pinned version.

import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot } from "./toolchain.mjs";

const GO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "go");

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (error, stdout) => resolve(error ? null : String(stdout)));
  });
}

/**
 * The path of the tool: PATH when `isPinned(output of versionArgs)`, else the cache, else
 * a build (atomic: built aside, then renamed; a concurrent build that finished first wins).
 */
export async function ensureGoTool({ name, version, goPackage, versionArgs, isPinned, buildTime, log = () => {} }) {
  const onPath = await run(name, versionArgs);
  if (onPath && isPinned(onPath)) return name;

  const dir = path.join(cacheRoot(), `${name}-${version}-${process.platform}-${process.arch}`);
  const binary = path.join(dir, "bin", name);
  if (fs.existsSync(binary)) return binary;

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.tmp-`);
  const started = Date.now();
  log(`building ${name} ${version} from Go modules (${buildTime}, once)`);
  const code = await new Promise((resolve) => {
    const child = spawn(
      "go",
      ["build", "-trimpath", "-ldflags=-s -w", "-o", path.join(staging, "bin", name), goPackage],
      {
        cwd: path.join(GO_DIR, name),
        env: { ...process.env, GOFLAGS: "-buildvcs=false -mod=readonly" },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    child.on("close", resolve);
    child.on("error", (error) => resolve(error.code === "ENOENT" ? "not found" : 127));
  });
  if (code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    const why = code === "not found" ? "`go` is not on PATH" : `go build exited ${code}`;
    throw new Error(
      `Could not build ${name} ${version} (${why}). Fix: install Go 1.26 or later and make the Go module proxy reachable, or put ${name} ${version} on PATH.`,
    );
  }
  try {
    fs.renameSync(staging, dir);
  } catch {
    // Another build finished first: keep that one.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`${name} ready in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return binary;
}
