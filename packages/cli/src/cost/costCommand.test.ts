import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerCostCommand } from "../commands/cost";
import { UsageError } from "../usageError";

/** Runs `sovstack cost …` in process and returns what it printed on stdout. */
async function run(...args: string[]): Promise<string> {
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((text?: unknown) => void printed.push(String(text)));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const program = new Command().name("sovstack").exitOverride();
  registerCostCommand(program);
  await program.parseAsync(["node", "sovstack", "cost", ...args]);
  return printed.join("\n");
}

afterEach(() => vi.restoreAllMocks());

describe("sovstack cost", () => {
  it("prints each environment's resources, total and naive saving as JSON", async () => {
    const json = JSON.parse(await run("dev", "--json", "--naive"));
    expect(json).toMatchObject({ currency: "EUR", vat: "excluded", priceDate: expect.stringMatching(/^\d{4}-/) });
    const [dev] = json.environments;
    expect(dev.environment).toBe("dev");
    expect(dev.totalEur).toBeCloseTo(15.4, 2);
    expect(dev.naive.totalEur).toBeCloseTo(58.69, 2);
    expect(dev.naive.savingPercent).toBeCloseTo(73.8, 1);
    const db = dev.lines.find((line: { resource: string }) => line.resource === "evalplatform-dev-db");
    expect(db).toMatchObject({ product: "Managed Database for PostgreSQL", priced: true });
    expect(db.assumptions).toEqual(["databaseDataGb=1"]);
  });

  it("puts environments side by side and applies --assume to one environment or all", async () => {
    const text = await run("dev", "staging", "--assume", "staging.bucketStoredGb=1000", "--assume", "freeTiers=0");
    expect(text).toMatch(/^dev: +\d+\.\d\d € a month/m);
    expect(text).toMatch(/^staging: +\d+\.\d\d € a month/m);
    expect(text).toMatch(/Side by side[\s\S]*\n {2}total +\d+\.\d\d +\d+\.\d\d/);
    expect(text).toContain("1000 GB Standard €14.60");
    expect(text).toContain("bucketStoredGb=5,");
    expect(text).not.toContain("free tier");
  });

  it("refuses an unknown environment, naming the environment files there are", async () => {
    const error = await run("qa").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'unknown environment "qa": there is no Pulumi.qa.yaml in infra/. Environment files found: ' +
        "Pulumi.dev.yaml, Pulumi.production.yaml, Pulumi.staging.yaml. " +
        "Fix: use one of dev, production, staging, or create the file with `sovstack init qa`.",
    );
  });

  it("refuses unknown assumptions, negative values and environments not estimated", async () => {
    await expect(run("dev", "--assume", "bucketGb=5")).rejects.toThrow(
      /--assume bucketGb=5: unknown assumption "bucketGb"\. Allowed: scaleToZeroAverageInstances, .*bucketStoredGb/,
    );
    await expect(run("dev", "--assume", "bucketStoredGb=-1")).rejects.toThrow(
      /"-1" is not a number ≥ 0\. bucketStoredGb is GB stored per bucket/,
    );
    await expect(run("dev", "--assume", "production.bucketStoredGb=1")).rejects.toThrow(
      /production is not among the environments estimated \(dev\)/,
    );
    await expect(run("dev", "--assume", "freeTiers=2")).rejects.toBeInstanceOf(UsageError);
  });
});
