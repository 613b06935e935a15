import { readdirSync } from "node:fs";
import { join } from "node:path";
import { databaseLimits, parseStackConfig, readStackFile } from "@sovstack/components";
import { describe, expect, it } from "vitest";
import { infraDir } from "../paths";
import { nodeTypePrice, priceTable } from "./prices";

/** Every price and allowance of the table, with its path: `serverlessContainers.vcpuSecond`. */
function entries(node: unknown, path: string[] = []): { path: string; value: Record<string, unknown> }[] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [];
  const record = node as Record<string, unknown>;
  if ("eur" in record || "amount" in record) return [{ path: path.join("."), value: record }];
  return Object.entries(record).flatMap(([key, inner]) => entries(inner, [...path, key]));
}

describe("the Scaleway price table", () => {
  it("says when it was read, in EUR excluding VAT", () => {
    expect(priceTable.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const read = new Date(`${priceTable.priceDate}T00:00:00Z`);
    expect(Number.isNaN(read.getTime())).toBe(false);
    expect(read.getTime()).toBeLessThanOrEqual(Date.now());
    expect(priceTable.currency).toBe("EUR");
    expect(priceTable.vat).toBe("excluded");
  });

  it("gives every price and free allowance a Scaleway source page and a unit", () => {
    const all = entries(priceTable);
    expect(all.length).toBeGreaterThan(30);
    for (const { path, value } of all) {
      expect(value.source, path).toMatch(/^https:\/\/www\.scaleway\.com\/en\//);
      expect(typeof value.unit, path).toBe("string");
      const figure = (value.eur ?? value.amount) as number;
      expect(Number.isFinite(figure) && figure >= 0, `${path}: ${figure}`).toBe(true);
    }
  });

  it("prices the node type of every environment file, or the estimate could not be made", () => {
    const files = readdirSync(infraDir).filter((file) => /^Pulumi\..+\.yaml$/.test(file));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const config = parseStackConfig(readStackFile(join(infraDir, file)), file);
      if (config.database) expect(nodeTypePrice(config.database.nodeType), file).toBeDefined();
    }
  });

  it("either prices each allowed node type or says it has no figure, never both", () => {
    const priced = Object.keys(priceTable.managedPostgres.nodeTypes);
    const unpriced: readonly string[] = priceTable.managedPostgres.unpricedNodeTypes;
    for (const nodeType of databaseLimits.nodeTypes) {
      expect(priced.includes(nodeType) !== unpriced.includes(nodeType), nodeType).toBe(true);
    }
    expect(nodeTypePrice("db-dev-s")).toBe(priceTable.managedPostgres.nodeTypes["DB-DEV-S"]);
  });

  it("prices every volume type a database may use", () => {
    for (const volumeType of databaseLimits.volumeTypes)
      expect(priceTable.managedPostgres.volumeGbMonth[volumeType], volumeType).toBeDefined();
  });
});
