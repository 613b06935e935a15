import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployLocally } from "../scripts/localDeploy";
import { time, type Figure } from "./measure";

/** A full `up` of dev on the local Scaleway, a no-change `up`, and the API calls each makes. */
export async function localFigures(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "sovstack-bench-local-"));
  try {
    const first = await time(() => deployLocally({ dataDir, reset: true }));
    const deployment = first.result;
    const figures: Figure[] = [
      { name: "full up of dev (local Scaleway start included)", value: first.ms, unit: "ms" },
      { name: "API calls of the full up (preview included)", value: deployment.local.calls.total(), unit: "calls" },
    ];
    deployment.local.calls.reset();
    const again = await time(() => deployment.stack.up());
    figures.push(
      { name: "no-change up of dev", value: again.ms, unit: "ms" },
      { name: "API calls of the no-change up", value: deployment.local.calls.total(), unit: "calls" },
    );
    const destroy = await time(() => deployment.stack.destroy());
    figures.push({ name: "destroy of dev", value: destroy.ms, unit: "ms" });
    await deployment.local.stop();
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
