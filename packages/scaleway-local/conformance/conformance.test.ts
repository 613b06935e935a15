import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replayProduct } from "./replay";
import { PRODUCTS, RECORDINGS, summarize, THRESHOLD } from "./summary";

const caDir = mkdtempSync(join(tmpdir(), "scaleway-local-ca-"));
afterAll(() => rmSync(caDir, { recursive: true, force: true }));

describe("conformance with recorded Scaleway traffic", () => {
  it.each(PRODUCTS)(
    "answers at least 95%% of the recorded %s calls as the real API did",
    async (product) => {
      const summary = summarize(await replayProduct(RECORDINGS, product, { caDir }));
      // The figures are part of the result: print them.
      console.log(summary.lines.join("\n"));
      expect(summary.served).toBeGreaterThan(0);
      expect(summary.servedRate).toBeGreaterThanOrEqual(THRESHOLD);
    },
    600_000,
  );
});
