import { resolve } from "node:path";

/** The repository root, whichever file of the CLI runs. */
export const repoRoot = resolve(import.meta.dirname, "../../..");

/** The evaluation platform's Pulumi project. */
export const infraDir = resolve(repoRoot, "infra");

/** Local working data: state of local deployments, the local Scaleway's data. Not committed. */
export const localDataDir = resolve(repoRoot, ".sovstack");
