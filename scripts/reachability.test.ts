import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../packages/scaleway-local/src";
import { reachability, shellQuote, type ReachableDeployment } from "./reachability";

const run = promisify(execFile);

/** The `export` lines of the printout, as an operator pastes them. */
const exportsOf = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trimStart().startsWith("export "))
    .join("\n");

/** Runs a script in a POSIX shell with nothing of this process's environment but PATH. */
async function shell(script: string): Promise<string> {
  const { stdout } = await run("sh", ["-c", script], { env: { PATH: process.env.PATH } });
  return stdout;
}

describe("npm start's printout of how to reach the local deployment", () => {
  // A data folder whose path holds a space and a quote: the printed lines must survive both.
  const dir = mkdtempSync(join(tmpdir(), "sovstack reach 'x' "));
  const backendUrl = `file://${join(dir, "pulumi-state")}`;
  let local: LocalScaleway;
  let deployment: ReachableDeployment;
  let text: string;

  beforeAll(async () => {
    local = await startLocalScaleway({ dataDir: join(dir, "data") });
    deployment = {
      local,
      stack: { workspace: { envVars: { PULUMI_BACKEND_URL: backendUrl, PULUMI_CONFIG_PASSPHRASE: "sovstack-local" } } },
      outputs: {
        endpoints: { api: "https://evalplatform-dev-api.functions.fnc.fr-par.scw.cloud" },
        publicEndpoints: { api: "https://evalplatform-dev-api.functions.fnc.fr-par.scw.cloud" },
        databaseHost: "127.0.0.1",
        databasePort: 5433,
        databaseName: "evalplatform",
        databaseUser: "evalplatform",
        bucketNames: { assets: "evalplatform-assets-dev" },
      },
      databasePassword: `it's a "pass" $word`,
    };
    text = reachability(deployment);
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("never prints a passphrase other than the public local one", () => {
    const exported = "a-real-production-passphrase";
    const printed = reachability({
      ...deployment,
      stack: { workspace: { envVars: { PULUMI_BACKEND_URL: backendUrl, PULUMI_CONFIG_PASSPHRASE: exported } } },
    });
    expect(printed).not.toContain(exported);
    expect(printed).toContain("PULUMI_CONFIG_PASSPHRASE: the one exported in this shell (not printed)");
  });

  it("exports every variable of the local Scaleway, and the state's, with the values a shell reads back", async () => {
    const expected = {
      ...local.env(),
      SOVSTACK_BACKEND_URL: backendUrl,
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_CONFIG_PASSPHRASE: "sovstack-local",
    };
    // Set beforehand, as in the reviewer's shell: the export must empty it.
    const script = `export AWS_CA_BUNDLE=/etc/ssl/bundle.pem\n${exportsOf(text)}\nenv -0`;
    const after = Object.fromEntries(
      (await shell(script))
        .split("\0")
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
    );
    expect(Object.keys(local.env())).toEqual(
      expect.arrayContaining(["SCW_DEFAULT_ORGANIZATION_ID", "AWS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"]),
    );
    expect(after).toMatchObject(expected);
    expect(after.AWS_CA_BUNDLE).toBe("");
    expect(after.SSL_CERT_FILE).toContain("'x' ");
  });

  it("gives psql and curl commands whose words a shell reads back unchanged", async () => {
    const psqlLine = text.split("\n").find((line) => line.includes(" psql "))!;
    const curlLine = text.split("\n").find((line) => line.trimStart().startsWith("curl "))!;
    // Functions stand in for psql and curl: they print the words they were given.
    const printed = await shell(
      `psql() { printf '%s\\n' "$PGPASSWORD" "$@"; }\ncurl() { printf '%s\\n' "$@"; }\n${psqlLine}\n${curlLine}`,
    );
    expect(printed.split("\n")).toEqual([
      `it's a "pass" $word`,
      "host=127.0.0.1 port=5433 dbname=evalplatform user=evalplatform sslmode=disable",
      "--proxy",
      local.env().HTTPS_PROXY,
      "--cacert",
      local.env().SSL_CERT_FILE,
      "https://evalplatform-dev-api.functions.fnc.fr-par.scw.cloud/health",
      "",
    ]);
  });

  it("lets scw list the local organisation's projects once the lines are pasted into a shell", async () => {
    const { ensureScw } = (await import(pathToFileURL(resolve(import.meta.dirname, "../toolchain/scw.mjs")).href)) as {
      ensureScw: (options: { log?: (message: string) => void }) => Promise<string>;
    };
    const scw = await ensureScw({ log: (message) => console.error(message) });
    const home = join(dir, "home");
    mkdirSync(home);
    const config = join(home, "scw-config.yaml");
    writeFileSync(config, ""); // no profile: the variables alone must do
    const listed = await shell(
      `export HOME=${shellQuote(home)} SCW_CONFIG_PATH=${shellQuote(config)}\n${exportsOf(text)}\n` +
        `${shellQuote(scw)} account project list -o json`,
    );
    expect((JSON.parse(listed) as Array<{ id: string; organization_id: string }>)[0]).toMatchObject({
      id: local.env().SCW_DEFAULT_PROJECT_ID,
      organization_id: local.env().SCW_DEFAULT_ORGANIZATION_ID,
    });
  }, 900_000);
});

describe("shellQuote", () => {
  it.each(["", "plain-1.2_x/y:z@a%b+c=d,e", "with space", "it's", "$HOME", "`cmd`", "a\nb", "*"])(
    "gives %j back through sh",
    async (value) => {
      expect(await shell(`printf '%s' ${shellQuote(value)}`)).toBe(value);
    },
  );
});
