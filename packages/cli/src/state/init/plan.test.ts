import { describe, expect, it } from "vitest";
import { UsageError } from "../../usageError";
import { bucketNameProblem, planStateInit, type StateInitFlags } from "./plan";

const PROJECT = "11111111-1111-4111-8111-111111111111";
const env = {
  SCW_ACCESS_KEY: "SCWLOCALXXXXXXXXXXXX",
  SCW_SECRET_KEY: "22222222-2222-4222-8222-222222222222",
  SCW_DEFAULT_PROJECT_ID: PROJECT,
};
const environments = () => ["dev", "production", "staging"];
const plan = (flags: StateInitFlags, vars: NodeJS.ProcessEnv = env) => planStateInit(flags, vars, environments);

function problemsOf(flags: StateInitFlags, vars: NodeJS.ProcessEnv = env): string {
  try {
    plan(flags, vars);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("the flags were accepted");
}

describe("sovstack state init's flags", () => {
  it("fills the defaults: fr-par, a replica in nl-ams, 90 days, the stack files' environments", () => {
    const result = plan({ bucket: "sovstack-state-acme" });
    expect(result).toMatchObject({
      kind: "s3",
      bucket: { name: "sovstack-state-acme", region: "fr-par", endpoint: "https://s3.fr-par.scw.cloud" },
      replica: { name: "sovstack-state-acme-replica", region: "nl-ams", endpoint: "https://s3.nl-ams.scw.cloud" },
      projectId: PROJECT,
      keepDays: 90,
      keepVersions: undefined,
      ciApplicationName: "sovstack-ci-11111111",
      environments: ["dev", "production", "staging"],
    });
  });

  it("reads bucket, region and endpoint from an s3:// backend URL; another endpoint serves the replica too", () => {
    const result = plan({ backend: "s3://state-x?endpoint=http://127.0.0.1:9000&region=pl-waw", environments: "dev" });
    expect(result).toMatchObject({
      bucket: { name: "state-x", region: "pl-waw", endpoint: "http://127.0.0.1:9000", forcePathStyle: true },
      replica: { name: "state-x-replica", region: "nl-ams", endpoint: "http://127.0.0.1:9000" },
      environments: ["dev"],
    });
  });

  it("refuses the replica in the bucket's own region, naming the flag and the fix", () => {
    const message = problemsOf({ bucket: "sovstack-state", region: "nl-ams", replicaRegion: "nl-ams" });
    expect(message).toContain("nothing was created");
    expect(message).toMatch(
      /--replica-region nl-ams is the region of the state bucket.*Fix: pick another of fr-par, nl-ams, pl-waw/,
    );
  });

  it("refuses an unknown region with the allowed ones", () => {
    expect(problemsOf({ bucket: "sovstack-state", region: "us-east-1" })).toContain(
      '--region: "us-east-1" is not a Scaleway Object Storage region. Allowed: fr-par, nl-ams, pl-waw.',
    );
  });

  it.each([
    ["ab", "3 to 63"],
    ["Sovstack-State", "lowercase letters"],
    ["-state", "start and end"],
    ["state..x", "two dots"],
    ["state.-x", "dot next to a hyphen"],
    ["192.168.1.10", "IP address"],
    ["xn--state", "reserves"],
    ["a".repeat(64), "3 to 63"],
  ])("refuses the bucket name %s (%s)", (name, why) => {
    expect(bucketNameProblem(name)).toContain(why);
    expect(problemsOf({ bucket: name })).toContain(`--bucket: ${JSON.stringify(name)}`);
  });

  it("checks the replica's name too: <bucket>-replica must still fit in 63 characters", () => {
    expect(problemsOf({ bucket: "s".repeat(60) })).toMatch(
      /the replica bucket \(<bucket>-replica\): .* is 68 characters long/,
    );
  });

  it("lists every problem at once", () => {
    const message = problemsOf(
      {
        bucket: "Bad_Name",
        region: "mars-1",
        keepDays: "0",
        keepVersions: "x",
        operator: ["bob"],
        environments: "dev,Prod",
      },
      {},
    );
    expect(message).toMatch(/has \d+ problems; nothing was created/);
    expect(message).not.toContain("Bad_Name-replica");
    for (const part of [
      "--bucket",
      "--region",
      "--keep-days",
      "--keep-versions",
      "--operator",
      '--environments: "Prod"',
      "SCW_ACCESS_KEY is not set",
      "no project",
    ])
      expect(message).toContain(part);
  });

  it("refuses a region that contradicts the backend URL, and a file:// backend", () => {
    expect(problemsOf({ backend: "s3://state-x?region=fr-par", region: "nl-ams", replicaRegion: "pl-waw" })).toContain(
      "--region nl-ams differs from region=fr-par in the backend URL",
    );
    expect(problemsOf({ backend: "file:///tmp/state" })).toContain("is a file:// backend, which needs no preparation");
    expect(problemsOf({}, { ...env, PULUMI_BACKEND_URL: undefined })).toContain("no backend to prepare");
  });

  it("takes a postgres:// backend with its table, and refuses the bucket flags there", () => {
    const result = plan({ backend: "postgres://u:p@db.internal:5432/state?sslmode=verify-full&table=my_state" }, {});
    expect(result).toMatchObject({ kind: "postgres", table: "my_state", secrets: undefined });
    expect(result.backend).not.toContain(":p@");
    expect(problemsOf({ backend: "postgres://u:p@db/state", keepDays: "30" })).toContain(
      "--keep-days applies to s3:// backends only",
    );
  });
});
