import { hostname } from "node:os";
import { pulumiLockPrefix, type StackAddress } from "../layout";
import type { StateStorage } from "../storage/storage";
import { LeaseHeldError } from "./lease";

/**
 * One of Pulumi's own lock files of a stack, as the engine writes it for the length of an
 * update (backend/diy/lock.go): who ran it, on which host, its process ID and when. A
 * file that cannot be read says why instead.
 */
export interface PulumiLockFile {
  readonly key: string;
  readonly username?: string;
  readonly hostname?: string;
  readonly pid?: number;
  readonly timestamp?: string;
  readonly unreadable?: string;
}

/**
 * Whether the lock's process is alive, when it was written on this host (else undefined:
 * another host's processes cannot be seen from here).
 */
export function lockProcessAlive(lock: PulumiLockFile): boolean | undefined {
  if (lock.hostname !== hostname() || lock.pid === undefined) return undefined;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

/** The stack's Pulumi lock files, in key order. */
export async function readPulumiLocks(storage: StateStorage, address: StackAddress): Promise<PulumiLockFile[]> {
  const locks: PulumiLockFile[] = [];
  for (const object of await storage.list(pulumiLockPrefix(address))) {
    const body = await storage.get(object.key);
    if (!body) continue; // removed meanwhile: its run ended
    try {
      const lock = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      locks.push({
        key: object.key,
        username: typeof lock.username === "string" ? lock.username : undefined,
        hostname: typeof lock.hostname === "string" ? lock.hostname : undefined,
        pid: typeof lock.pid === "number" ? lock.pid : undefined,
        timestamp: typeof lock.timestamp === "string" ? utc(lock.timestamp) : undefined,
      });
    } catch (error) {
      locks.push({ key: object.key, unreadable: `not valid JSON (${(error as Error).message})` });
    }
  }
  return locks;
}

/** Go writes the time in the host's zone with nanoseconds: shown in UTC, to the second, as the lease is. */
function utc(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp : new Date(time).toISOString().replace(/\.\d+Z$/, "Z");
}

/** "alice on laptop-7, pid 4242, since 2026-05-02T01:12:09Z (<key>)". */
export function describePulumiLock(lock: PulumiLockFile): string {
  if (lock.unreadable) return `unreadable lock file ${lock.key}: ${lock.unreadable}`;
  return (
    `${lock.username ?? "?"} on ${lock.hostname ?? "?"}, pid ${lock.pid ?? "?"}, since ${lock.timestamp ?? "?"} ` +
    `(${lock.key})`
  );
}

/**
 * The engine refused to run because Pulumi's own lock is held: a plain `pulumi up` is
 * running (it takes no lease), or a killed run left its lock file on another host. A
 * LeaseHeldError (exit 4) whose record is the first lock's holder, and whose message
 * names every lock file's, so that whoever reads it can check the process is dead.
 */
export class PulumiLockHeldError extends LeaseHeldError {
  constructor(
    environment: string,
    readonly locks: readonly PulumiLockFile[],
    options?: ErrorOptions,
  ) {
    const first = locks[0];
    const holder = first && !first.unreadable ? first : undefined;
    const since = holder?.timestamp ?? new Date(0).toISOString();
    super(
      {
        who: holder ? `${holder.username ?? "?"}@${holder.hostname ?? "?"}` : "?",
        operation: "Pulumi's lock",
        pid: holder?.pid ?? 0,
        host: holder?.hostname ?? "?",
        leaseId: first?.key ?? "",
        stack: environment,
        acquiredAt: since,
        renewedAt: since,
        expiresAt: since,
      },
      pulumiLockMessage(environment, locks),
    );
    if (options?.cause) this.cause = options.cause;
    this.name = "PulumiLockHeldError";
  }
}

function pulumiLockMessage(environment: string, locks: readonly PulumiLockFile[]): string {
  if (!locks.length)
    return (
      "another deployment of this stack was running (Pulumi's lock); its lock file is gone now, so it has ended. " +
      `Fix: run the command again (\`sovstack state lock ${environment}\` shows any lock).`
    );
  const pids = locks.filter((lock) => lock.pid !== undefined && lock.hostname);
  const check = pids.length
    ? `on each host, \`ps -p <pid>\` (${pids.map((lock) => `${lock.pid} on ${lock.hostname}`).join(", ")}); a CI runner: its job`
    : "its process or CI job";
  return (
    `another deployment of this stack is running (Pulumi's lock), or one was killed and left its lock. Pulumi's lock ` +
    `(not sovstack's lease: a plain \`pulumi up\` takes only this one) is held by:\n` +
    locks.map((lock) => `  ${describePulumiLock(lock)}\n`).join("") +
    `Fix: wait for it to end; if it is dead (${check}), run \`sovstack state unlock ${environment} --force\` ` +
    "(docs/runbooks/stuck-lock.md)."
  );
}
