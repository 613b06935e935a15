import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const start = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", join(root, "scripts/start.ts"), ...args], { cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("npm start", () => {
  it("validates dev and prints the plan with --plan", async () => {
    const { code, stdout } = await start("--plan");
    expect(code).toBe(0);
    expect(stdout).toContain("evalplatform dev in fr-par is valid");
    expect(stdout).toMatch(/4 x containers\.Container/);
    expect(stdout).toMatch(/1 x databases\.Instance/);
    expect(stdout).toMatch(/Scaleway resources \(39\)/);
  });

  it("fails on a broken environment file, naming the key, the range and the fix, before starting anything", async () => {
    const broken = readFileSync(join(root, "infra/Pulumi.dev.yaml"), "utf8").replace(
      "memoryMb: 512",
      "memoryMb: 100000",
    );
    const file = join(mkdtempSync(join(tmpdir(), "sovstack-")), "Pulumi.dev.yaml");
    writeFileSync(file, broken);
    const { code, stdout, stderr } = await start(file, "--plan");
    expect(code).toBe(1);
    expect(stderr).toContain(
      "services.api.memoryMb: 100000 is not valid. Allowed: a whole number from 128 to 8192 MB. Fix: set a value from 128 to 8192.",
    );
    expect(stderr).toContain("nothing was created");
    expect(stdout).not.toContain("Scaleway resources");
    const deploy = await start(file);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain("services.api.memoryMb: 100000 is not valid");
    expect(deploy.stderr).not.toContain("starting the local Scaleway");
  });

  it("says which file is missing", async () => {
    const { code, stderr } = await start("qa");
    expect(code).toBe(1);
    expect(stderr).toMatch(/No environment file .*Pulumi\.qa\.yaml/);
  });
});
