import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigValidationError } from "@sovstack/components";
import { describe, expect, it } from "vitest";
import { infraDir } from "../paths";
import { UsageError } from "../usageError";
import { checkedStackFileOf } from "./stackFiles";

const PROJECT = { SCW_DEFAULT_PROJECT_ID: "11111111-1111-4111-8111-111111111111" };
/** No project from the environment nor from an scw config file. */
const NO_PROJECT = { HOME: mkdtempSync(join(tmpdir(), "sovstack-home-")) };

/** A project folder holding staging's file, changed by `edit` (text in, text out). */
function folderWith(edit: (text: string) => string = (text) => text): string {
  const dir = mkdtempSync(join(tmpdir(), "sovstack-stackfiles-"));
  copyFileSync(join(infraDir, "Pulumi.staging.yaml"), join(dir, "Pulumi.staging.yaml"));
  writeFileSync(join(dir, "Pulumi.staging.yaml"), edit(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")));
  return dir;
}

describe("checkedStackFileOf", () => {
  it("answers the file of a valid environment", async () => {
    const dir = folderWith();
    await expect(checkedStackFileOf("staging", { infraDir: dir, env: PROJECT })).resolves.toBe(
      join(dir, "Pulumi.staging.yaml"),
    );
  });

  it("lists every problem of the file, with the project missing too, as one ConfigValidationError", async () => {
    const dir = folderWith((text) => text.replace("memoryMb: 2048", "memoryMb: 100000"));
    const error = await checkedStackFileOf("staging", { infraDir: dir, env: NO_PROJECT }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toMatch(
      /^The stack configuration in Pulumi\.staging\.yaml has 2 problems; nothing was created:\n/,
    );
    expect((error as Error).message).toMatch(/ {2}- services\.\w+\.memoryMb: 100000 is not valid\. .*Fix: /);
    expect((error as Error).message).toMatch(
      / {2}- projectId: is not set, nor SCW_DEFAULT_PROJECT_ID, nor default_project_id/,
    );
  });

  it("reads the project from an scw profile, as the program does", async () => {
    const dir = folderWith();
    const config = join(mkdtempSync(join(tmpdir(), "sovstack-scw-")), "config.yaml");
    writeFileSync(config, "default_project_id: 11111111-1111-4111-8111-111111111111\n");
    await expect(checkedStackFileOf("staging", { infraDir: dir, env: { SCW_CONFIG_PATH: config } })).resolves.toMatch(
      /Pulumi\.staging\.yaml$/,
    );
  });

  it("says a file that is not YAML is an invalid configuration", async () => {
    const dir = folderWith((text) => `${text}\n  : [\n`);
    await expect(checkedStackFileOf("staging", { infraDir: dir, env: PROJECT })).rejects.toThrow(
      /Pulumi\.staging\.yaml has 1 problem.*\n {2}- \(top level\): is not valid YAML: /,
    );
  });

  it("refuses an environment without a file as a usage error, before reading anything", async () => {
    await expect(checkedStackFileOf("nosuchenv", { infraDir: folderWith(), env: PROJECT })).rejects.toThrow(UsageError);
  });
});
