import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { repoRoot } from "../paths";
import { fail, ok, oneLine, type CheckResult } from "./check";

const run = promisify(execFile);

interface ToolchainModule {
  PULUMI_VERSION: string;
  SCALEWAY_VERSION: string;
  ensureToolchain(options: { build?: boolean }): Promise<{ binDir: string; source: string }>;
}

const SETUP_FIX = "run `node toolchain/setup.mjs` (it builds the pinned engine and provider; see toolchain/README.md)";

/**
 * The pinned Pulumi engine and Scaleway provider, where the CLI would take them (PATH
 * or the toolchain cache). Never builds them: a build takes minutes, setup does it.
 */
export async function checkToolchain(): Promise<CheckResult> {
  const toolchain = (await import(pathToFileURL(join(repoRoot, "toolchain", "toolchain.mjs")).href)) as ToolchainModule;
  let found: { binDir: string; source: string };
  try {
    found = await toolchain.ensureToolchain({ build: false });
  } catch (error) {
    return fail("toolchain", `no pinned toolchain: ${oneLine(error)}`, SETUP_FIX);
  }
  const engine = await versionOf(join(found.binDir, "pulumi"), ["version"]);
  if (engine !== toolchain.PULUMI_VERSION) {
    return fail(
      "toolchain",
      `pulumi in ${found.binDir} is ${engine ?? "unusable"}, pinned is ${toolchain.PULUMI_VERSION}`,
      SETUP_FIX,
    );
  }
  // From PATH, the provider may be a plugin the engine installed (checked by ensureToolchain).
  const provider =
    found.source === "path"
      ? toolchain.SCALEWAY_VERSION
      : await versionOf(join(found.binDir, "pulumi-resource-scaleway"), ["--version"]);
  if (provider !== toolchain.SCALEWAY_VERSION) {
    return fail(
      "toolchain",
      `the Scaleway provider in ${found.binDir} is ${provider ?? "missing"}, pinned is ${toolchain.SCALEWAY_VERSION}`,
      SETUP_FIX,
    );
  }
  return ok("toolchain", `pulumi ${engine} and Scaleway provider ${provider} (${found.source})`);
}

async function versionOf(binary: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, args, {
      timeout: 20_000,
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    return stdout.trim().replace(/^v/, "");
  } catch {
    return undefined;
  }
}

/** Node.js against the `engines` range of the repository's package.json (a `>=` bound). */
export function checkNode(version = process.versions.node): CheckResult {
  const range = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines?: { node?: string } })
    .engines?.node;
  const minimum = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range ?? "")?.[1];
  if (!minimum) return ok("node", `${version} (no minimum declared)`);
  if (compareVersions(version, minimum) >= 0) return ok("node", `${version} (needs ${range})`);
  return fail(
    "node",
    `${version} is older than ${range}`,
    `install Node.js ${minimum} or later (e.g. with nvm or your package manager)`,
  );
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
