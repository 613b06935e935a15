import { pathToFileURL } from "node:url";
import { repoRoot } from "../paths";

export interface Toolchain {
  /** Folder holding pulumi, pulumi-language-nodejs and pulumi-resource-scaleway. */
  readonly binDir: string;
  /** Variables to run the engine with: PATH first, plugin downloads off. */
  readonly env: Record<string, string>;
}

interface ToolchainModule {
  ensureToolchain(options: { log?: (message: string) => void }): Promise<Toolchain>;
}

/**
 * The pinned Pulumi engine and Scaleway provider (toolchain/toolchain.mjs decides where
 * they come from: PATH, the cache, or a build from Go modules).
 */
export async function ensureToolchain(log: (message: string) => void = () => undefined): Promise<Toolchain> {
  const module = (await import(pathToFileURL(`${repoRoot}/toolchain/toolchain.mjs`).href)) as ToolchainModule;
  return module.ensureToolchain({ log });
}
