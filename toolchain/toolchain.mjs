// Finds or prepares the Pulumi toolchain sovstack runs with: the `pulumi` CLI,
// a Node.js language host and the Scaleway provider plugin.
//
//   import { ensureToolchain } from "./toolchain/toolchain.mjs";
//   const { binDir, env } = await ensureToolchain({ log: (m) => console.error(m) });
//   spawn("pulumi", ["preview"], { env: { ...process.env, ...env } });
//
// Order: (1) a `pulumi` on PATH at the pinned version whose Scaleway plugin is
// installed; (2) the cached build; (3) Pulumi's official installer when it is
// reachable (CLI only; the provider is still built from Go); (4) a build from
// the pinned Go modules in toolchain/go (Go >= 1.26). Everything is written
// under the cache directory, never inside the repository; builds go to a
// temporary directory renamed into place, so an interrupted build leaves no
// half-filled cache.
//
// Plain Node.js (>= 20) ESM, no dependencies.

import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PULUMI_VERSION = "3.248.0";
/** Must equal the version of the @pulumiverse/scaleway npm package. */
export const SCALEWAY_VERSION = "1.54.0";
/** The tf-scaleway module pins Go 1.26.0; the CLI module needs 1.25.11. */
export const MIN_GO = [1, 26, 0];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GO_DIR = path.join(HERE, "go");
const BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-scaleway"];
const INSTALLER_URL = "https://get.pulumi.com";
const EXE = process.platform === "win32" ? ".exe" : "";

export class ToolchainError extends Error {}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000, maxBuffer: 64 << 20, ...opts }, (err, stdout, stderr) => {
      resolve({ ok: !err, code: err ? (err.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr), err });
    });
  });
}

function which(name, envPath = process.env.PATH ?? "") {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name + EXE);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {}
  }
  return null;
}

function platformTag() {
  const arch = { x64: "x64", arm64: "arm64" }[process.arch] ?? process.arch;
  return `${process.platform}-${arch}`;
}

/** Cache root: $SOVSTACK_TOOLCHAIN_DIR, else ${XDG_CACHE_HOME:-~/.cache}/sovstack/toolchain. */
export function cacheRoot(env = process.env) {
  if (env.SOVSTACK_TOOLCHAIN_DIR) return path.resolve(env.SOVSTACK_TOOLCHAIN_DIR);
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "sovstack", "toolchain");
}

/** The Go modules the toolchain builds; scw and actionlint have caches of their own. */
const BUILT_MODULES = ["pulumi", "scaleway"];

/** Hash of every input of the Go build, so a change of pins or code rebuilds. */
function sourceHash() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(go|mod|sum)$/.test(e.name)) {
        h.update(path.relative(GO_DIR, p)).update("\0").update(fs.readFileSync(p)).update("\0");
      }
    }
  };
  for (const module of BUILT_MODULES) walk(path.join(GO_DIR, module));
  return h.digest("hex").slice(0, 12);
}

/** Cache key: pinned versions, build inputs and platform. */
export function cacheKey() {
  return `pulumi-${PULUMI_VERSION}_scaleway-${SCALEWAY_VERSION}_${sourceHash()}_${platformTag()}`;
}

function envFor(binDir) {
  return {
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

function complete(binDir) {
  return BINARIES.every((b) => {
    try {
      fs.accessSync(path.join(binDir, b + EXE), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function pulumiVersion(bin) {
  const r = await run(bin, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return r.ok ? r.stdout.trim().replace(/^v/, "") : null;
}

/** (1) A pinned `pulumi` on PATH, with the Scaleway plugin on PATH or installed. */
async function fromPath(log) {
  const bin = which("pulumi");
  if (!bin) return null;
  const v = await pulumiVersion(bin);
  if (v !== PULUMI_VERSION) {
    log(`pulumi on PATH is ${v ?? "unusable"} (${bin}), pinned is ${PULUMI_VERSION}: not used`);
    return null;
  }
  if (!which("pulumi-resource-scaleway")) {
    const r = await run(bin, ["plugin", "ls", "--json"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    let plugins = [];
    try {
      plugins = JSON.parse(r.stdout || "[]") ?? [];
    } catch {}
    const found = plugins.some((p) => p.kind === "resource" && p.name === "scaleway" && p.version === SCALEWAY_VERSION);
    if (!found) {
      log(
        `pulumi ${PULUMI_VERSION} found at ${bin}, but not the scaleway ${SCALEWAY_VERSION} plugin: using the sovstack toolchain instead`,
      );
      return null;
    }
  }
  log(`using pulumi ${PULUMI_VERSION} from PATH (${bin})`);
  const binDir = path.dirname(bin);
  return { binDir, env: envFor(binDir), source: "path" };
}

/** (3) Quick reachability check of Pulumi's download server. */
async function installerReachable(timeoutMs = 3000) {
  try {
    const res = await fetch(INSTALLER_URL, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
    return res.status < 500;
  } catch {
    return false;
  }
}

/** Downloads a .tar.gz and copies the named files (paths inside the archive) into binDir. */
async function downloadBinaries(url, files, binDir, tmp, log) {
  log(`downloading ${url}`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(300_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const dir = fs.mkdtempSync(path.join(tmp, "dl-"));
    const tgz = path.join(dir, "archive.tar.gz");
    fs.writeFileSync(tgz, Buffer.from(await res.arrayBuffer()));
    const r = await run("tar", ["-xzf", tgz, "-C", dir], { timeout: 300_000 });
    if (!r.ok) throw new Error(`tar: ${r.stderr.trim()}`);
    for (const f of files) {
      const dst = path.join(binDir, path.basename(f));
      fs.copyFileSync(path.join(dir, f), dst);
      fs.chmodSync(dst, 0o755);
    }
    return true;
  } catch (e) {
    log(`download failed (${e.message})`);
    return false;
  }
}

/** The official CLI release (pulumi + pulumi-language-nodejs). */
function officialCliUrl() {
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  return `${INSTALLER_URL}/releases/sdk/pulumi-v${PULUMI_VERSION}-${process.platform}-${arch}.tar.gz`;
}

/** The official provider release, where `pulumi plugin install` would get it. */
function officialProviderUrl() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const v = `v${SCALEWAY_VERSION}`;
  return `https://github.com/pulumiverse/pulumi-scaleway/releases/download/${v}/pulumi-resource-scaleway-${v}-${process.platform}-${arch}.tar.gz`;
}

function parseGoVersion(s) {
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

function versionAtLeast(v, min) {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

function noToolchainMessage(reason) {
  return [
    `sovstack: no Pulumi toolchain available (${reason}). Options:`,
    `  1. install Pulumi CLI v${PULUMI_VERSION} (https://www.pulumi.com/docs/install/) and the provider:`,
    `     pulumi plugin install resource scaleway ${SCALEWAY_VERSION} --server github://api.github.com/pulumiverse`,
    `  2. install Go >= ${MIN_GO.join(".")} (https://go.dev/dl/) with access to a Go module proxy, then rerun:`,
    `     node toolchain/setup.mjs   (builds everything from pinned Go modules, ~6 min the first time)`,
    `  3. point SOVSTACK_TOOLCHAIN_DIR at a directory holding a toolchain built elsewhere`,
    `     (<dir>/${cacheKey()}/bin with ${BINARIES.join(", ")}).`,
  ].join("\n");
}

function fmtSecs(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** Build steps still running, stopped if setup is interrupted. */
const children = new Set();

/** Runs a build step, streaming its output to log, with elapsed-time progress. */
function step(log, label, cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log(`${label}...`);
    const timer = setInterval(() => log(`  ${label}: ${fmtSecs(Date.now() - started)} elapsed`), 30_000);
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    child.on("exit", () => children.delete(child));
    let output = "";
    const collect = (d) => {
      output += d;
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (e) => {
      clearInterval(timer);
      reject(new ToolchainError(`${label}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      const took = Date.now() - started;
      if (code === 0) {
        log(`  ${label}: done in ${fmtSecs(took)}`);
        resolve(took);
      } else {
        reject(new ToolchainError(`${label} failed (${signal ?? `exit ${code}`}):\n${output.trim().slice(-4000)}`));
      }
    });
  });
}

function copyDir(src, dst) {
  fs.cpSync(src, dst, { recursive: true, filter: (p) => !/(^|[\\/])(schema|bridge-metadata)\.json$/.test(p) });
}

/** (4) Builds the missing binaries of binDir from the Go modules in toolchain/go. */
async function buildFromGo(binDir, tmp, log, { withCli, withProvider }) {
  const go = which("go");
  if (!go) throw new ToolchainError(noToolchainMessage("Go is not installed"));
  const gv = parseGoVersion((await run(go, ["env", "GOVERSION"])).stdout);
  const goToolchain = (await run(go, ["env", "GOTOOLCHAIN"])).stdout.trim();
  if (!gv || !versionAtLeast(gv, MIN_GO)) {
    // Go >= 1.21 fetches the newer toolchain the go.mod files ask for from the
    // module proxy by itself, unless GOTOOLCHAIN forbids it.
    if (gv && versionAtLeast(gv, [1, 21, 0]) && goToolchain.includes("auto")) {
      log(
        `Go ${gv.join(".")} found: it will fetch Go ${MIN_GO.join(".")} from the module proxy (GOTOOLCHAIN=${goToolchain})`,
      );
    } else {
      throw new ToolchainError(
        noToolchainMessage(
          `Go ${gv ? gv.join(".") : "?"} found (GOTOOLCHAIN=${goToolchain || "?"}), >= ${MIN_GO.join(".")} needed`,
        ),
      );
    }
  }
  const src = path.join(tmp, "src");
  copyDir(GO_DIR, src);
  const goEnv = {
    ...process.env,
    GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=readonly -buildvcs=false`.trim(),
    CGO_ENABLED: process.env.CGO_ENABLED ?? "0",
  };
  const ld = (x) => ["-trimpath", "-ldflags", `-s -w -X ${x}`];
  const times = {};
  const cli = path.join(src, "pulumi");
  const scw = path.join(src, "scaleway");
  if (withCli) {
    times.pulumi = await step(
      log,
      "building pulumi (Go)",
      go,
      [
        "build",
        ...ld(`github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`),
        "-o",
        path.join(binDir, "pulumi" + EXE),
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      ],
      { cwd: cli, env: goEnv },
    );
    times["pulumi-language-nodejs"] = await step(
      log,
      "building pulumi-language-nodejs (Go)",
      go,
      [
        "build",
        ...ld(`github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`),
        "-o",
        path.join(binDir, "pulumi-language-nodejs" + EXE),
        "./cmd/pulumi-language-nodejs",
      ],
      { cwd: cli, env: goEnv },
    );
  }
  if (!withProvider) return times;
  const versionFlag = `sovstack.local/toolchain/scaleway/internal/info.Version=${SCALEWAY_VERSION}`;
  const tfgen = path.join(tmp, "pulumi-tfgen-scaleway" + EXE);
  times["pulumi-tfgen-scaleway"] = await step(
    log,
    "building pulumi-tfgen-scaleway (Go, build-time only)",
    go,
    ["build", ...ld(versionFlag), "-o", tfgen, "./cmd/pulumi-tfgen-scaleway"],
    { cwd: scw, env: goEnv },
  );
  const provDir = path.join(scw, "cmd", "pulumi-resource-scaleway");
  times.schema = await step(
    log,
    "generating the Scaleway schema",
    tfgen,
    ["schema", "--skip-docs", "--skip-examples", "--out", provDir],
    { cwd: scw, env: goEnv },
  );
  times["pulumi-resource-scaleway"] = await step(
    log,
    "building pulumi-resource-scaleway (Go)",
    go,
    [
      "build",
      ...ld(versionFlag),
      "-o",
      path.join(binDir, "pulumi-resource-scaleway" + EXE),
      "./cmd/pulumi-resource-scaleway",
    ],
    { cwd: scw, env: goEnv },
  );
  const share = path.join(path.dirname(binDir), "share");
  fs.mkdirSync(share, { recursive: true });
  fs.copyFileSync(path.join(provDir, "schema.json"), path.join(share, "scaleway-schema.json"));
  return times;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/**
 * Takes the build lock of a cache key (one build per key at a time, so parallel
 * test workers do not each compile everything). Returns a release function, or
 * null if another process finished the build while we waited.
 */
async function lockBuild(lockPath, binDir, log) {
  let lastNote = 0;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() }));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let owner = {};
    try {
      owner = JSON.parse(fs.readFileSync(lockPath, "utf8"));
    } catch {}
    const stale =
      owner.since === undefined
        ? Date.now() - (fs.statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000
        : (owner.host === os.hostname() && !alive(owner.pid)) || Date.now() - owner.since > 3 * 3600_000;
    if (stale) {
      log(`removing stale build lock ${lockPath}`);
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (complete(binDir)) return null;
    if (Date.now() - lastNote > 60_000) {
      log(`waiting for another setup (pid ${owner.pid ?? "?"}) that is building this toolchain...`);
      lastNote = Date.now();
    }
    await sleep(2000);
    if (complete(binDir)) return null;
  }
}

/**
 * Removes temporary build dirs left by killed builds: those of `key` (we hold
 * its lock, so nobody else is building it) and any older than 6 hours.
 */
function removeStaleTemps(root, key) {
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(".tmp-")) continue;
    const p = path.join(root, name);
    try {
      if (name.startsWith(`.tmp-${key}-`) || Date.now() - fs.statSync(p).mtimeMs > 6 * 3600_000) {
        fs.rmSync(p, { recursive: true, force: true });
      }
    } catch {}
  }
}

/**
 * Finds or prepares the toolchain.
 * @param {object} [o]
 * @param {(msg: string) => void} [o.log] progress messages (default: silent)
 * @param {boolean} [o.build=true] allow the (slow) installer/build steps; if false, only PATH and cache
 * @param {boolean} [o.usePath=true] accept a pinned `pulumi` already on PATH
 * @returns {Promise<{binDir: string, env: {PATH: string, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: string}, source: string}>}
 */
export async function ensureToolchain({ log = () => {}, build = true, usePath = true } = {}) {
  if (usePath) {
    const found = await fromPath(log);
    if (found) return found;
  }

  const root = cacheRoot();
  const key = cacheKey();
  const keyDir = path.join(root, key);
  const binDir = path.join(keyDir, "bin");
  if (complete(binDir)) {
    log(`using cached toolchain ${binDir}`);
    return { binDir, env: envFor(binDir), source: "cache" };
  }
  if (!build) throw new ToolchainError(noToolchainMessage(`nothing cached at ${keyDir}`));

  fs.mkdirSync(root, { recursive: true });
  const unlock = await lockBuild(path.join(root, `${key}.lock`), binDir, log);
  if (!unlock) {
    log(`using toolchain built by another setup: ${binDir}`);
    return { binDir, env: envFor(binDir), source: "cache" };
  }
  if (complete(binDir)) {
    unlock();
    return { binDir, env: envFor(binDir), source: "cache" };
  }
  removeStaleTemps(root, key);
  const tmp = fs.mkdtempSync(path.join(root, `.tmp-${key}-`));
  const tmpBin = path.join(tmp, "out", "bin");
  fs.mkdirSync(tmpBin, { recursive: true });
  const started = Date.now();
  let source = "build";
  // On Ctrl-C or kill, stop the build and remove the temporary directory (a
  // SIGKILL leaves it and the lock behind; the next setup removes both).
  const onSignal = (sig) => {
    for (const c of children) c.kill("SIGKILL");
    fs.rmSync(tmp, { recursive: true, force: true });
    unlock();
    log(`interrupted (${sig}); nothing was cached`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    let withCli = true;
    let withProvider = true;
    const officialOk = ["linux", "darwin"].includes(process.platform) && ["x64", "arm64"].includes(process.arch);
    if (officialOk && (await installerReachable())) {
      log(`${INSTALLER_URL} is reachable: fetching the official binaries`);
      withCli = !(await downloadBinaries(
        officialCliUrl(),
        ["pulumi/pulumi", "pulumi/pulumi-language-nodejs"],
        tmpBin,
        tmp,
        log,
      ));
      withProvider = !(await downloadBinaries(officialProviderUrl(), ["pulumi-resource-scaleway"], tmpBin, tmp, log));
      source = withCli && withProvider ? "build" : withCli || withProvider ? "installer+build" : "installer";
    } else {
      log(`${INSTALLER_URL} not reachable: building from Go modules`);
    }
    const times = withCli || withProvider ? await buildFromGo(tmpBin, tmp, log, { withCli, withProvider }) : {};
    const v = await pulumiVersion(path.join(tmpBin, "pulumi" + EXE));
    if (v !== PULUMI_VERSION) throw new ToolchainError(`built pulumi reports version ${v}, expected ${PULUMI_VERSION}`);
    fs.writeFileSync(
      path.join(tmp, "out", "toolchain.json"),
      JSON.stringify(
        {
          pulumi: PULUMI_VERSION,
          scaleway: SCALEWAY_VERSION,
          key,
          source,
          builtAt: new Date().toISOString(),
          stepMillis: times,
        },
        null,
        2,
      ) + "\n",
    );
    try {
      fs.renameSync(path.join(tmp, "out"), keyDir);
    } catch (e) {
      // Another setup finished first: keep its result.
      if (!complete(binDir)) throw e;
    }
    log(`toolchain ready in ${fmtSecs(Date.now() - started)}: ${binDir}`);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    fs.rmSync(tmp, { recursive: true, force: true });
    unlock();
  }
  return { binDir, env: envFor(binDir), source };
}
