import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureToolchain } from "../packages/cli/src/engine/toolchain";
import { openStack } from "../packages/cli/src/engine/workspace";
import { median, time, type Figure } from "./measure";

const offline = {
  SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
  SCW_SECRET_KEY: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_PROJECT_ID: "11111111-1111-4111-8111-111111111111",
  SCW_DEFAULT_REGION: "fr-par",
};

/** Warm toolchain setup (cache hit) and `preview` of each environment with the real engine. */
export async function engineFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  figures.push(await median("toolchain setup, warm (cache hit)", 5, () => ensureToolchain()));
  for (const environment of ["dev", "staging", "production"]) {
    const backendUrl = `file://${mkdtempSync(join(tmpdir(), "sovstack-bench-"))}`;
    const stack = await openStack({ environment, backendUrl, env: offline });
    await stack.preview(); // first run warms the node module cache
    figures.push(await median(`preview ${environment} (real engine + provider)`, 3, () => stack.preview()));
  }
  const { ms } = await time(async () => {
    const stack = await openStack({
      environment: "dev",
      backendUrl: `file://${mkdtempSync(join(tmpdir(), "sovstack-bench-"))}`,
      env: offline,
    });
    await stack.preview();
  });
  figures.push({ name: "preview dev from a new workspace and stack", value: ms, unit: "ms" });
  return figures;
}
