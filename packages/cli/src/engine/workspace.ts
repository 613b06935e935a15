import { basename, delimiter, dirname, join } from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { infraDir, localDataDir } from "../paths";
import { withStackLease } from "./leasedRun";
import { stackAddress } from "./project";
import { ensureToolchain } from "./toolchain";

/** The passphrase of local development stacks; real environments keep theirs in Secret Manager. */
export const LOCAL_PASSPHRASE = "sovstack-local";

export interface StackSettings {
  /** Stack name, which is also the environment file: Pulumi.<environment>.yaml. */
  readonly environment: string;
  /** Pulumi project folder. @default infra/ */
  readonly projectDir?: string;
  /** State backend URL. @default SOVSTACK_BACKEND_URL, PULUMI_BACKEND_URL, or file://.sovstack/state */
  readonly backendUrl?: string;
  /** Extra environment of the engine and the provider (Scaleway credentials, SCW_API_URL...). */
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
}

export function defaultBackendUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SOVSTACK_BACKEND_URL ?? env.PULUMI_BACKEND_URL ?? `file://${join(localDataDir, "state")}`;
}

/**
 * Opens (or creates) a stack with the pinned toolchain. The engine runs with plugin
 * downloads off: every plugin it needs is in the toolchain's folder.
 */
export async function openStack(settings: StackSettings): Promise<Stack> {
  const toolchain = await ensureToolchain(settings.log);
  const backendUrl = settings.backendUrl ?? defaultBackendUrl();
  if (backendUrl.startsWith("file://")) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(backendUrl.slice("file://".length), { recursive: true });
  }
  const passphrase = settings.env?.PULUMI_CONFIG_PASSPHRASE ?? process.env.PULUMI_CONFIG_PASSPHRASE;
  const envVars: Record<string, string> = {
    ...toolchain.env,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_CONFIG_PASSPHRASE: passphrase ?? (backendUrl.startsWith("file://") ? LOCAL_PASSPHRASE : ""),
    ...settings.env,
  };
  if (!envVars.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error(
      `No secrets passphrase for the ${settings.environment} stack on ${backendUrl}. Fix: export PULUMI_CONFIG_PASSPHRASE ` +
        `(kept in Secret Manager, see docs/state.md).`,
    );
  }
  const pulumiCommand = await pulumiIn(toolchain.binDir);
  return LocalWorkspace.createOrSelectStack(
    { stackName: settings.environment, workDir: settings.projectDir ?? infraDir },
    { pulumiCommand, envVars },
  );
}

/** The CLI of the toolchain: `<root>/bin/pulumi`, or the first `pulumi` once binDir leads PATH. */
export async function pulumiIn(binDir: string): Promise<PulumiCommand> {
  if (basename(binDir) === "bin") return PulumiCommand.get({ root: dirname(binDir) });
  process.env.PATH = [binDir, process.env.PATH].filter(Boolean).join(delimiter);
  return PulumiCommand.get();
}

/**
 * Opens the stack inside its deployment lease (see withStackLease) and runs `work`: the
 * lease is taken first, so that a second deployment fails at once naming the holder.
 */
export async function withLeasedStack<T>(
  settings: StackSettings & { readonly operation: string; readonly ttlMs?: number },
  work: (stack: Stack, run: { signal: AbortSignal; message: string }) => Promise<T>,
): Promise<T> {
  const backendUrl = settings.backendUrl ?? defaultBackendUrl();
  const address = stackAddress(settings.environment, settings.projectDir);
  return withStackLease(
    {
      backendUrl,
      address,
      operation: settings.operation,
      ttlMs: settings.ttlMs,
      env: { ...process.env, ...settings.env },
      log: settings.log,
    },
    async (signal, lease) => {
      const stack = await openStack({ ...settings, backendUrl });
      const message = `sovstack ${settings.operation} by ${lease.who}${lease.commit ? ` at ${lease.commit.slice(0, 12)}` : ""}`;
      return work(stack, { signal, message });
    },
  );
}
