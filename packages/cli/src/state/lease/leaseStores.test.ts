import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalScaleway, type LocalScaleway } from "@sovstack/scaleway-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localBucket } from "../../testing/inlineStack";
import { startTestPostgres, type TestPostgres } from "../../testing/postgres";
import { FileLeaseStore } from "./fileLease";
import { isExpired, LeaseHeldError, LeaseLostError, type Lease, type LeaseStore } from "./lease";
import { PostgresLeaseStore } from "./postgresLease";
import { S3LeaseStore } from "./s3Lease";

const holder = (who: string) => ({ who, operation: "up", pid: process.pid, host: "test" });

let postgres: TestPostgres;
let local: LocalScaleway;
beforeAll(async () => {
  [postgres, local] = await Promise.all([
    startTestPostgres(),
    startLocalScaleway({ dataDir: mkdtempSync(join(tmpdir(), "sovstack-lease-")) }),
  ]);
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  await local?.stop();
});

async function s3Store(ttlMs?: number): Promise<LeaseStore> {
  const { s3, bucket } = await localBucket(local.s3Url);
  return new S3LeaseStore(s3, bucket, { ttlMs });
}

const stores: Array<[string, (ttlMs?: number) => Promise<LeaseStore>, { expires: boolean }]> = [
  ["S3 conditional writes (the local Scaleway's Object Storage)", s3Store, { expires: true }],
  ["PostgreSQL advisory locks", async (ttlMs) => new PostgresLeaseStore(postgres.url, { ttlMs }), { expires: false }],
  [
    "files",
    async (ttlMs) => new FileLeaseStore(mkdtempSync(join(tmpdir(), "sovstack-leases-")), { ttlMs }),
    { expires: true },
  ],
];

describe.each(stores)("leases on %s", (_name, open) => {
  it("lets one holder in and names it to the others", async () => {
    const store = await open();
    const lease = await store.acquire("evalplatform/dev", holder("alice"));
    const error = await store.acquire("evalplatform/dev", holder("bob")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect((error as Error).message).toMatch(/locked by alice \(up, pid \d+ on test\)/);
    expect((error as Error).message).toContain("sovstack state unlock");
    expect(await store.inspect("evalplatform/dev")).toMatchObject({ who: "alice", operation: "up" });
    await lease.release();
    expect(await store.inspect("evalplatform/dev")).toBeUndefined();
    const next = await store.acquire("evalplatform/dev", holder("bob"));
    await next.release();
  });

  it("keeps stacks apart", async () => {
    const store = await open();
    const leases = await Promise.all(
      ["staging", "production", "dev"].map((env) => store.acquire(`evalplatform/${env}`, holder(env))),
    );
    await Promise.all(leases.map((lease) => lease.release()));
  });

  it("lets exactly one of 50 concurrent attempts in; the others fail fast naming it", async () => {
    const store = await open();
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => store.acquire("evalplatform/race", holder(`deployer-${i}`))),
    );
    const winners = attempts.filter((a): a is PromiseFulfilledResult<Lease> => a.status === "fulfilled");
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.value.record.who;
    const losers = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(LeaseHeldError);
      expect((loser.reason as LeaseHeldError).record.who).toBe(winner);
    }
    await winners[0]!.value.release();
  });

  it("renews a lease, which pushes its expiry back", async () => {
    const store = await open(5_000);
    const lease = await store.acquire("evalplatform/renewed", holder("alice"));
    const first = lease.record.expiresAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await lease.renew();
    expect(Date.parse(lease.record.expiresAt)).toBeGreaterThan(Date.parse(first));
    expect((await store.inspect("evalplatform/renewed"))?.expiresAt).toBe(lease.record.expiresAt);
    await lease.release();
  });

  it("breaks a lease by force; its holder finds out at its next renewal", async () => {
    const store = await open();
    const ghost = await store.acquire("evalplatform/stuck", holder("ghost"));
    expect(await store.forceRelease("evalplatform/stuck")).toMatchObject({ who: "ghost" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rescuer = await store.acquire("evalplatform/stuck", holder("rescuer"));
    await expect(ghost.renew()).rejects.toThrow(LeaseLostError);
    await rescuer.release();
    expect(await store.inspect("evalplatform/stuck")).toBeUndefined();
  });
});

// A PostgreSQL lease lives as long as its holder's session, which the server ends when the
// holder dies; leases kept as objects or files expire instead.
describe.each(stores.filter(([, , kind]) => kind.expires))("expiring leases on %s", (_name, open) => {
  it("lets the next deployment take over a lease its holder stopped renewing", async () => {
    const store = await open(300);
    const dead = await store.acquire("evalplatform/killed", holder("killed"));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(isExpired((await store.inspect("evalplatform/killed"))!)).toBe(true);
    const next = await store.acquire("evalplatform/killed", holder("rescuer"));
    expect(next.record.who).toBe("rescuer");
    await expect(dead.renew()).rejects.toThrow(LeaseLostError);
    await next.release();
  });
});
