#!/usr/bin/env node
// Prepares the Pulumi toolchain (see toolchain.mjs) without writing inside the
// repository.
//
//   node toolchain/setup.mjs              progress on stderr; the bin dir on stdout (last line)
//   node toolchain/setup.mjs --print-env  shell `export` lines: eval "$(node toolchain/setup.mjs --print-env)"
//   node toolchain/setup.mjs --no-path    ignore a pulumi already on PATH
//   node toolchain/setup.mjs --no-build   only look (PATH, cache); fail instead of building
import { ensureToolchain, ToolchainError } from "./toolchain.mjs";

const args = new Set(process.argv.slice(2));
const known = new Set(["--print-env", "--no-path", "--no-build", "--help", "-h"]);
for (const a of args) {
  if (!known.has(a)) {
    console.error(`setup.mjs: unknown option ${a} (use --help)`);
    process.exit(2);
  }
}
if (args.has("--help") || args.has("-h")) {
  console.log("usage: node toolchain/setup.mjs [--print-env] [--no-path] [--no-build]");
  process.exit(0);
}

const quote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;
const started = Date.now();
try {
  const { binDir, env, source } = await ensureToolchain({
    log: (m) => console.error(`[toolchain] ${m}`),
    build: !args.has("--no-build"),
    usePath: !args.has("--no-path"),
  });
  console.error(`[toolchain] ${source} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (args.has("--print-env")) {
    console.log(`export PATH=${quote(binDir)}:"$PATH"`);
    console.log(
      `export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=${quote(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION)}`,
    );
  } else {
    console.log(binDir);
  }
} catch (e) {
  console.error(e instanceof ToolchainError ? e.message : (e?.stack ?? String(e)));
  process.exit(1);
}
