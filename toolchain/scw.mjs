#!/usr/bin/env node
// The Scaleway CLI `scw`, built from its Go module (github.com/scaleway/scaleway-cli/v2)
// at a pinned version into the toolchain cache, for tests and operators who want to look
// at what a deployment created. A `scw` on PATH at that version is used as it is.
//
//   node toolchain/scw.mjs        progress on stderr, the path of scw on stdout
//
//   import { ensureScw } from "./toolchain/scw.mjs";
//   const scw = await ensureScw({ log: console.error });

import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureGoTool } from "./goTool.mjs";

export const SCW_VERSION = "2.50.0";

/** The path of a `scw` of the pinned version: PATH, then the cache, then a build. */
export function ensureScw({ log = () => {} } = {}) {
  return ensureGoTool({
    name: "scw",
    version: SCW_VERSION,
    goPackage: "github.com/scaleway/scaleway-cli/v2/cmd/scw",
    versionArgs: ["version"],
    isPinned: (output) => output.includes(SCW_VERSION),
    buildTime: "a few minutes",
    log,
  });
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
