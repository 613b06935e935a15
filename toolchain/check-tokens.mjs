#!/usr/bin/env node
// Checks that the Scaleway provider we build serves every resource and function
// token of the installed @pulumiverse/scaleway npm package.
//
//   node toolchain/check-tokens.mjs [<dir containing node_modules/@pulumiverse/scaleway>]
//
// Exit 0 when all module tokens are served. The SDK's deprecated top-level
// aliases (scaleway:index/<module><Name>, e.g. index/instanceServer) are
// reported but not required: upstream derives them from its alias history,
// which our build does not have.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { ensureToolchain } from "./toolchain.mjs";

const from = path.resolve(process.argv[2] ?? process.cwd());
const require = createRequire(path.join(from, "noop.js"));
let sdkDir;
try {
  sdkDir = path.dirname(require.resolve("@pulumiverse/scaleway/package.json"));
} catch {
  console.error(`check-tokens: @pulumiverse/scaleway is not installed under ${from}`);
  process.exit(2);
}

const { binDir } = await ensureToolchain({ build: false, usePath: false });
const schemaPath = path.join(path.dirname(binDir), "share", "scaleway-schema.json");
if (!fs.existsSync(schemaPath)) {
  console.log(`no ${schemaPath}: the toolchain uses the official provider, nothing to check`);
  process.exit(0);
}
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const served = new Set([...Object.keys(schema.resources ?? {}), ...Object.keys(schema.functions ?? {})]);

const sdkTokens = new Set();
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") walk(p);
    } else if (e.name.endsWith(".js")) {
      const src = fs.readFileSync(p, "utf8");
      for (const m of src.matchAll(/__pulumiType = '(scaleway:[^']+)'/g)) sdkTokens.add(m[1]);
      for (const m of src.matchAll(/invoke(?:Output|SingleOutput|Single)?\("(scaleway:[^"]+)"/g)) sdkTokens.add(m[1]);
    }
  }
};
walk(sdkDir);

const missing = [];
const legacy = [];
for (const t of [...sdkTokens].sort()) {
  if (served.has(t)) continue;
  (t.startsWith("scaleway:index/") ? legacy : missing).push(t);
}
const version = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8")).version;
console.log(`@pulumiverse/scaleway ${version}: ${sdkTokens.size} tokens, ${served.size} served by ${schemaPath}`);
console.log(`deprecated top-level aliases not served: ${legacy.length}`);
if (missing.length) {
  console.log(`MISSING module tokens (${missing.length}):\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log("all module tokens served");
