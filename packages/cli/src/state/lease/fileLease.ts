import { randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  isExpired,
  LeaseHeldError,
  LeaseLostError,
  newLeaseRecord,
  renewedLeaseRecord,
  type Lease,
  type LeaseHolder,
  type LeaseRecord,
  type LeaseStore,
} from "./lease";

/**
 * Leases of a file:// backend, as files in `<state>/.sovstack/locks`. A lease is created
 * with link(2), which fails when the name exists, so two deployments on one machine (or
 * one shared folder) cannot both take it; an expired one is moved aside by rename(2),
 * which only one taker can do.
 */
export class FileLeaseStore implements LeaseStore {
  constructor(
    private readonly dir: string,
    private readonly options: { readonly ttlMs?: number; readonly now?: () => number } = {},
  ) {}

  private path(stack: string): string {
    return join(this.dir, ".sovstack", "locks", `${stack}.json`);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get ttlMs(): number {
    return this.options.ttlMs ?? 60_000;
  }

  async acquire(stack: string, holder: LeaseHolder, attempt = 1): Promise<Lease> {
    const path = this.path(stack);
    await mkdir(dirname(path), { recursive: true });
    const record = newLeaseRecord(stack, holder, this.now(), this.ttlMs);
    if (await this.create(path, record)) return this.lease(stack, record);
    const current = await this.read(stack);
    if (!current) {
      // Released in between: try again, a few times at most.
      if (attempt < 5) return this.acquire(stack, holder, attempt + 1);
      throw new Error(`Could not take the lease of ${stack}: it keeps changing under us. Fix: run again.`);
    }
    if (!isExpired(current, this.now())) throw new LeaseHeldError(current);
    const aside = `${path}.stale-${randomUUID()}`;
    try {
      await rename(path, aside);
    } catch {
      throw new LeaseHeldError((await this.read(stack)) ?? current);
    }
    const moved = JSON.parse(await readFile(aside, "utf8")) as LeaseRecord;
    if (moved.leaseId !== current.leaseId) {
      // Someone took it over between our read and our rename: give it back.
      await link(aside, path).catch(() => undefined);
      await rm(aside, { force: true });
      throw new LeaseHeldError(moved);
    }
    await rm(aside, { force: true });
    if (await this.create(path, record)) return this.lease(stack, record);
    throw new LeaseHeldError((await this.read(stack)) ?? current);
  }

  async inspect(stack: string): Promise<LeaseRecord | undefined> {
    return this.read(stack);
  }

  async forceRelease(stack: string): Promise<LeaseRecord | undefined> {
    const current = await this.read(stack);
    await rm(this.path(stack), { force: true });
    return current;
  }

  /** Creates the lease file only if there is none. */
  private async create(path: string, record: LeaseRecord): Promise<boolean> {
    const temporary = `${path}.${record.leaseId}`;
    await writeFile(temporary, JSON.stringify(record, null, 2));
    try {
      await link(temporary, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private async read(stack: string): Promise<LeaseRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.path(stack), "utf8")) as LeaseRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  private lease(stack: string, first: LeaseRecord): Lease {
    let record = first;
    const path = this.path(stack);
    return {
      get record() {
        return record;
      },
      renew: async () => {
        const current = await this.read(stack);
        if (current?.leaseId !== record.leaseId) throw new LeaseLostError(stack);
        record = renewedLeaseRecord(record, this.now(), this.ttlMs);
        const temporary = `${path}.${record.leaseId}.renew`;
        await writeFile(temporary, JSON.stringify(record, null, 2));
        await rename(temporary, path);
      },
      release: async () => {
        const current = await this.read(stack);
        if (current?.leaseId === record.leaseId) await rm(path, { force: true });
      },
    };
  }
}
