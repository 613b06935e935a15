import { basename, delimiter, dirname } from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { infraDir } from "../paths";
import { passphraseFor, passphraseSecretName } from "../state/init/passphrases";
import { SOVSTACK_SECRET_PATH } from "../state/init/secretStore";
import { absoluteBackendUrl, parseBackendUrl, redactedUrl } from "../state/backendUrl";
import { engineCompression } from "../state/compression";
import { UsageError } from "../usageError";
import { defaultBackendUrl } from "./defaultBackend";
import type { EngineContext } from "./engineFailure";
import { withStackLease } from "./leasedRun";
import { stackAddress } from "./project";
import { checkedStackFileOf } from "./stackFiles";
import { ensureToolchain } from "./toolchain";
import { LOCAL_PASSPHRASE } from "../state/stackPassphrase";

// The passphrase of local development stacks; real environments keep theirs in Secret Manager.
export { LOCAL_PASSPHRASE };

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
  /**
   * Create the stack when the backend has none (a first deployment). Commands that read
   * a deployed stack say false, so that a wrong backend is an error, not an empty stack.
   * @default true
   */
  readonly create?: boolean;
}

// Moved to its own module so that commands need not load this one to know it; still exported here.
export { defaultBackendUrl };

/**
 * Opens (or creates) a stack with the pinned toolchain. The engine runs with plugin
 * downloads off: every plugin it needs is in the toolchain's folder.
 */
export async function openStack(settings: StackSettings): Promise<Stack> {
  const env = { ...process.env, ...settings.env };
  refuseUnreadableCompression(env);
  const backendUrl = settings.backendUrl ? absoluteBackendUrl(settings.backendUrl) : defaultBackendUrl();
  // A typo in the URL is said as such, before anything reads a passphrase for it.
  parseBackendUrl(backendUrl);
  // A stack about to be created runs the infra program, which needs the environment's valid file.
  if (settings.create !== false && settings.projectDir === undefined)
    await checkedStackFileOf(settings.environment, { env });
  const toolchain = await ensureToolchain(settings.log);
  if (backendUrl.startsWith("file://")) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(backendUrl.slice("file://".length), { recursive: true });
  }
  const passphrase = await passphraseOf(settings, backendUrl);
  // PULUMI_DIY_BACKEND_GZIP reaches the engine as it is (the engine inherits this process's
  // environment): sovstack's state commands read and write the stack in whichever form it is.
  const envVars: Record<string, string> = {
    ...toolchain.env,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_CONFIG_PASSPHRASE: passphrase ?? (backendUrl.startsWith("file://") ? LOCAL_PASSPHRASE : ""),
    ...objectStorageCredentials(env),
    // Emptied: with a CA bundle set, the AWS SDK inside the Scaleway provider tries to add it
    // to the provider's own HTTP client, which cannot take one, and every Object Storage call
    // fails ("unable to add custom RootCAs HTTPClient, has no WithTransportOptions"). Go
    // reads the system's CAs and SSL_CERT_FILE, so a custom CA still goes there.
    AWS_CA_BUNDLE: "",
    ...settings.env,
  };
  if (!envVars.PULUMI_CONFIG_PASSPHRASE) {
    throw new Error(
      `No secrets passphrase for the ${settings.environment} stack on ${redactedUrl(backendUrl)}. Fix: export PULUMI_CONFIG_PASSPHRASE ` +
        `(kept in Secret Manager, see docs/state.md).`,
    );
  }
  const pulumiCommand = await pulumiIn(toolchain.binDir);
  const args = { stackName: settings.environment, workDir: settings.projectDir ?? infraDir };
  if (settings.create === false) {
    try {
      return await LocalWorkspace.selectStack(args, { pulumiCommand, envVars });
    } catch (error) {
      if (!/no stack named|not found/i.test(String((error as Error).message))) throw error;
      throw new UsageError(
        `${redactedUrl(backendUrl)} has no ${settings.environment} stack. ` +
          `Fix: check --backend / SOVSTACK_BACKEND_URL, or deploy it first with \`sovstack up ${settings.environment}\`.`,
        { cause: error },
      );
    }
  }
  return LocalWorkspace.createOrSelectStack(args, { pulumiCommand, envVars });
}

/**
 * The stack's secrets passphrase: PULUMI_CONFIG_PASSPHRASE, else (shared backends) the
 * one `sovstack state init` keeps in Secret Manager, else none (local backends use the
 * public local one).
 */
async function passphraseOf(settings: StackSettings, backendUrl: string): Promise<string | undefined> {
  const env = { ...process.env, ...settings.env };
  if (env.PULUMI_CONFIG_PASSPHRASE || backendUrl.startsWith("file://")) return env.PULUMI_CONFIG_PASSPHRASE;
  if (!env.SCW_ACCESS_KEY || !env.SCW_SECRET_KEY) return undefined;
  settings.log?.(`reading the ${settings.environment} passphrase from Secret Manager`);
  // `state init` keeps the passphrases in the region of the state bucket.
  const location = parseBackendUrl(backendUrl);
  return passphraseFor(settings.environment, {
    ...env,
    ...(location.kind === "s3" ? { SCW_DEFAULT_REGION: location.region } : {}),
  });
}

/** Where passphraseOf takes the passphrase from, in words: said when the engine finds it wrong. */
export function passphraseSourceOf(settings: Pick<StackSettings, "environment" | "backendUrl" | "env">): string {
  const env = { ...process.env, ...settings.env };
  const backendUrl = settings.backendUrl ? absoluteBackendUrl(settings.backendUrl) : defaultBackendUrl();
  if (env.PULUMI_CONFIG_PASSPHRASE) return "PULUMI_CONFIG_PASSPHRASE";
  if (backendUrl.startsWith("file://")) return `the local default, ${LOCAL_PASSPHRASE}`;
  return `Secret Manager ${SOVSTACK_SECRET_PATH}/${passphraseSecretName(settings.environment)}`;
}

/** How a command's engine failures are told (engineFailure.ts): its name, and whether it streams the engine's output. */
export function engineContextOf(
  settings: Pick<StackSettings, "environment" | "backendUrl" | "env">,
  command: string,
  streamed: boolean,
): EngineContext {
  return { environment: settings.environment, command, streamed, passphraseSource: passphraseSourceOf(settings) };
}

/**
 * The engine would write zstd-compressed state, which sovstack's state commands (history,
 * restore, rollback, backup) cannot read on Node.js 20: refused before anything is written.
 */
function refuseUnreadableCompression(env: NodeJS.ProcessEnv): void {
  if (engineCompression(env) !== "zstd") return;
  throw new UsageError(
    "PULUMI_DIY_BACKEND_ZSTD (or PULUMI_SELF_MANAGED_STATE_ZSTD) is set: the engine would write zstd-compressed state, " +
      "which sovstack's state commands cannot read. Allowed: PULUMI_DIY_BACKEND_GZIP=true (gzip) or no compression. " +
      "Fix: unset PULUMI_DIY_BACKEND_ZSTD.",
  );
}

/**
 * Pulumi's s3:// backend reads AWS_* credentials; a Scaleway user has SCW_* ones, which
 * are the same keys for Object Storage.
 */
function objectStorageCredentials(env: NodeJS.ProcessEnv): Record<string, string> {
  // SCW_* first, as sovstack's own state calls read them (resilience/s3Client.ts): one identity for both.
  if (!env.SCW_ACCESS_KEY || !env.SCW_SECRET_KEY) return {};
  return { AWS_ACCESS_KEY_ID: env.SCW_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: env.SCW_SECRET_KEY };
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
  settings: StackSettings & { readonly operation: string; readonly ttlMs?: number; readonly commit?: string },
  work: (stack: Stack, run: { signal: AbortSignal; message: string }) => Promise<T>,
): Promise<T> {
  const backendUrl = settings.backendUrl ? absoluteBackendUrl(settings.backendUrl) : defaultBackendUrl();
  parseBackendUrl(backendUrl);
  const address = stackAddress(settings.environment, settings.projectDir);
  // Before the lease: a typo in the environment's name, or a bad stack file, must not lock anything.
  if (settings.create !== false && settings.projectDir === undefined)
    await checkedStackFileOf(settings.environment, { env: { ...process.env, ...settings.env } });
  return withStackLease(
    {
      backendUrl,
      address,
      operation: settings.operation,
      commit: settings.commit,
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
