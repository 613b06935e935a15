import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { time, type Figure } from "./measure";

/**
 * A cold build of the toolchain from Go modules: an empty toolchain cache and an empty Go
 * build cache (the module cache is kept: downloads are not what is measured). About six
 * minutes on 2 cores; run it on its own: `npm run bench -- toolchain`.
 */
export async function toolchainFigures(): Promise<Figure[]> {
  const scratch = mkdtempSync(join(tmpdir(), "sovstack-bench-toolchain-"));
  try {
    const env = {
      ...process.env,
      SOVSTACK_TOOLCHAIN_DIR: join(scratch, "toolchain"),
      GOCACHE: join(scratch, "gocache"),
    };
    const setup = resolve(import.meta.dirname, "../toolchain/setup.mjs");
    const cold = await time(() => execFileSync(process.execPath, [setup, "--no-path"], { env, stdio: "inherit" }));
    const warm = await time(() => execFileSync(process.execPath, [setup, "--no-path"], { env, stdio: "ignore" }));
    return [
      { name: "toolchain cold build (empty Go build cache)", value: cold.ms, unit: "ms" },
      { name: "toolchain setup right after (cache hit)", value: warm.ms, unit: "ms" },
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
