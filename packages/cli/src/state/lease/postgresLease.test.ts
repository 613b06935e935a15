import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../testing/postgres";
import { LeaseHeldError, LeaseLostError } from "./lease";
import { PostgresLeaseStore } from "./postgresLease";

const holder = (who: string) => ({ who, operation: "up", pid: process.pid, host: "test" });

describe("PostgresLeaseStore", () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 60_000);
  afterAll(async () => postgres?.stop());

  it("lets one holder in and names it to the others", async () => {
    const store = new PostgresLeaseStore(postgres.url);
    const lease = await store.acquire("dev", holder("alice"));
    const error = await store.acquire("dev", holder("bob")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect((error as Error).message).toMatch(/locked by alice \(up/);
    expect(await store.inspect("dev")).toMatchObject({ who: "alice" });
    await lease.release();
    const next = await store.acquire("dev", holder("bob"));
    await next.release();
  });

  it("keeps stacks apart", async () => {
    const store = new PostgresLeaseStore(postgres.url);
    const a = await store.acquire("staging", holder("alice"));
    const b = await store.acquire("production", holder("bob"));
    await Promise.all([a.release(), b.release()]);
  });

  it("lets exactly one of many concurrent attempts in", async () => {
    const store = new PostgresLeaseStore(postgres.url);
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.acquire("race", holder(`d${i}`))),
    );
    const winners = attempts.filter((a) => a.status === "fulfilled");
    expect(winners).toHaveLength(1);
    expect(
      attempts
        .filter((a) => a.status === "rejected")
        .every((a) => (a as PromiseRejectedResult).reason instanceof LeaseHeldError),
    ).toBe(true);
    await (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof store.acquire>>>).value.release();
  });

  it("breaks a lease by force, ending the holder's session", async () => {
    const store = new PostgresLeaseStore(postgres.url);
    const ghost = await store.acquire("stuck", holder("ghost"));
    const broken = await store.forceRelease("stuck");
    expect(broken).toMatchObject({ who: "ghost" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(ghost.renew()).rejects.toThrow(LeaseLostError);
    const lease = await store.acquire("stuck", holder("rescuer"));
    await lease.release();
  });
});
