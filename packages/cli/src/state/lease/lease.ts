import { randomUUID } from "node:crypto";

/**
 * A deployment lease: only its holder may write a stack's state until it releases it
 * or the lease expires. Holders renew it while they run; a holder killed outright stops
 * renewing, so its lease runs out and the next deployment may take it over.
 */
export interface LeaseHolder {
  /** Who: user@host, or the CI job. */
  readonly who: string;
  /** What they run: "up", "destroy", "rollback"... */
  readonly operation: string;
  /** Git commit deployed, when known. */
  readonly commit?: string;
  readonly pid: number;
  readonly host: string;
}

export interface LeaseRecord extends LeaseHolder {
  readonly leaseId: string;
  /** Set when its holder released it: the lease is free (kept as a record where deleting it could race). */
  readonly releasedAt?: string;
  readonly stack: string;
  readonly acquiredAt: string;
  readonly renewedAt: string;
  readonly expiresAt: string;
}

export interface Lease {
  readonly record: LeaseRecord;
  /** Extends the lease; throws LeaseLostError when someone else took it. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface LeaseStore {
  /** Takes the lease of `stack` or fails at once with LeaseHeldError naming the holder. */
  acquire(stack: string, holder: LeaseHolder): Promise<Lease>;
  /** The current lease of `stack`, if any (expired ones included, marked by expiresAt). */
  inspect(stack: string): Promise<LeaseRecord | undefined>;
  /** Breaks the lease whoever holds it. */
  forceRelease(stack: string): Promise<LeaseRecord | undefined>;
}

/** The stack is locked by someone else (exit 4); `record` names the holder. */
export class LeaseHeldError extends Error {
  constructor(
    readonly record: LeaseRecord,
    message = `The ${environmentOf(record.stack)} stack is locked by ${record.who} (${record.operation}${record.commit ? ` of ${record.commit}` : ""}, ` +
      `pid ${record.pid} on ${record.host}) since ${record.acquiredAt}; the lease expires at ${record.expiresAt} unless renewed. ` +
      `Fix: wait for that deployment to end, or, if it is dead, run \`sovstack state unlock ${environmentOf(record.stack)} --force\`.`,
  ) {
    super(message);
    this.name = "LeaseHeldError";
  }
}

/** Leases are named <project>/<stack>; people name stacks by environment. */
function environmentOf(leaseName: string): string {
  return leaseName.split("/").at(-1) ?? leaseName;
}

export class LeaseLostError extends Error {
  constructor(stack: string) {
    super(
      `The lease on the ${environmentOf(stack)} stack was taken by someone else (broken with --force?); this deployment stops writing.`,
    );
    this.name = "LeaseLostError";
  }
}

/**
 * Renews a lease every third of its time to live until stopped, one renewal at a time
 * (the next is scheduled when the last one ends, so that two never race each other);
 * reports a lost lease once, so that the deployment can be cancelled before it writes again.
 */
export function keepRenewed(lease: Lease, ttlMs: number, onLost: (error: Error) => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(
      () => {
        lease.renew().then(
          () => {
            if (!stopped) schedule();
          },
          (error: Error) => {
            if (!stopped) onLost(error);
          },
        );
      },
      Math.max(1000, Math.floor(ttlMs / 3)),
    );
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A new lease of `stack` for `holder`, valid `ttlMs` from `now`. */
export function newLeaseRecord(stack: string, holder: LeaseHolder, now: number, ttlMs: number): LeaseRecord {
  const at = new Date(now).toISOString();
  return {
    ...holder,
    leaseId: randomUUID(),
    stack,
    acquiredAt: at,
    renewedAt: at,
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
}

/** The same lease, renewed at `now` for another `ttlMs`. */
export function renewedLeaseRecord(record: LeaseRecord, now: number, ttlMs: number): LeaseRecord {
  return { ...record, renewedAt: new Date(now).toISOString(), expiresAt: new Date(now + ttlMs).toISOString() };
}

export function isExpired(record: LeaseRecord, now = Date.now()): boolean {
  return Date.parse(record.expiresAt) <= now;
}
