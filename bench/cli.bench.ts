import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { detectDrift } from "../packages/cli/src/drift/detectDrift";
import { repoRoot } from "../packages/cli/src/paths";
import { deployLocally, type LocalDeployment } from "../scripts/localDeploy";
import { median, time, type Figure } from "./measure";

const run = promisify(execFile);
const CONTAINERS = "/containers/v1/regions/fr-par/containers";

/** `sovstack ...args` in a new process, as a user types it (no terminal, no colour). */
function sovstack(...args: string[]): Promise<unknown> {
  return run(process.execPath, ["--import", "tsx", "packages/cli/src/cli.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

/**
 * What a user waits for: the CLI's start-up (`--help`), an offline cost estimate, and
 * drift detection on the dev stack deployed to the local Scaleway, unchanged and after
 * a change made outside code.
 */
export async function cliFigures(): Promise<Figure[]> {
  const figures = [
    await median("sovstack --help (process start-up)", 10, () => sovstack("--help")),
    await median("sovstack cost dev", 3, () => sovstack("cost", "dev")),
  ];
  const dataDir = mkdtempSync(join(tmpdir(), "sovstack-bench-cli-"));
  let deployment: LocalDeployment | undefined;
  try {
    const deployed = await time(() => deployLocally({ dataDir, reset: true }));
    deployment = deployed.result;
    figures.push({ name: "deploy dev to the local Scaleway (bench set-up)", value: deployed.ms, unit: "ms" });

    figures.push(await driftFigure("drift of dev, unchanged", deployment));
    await changeOutsideCode(deployment);
    // The first read after the change also waits for the container to settle (the
    // provider waits while Scaleway redeploys it): shown apart from the steady figure.
    const first = await time(() => detectDrift(deployment!.stack, "dev"));
    figures.push(
      { name: "drift of dev, first run after a container change", value: first.ms, unit: "ms" },
      await driftFigure("drift of dev, one container changed", deployment),
    );
    return figures;
  } finally {
    await deployment?.local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** detectDrift three times (a refresh preview writes nothing): the median, and what it found. */
async function driftFigure(name: string, deployment: LocalDeployment): Promise<Figure> {
  let found = "";
  const figure = await median(name, 3, async () => {
    const report = await detectDrift(deployment.stack, "dev");
    found = `${report.resourcesChecked} resources read, ${report.resources.length} drifted`;
  });
  return { ...figure, note: `${figure.note}; ${found}` };
}

/** What someone in the console would do: scale the API container up, through the REST API. */
async function changeOutsideCode(deployment: LocalDeployment): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${deployment.local.apiUrl}${path}`, {
      method,
      headers: { "x-auth-token": deployment.local.env().SCW_SECRET_KEY!, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { containers?: Array<{ id: string; name: string }> };
  };
  const { containers = [] } = await call("GET", CONTAINERS);
  const api = containers.find((container) => container.name === "evalplatform-dev-api");
  if (!api) throw new Error("the dev stack has no evalplatform-dev-api container to change");
  await call("PATCH", `${CONTAINERS}/${api.id}`, { min_scale: 1 });
}
