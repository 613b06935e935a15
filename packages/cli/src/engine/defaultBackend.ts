import { join } from "node:path";
import { localDataDir } from "../paths";
import { absoluteBackendUrl } from "../state/backendUrl";

/**
 * The state backend when no --backend is given. Its own module, free of the Automation API,
 * so that commands check their arguments (and print their help) without loading the engine.
 */
export function defaultBackendUrl(env: NodeJS.ProcessEnv = process.env): string {
  return absoluteBackendUrl(
    env.SOVSTACK_BACKEND_URL ?? env.PULUMI_BACKEND_URL ?? `file://${join(localDataDir, "state")}`,
  );
}
