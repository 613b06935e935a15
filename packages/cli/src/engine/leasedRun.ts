import { redactedUrl } from "../state/backendUrl";
import { leaseName, type StackAddress } from "../state/layout";
import { leaseStoreFor } from "../state/lease/forBackend";
import { leaseHolder } from "../state/lease/holder";
import { keepRenewed, type LeaseRecord } from "../state/lease/lease";
import { lockProcessAlive, PulumiLockHeldError, readPulumiLocks } from "../state/lease/pulumiLocks";
import { openStorage } from "../state/storage/open";
import { noteLeaseHeld, throwIfInterrupted, withInterruptHandling } from "./interrupt";

export interface LeasedRunOptions {
  readonly backendUrl: string;
  readonly address: StackAddress;
  /** What runs: up, destroy, rollback, restore... (shown to whoever finds the stack locked). */
  readonly operation: string;
  /** The commit deployed, when it is not the one checked out (a rollback). */
  readonly commit?: string;
  /** Lease time to live. @default SOVSTACK_LEASE_TTL_SECONDS, else 60 s */
  readonly ttlMs?: number;
  /** Environment with the backend's credentials. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (message: string) => void;
  /**
   * Ctrl-C and SIGTERM stop the engine safely, then release the lease (see interrupt.ts).
   * @default true for the operations that run the engine: up, destroy, rollback
   */
  readonly interruptible?: boolean;
}

const ENGINE_OPERATIONS = new Set(["up", "destroy", "rollback"]);

export function leaseTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.SOVSTACK_LEASE_TTL_SECONDS ?? 60);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

/**
 * Runs `work` inside the stack's deployment lease: taken atomically before anything
 * else (a second deployment fails at once, naming the holder), renewed while it runs,
 * released at the end. If the lease is lost (broken with --force), `signal` aborts the
 * engine before it writes again. An engine run interrupted by Ctrl-C or SIGTERM ends
 * with DeploymentInterrupted after the engine saved its state and the lease was released.
 */
export async function withStackLease<T>(
  options: LeasedRunOptions,
  work: (signal: AbortSignal, lease: LeaseRecord) => Promise<T>,
): Promise<T> {
  const interruptible = options.interruptible ?? ENGINE_OPERATIONS.has(options.operation);
  if (!interruptible) return leasedRun(options, work);
  return withInterruptHandling(options.address.stack, () => leasedRun(options, work));
}

async function leasedRun<T>(
  options: LeasedRunOptions,
  work: (signal: AbortSignal, lease: LeaseRecord) => Promise<T>,
): Promise<T> {
  const env = options.env ?? process.env;
  const ttlMs = options.ttlMs ?? leaseTtlMs(env);
  const leases = leaseStoreFor(options.backendUrl, { ttlMs, env });
  throwIfInterrupted();
  const lease = await leases.acquire(leaseName(options.address), leaseHolder(options.operation, options.commit, env));
  const released = noteLeaseHeld(ttlMs, options.backendUrl.startsWith("postgres"));
  const controller = new AbortController();
  const stopRenewing = keepRenewed(lease, ttlMs, (error) => {
    options.log?.(`${error.message} Stopping the engine.`);
    controller.abort(error);
  });
  try {
    throwIfInterrupted();
    await clearDeadPulumiLocks(options, env);
    return await work(controller.signal, lease.record).catch(async (error: unknown) => {
      throw await explainPulumiLock(error, options, env);
    });
  } finally {
    stopRenewing();
    await lease.release().catch((error: Error) => options.log?.(`could not release the lease: ${error.message}`));
    released();
  }
}

/**
 * Pulumi's own lock files, left behind when a deployment was killed, would block every
 * later one. Holding the lease, sovstack removes those whose process is known dead (same
 * host, no such process); any other is left for `sovstack state unlock --force`.
 */
async function clearDeadPulumiLocks(options: LeasedRunOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const storage = openStorage(options.backendUrl, env);
  try {
    // An unreadable lock file is not known dead: left for `state lock` to show and `unlock --force`.
    for (const lock of await readPulumiLocks(storage, options.address)) {
      if (lockProcessAlive(lock) !== false) continue;
      options.log?.(
        `removing the lock of a killed deployment (pid ${lock.pid}, ${lock.timestamp}) from ${redactedUrl(options.backendUrl)}`,
      );
      await storage.delete(lock.key);
    }
  } finally {
    await storage.close();
  }
}

/**
 * The engine refused to run because Pulumi's own lock is held (a plain `pulumi up`, or a
 * killed run's lock file from another host): the error names each lock's user, host, pid
 * and time, read from its file, so that whoever reads it can check that holder.
 */
async function explainPulumiLock(error: unknown, options: LeasedRunOptions, env: NodeJS.ProcessEnv): Promise<unknown> {
  if (!isConcurrentUpdateError(error)) return error;
  const storage = openStorage(options.backendUrl, env);
  try {
    return new PulumiLockHeldError(options.address.stack, await readPulumiLocks(storage, options.address), {
      cause: error,
    });
  } catch {
    return error; // the lock files cannot be read: the engine's own error still says the stack is locked
  } finally {
    await storage.close();
  }
}

/** By class name: importing the Automation API's error classes here would load it for every leased command. */
function isConcurrentUpdateError(error: unknown): boolean {
  for (let proto: unknown = error && Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto))
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "ConcurrentUpdateError") return true;
  return false;
}
