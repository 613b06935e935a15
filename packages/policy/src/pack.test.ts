/**
 * The pack as Pulumi runs it: @pulumi/pulumi's policy runner loads the package (pack.cjs,
 * then the TypeScript sources) and serves the analyzer over gRPC; the test speaks to it the
 * way the engine does. No engine is needed, but everything past the engine is real: the
 * SDK's deserialisation, its unknown-value proxy, its handling of config and of levels.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies } from "./policies";
import type * as AnalyzerMessages from "@pulumi/pulumi/proto/analyzer_pb";
import type * as AnalyzerServices from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as Grpc from "@grpc/grpc-js";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";

// Load the protocol from @pulumi/pulumi's own dependencies, as the runner does.
const sdkJson = createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json");
const sdk = createRequire(sdkJson);
const analyzer = sdk("./proto/analyzer_pb") as typeof AnalyzerMessages;
const { AnalyzerClient } = sdk("./proto/analyzer_grpc_pb") as typeof AnalyzerServices;
const grpc = sdk("@grpc/grpc-js") as typeof Grpc;
const { Struct } = sdk("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;
const { Empty } = sdk("google-protobuf/google/protobuf/empty_pb") as typeof EmptyModule;

const PACK = resolve(import.meta.dirname, "..");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

let runner: ChildProcess;
let client: AnalyzerServices.AnalyzerClient;

/** Starts run-policy-pack on the pack and reads the port it prints. */
function startRunner(): Promise<number> {
  const script = resolve(dirname(sdkJson), "cmd", "run-policy-pack");
  runner = spawn(process.execPath, [script, "127.0.0.1:1", PACK], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((done, fail) => {
    let stderr = "";
    runner.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = "";
    runner.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // The analyzer prints its port on a line of its own once it serves.
      const port = /^(\d+)$/m.exec(stdout)?.[1];
      if (port) done(Number.parseInt(port, 10));
    });
    runner.once("exit", (code) => fail(new Error(`the policy runner exited with ${code}: ${stderr}`)));
  });
}

/** A unary call of the client as a promise. */
function call<Req, Res>(method: (request: Req, callback: (error: Error | null, response: Res) => void) => unknown) {
  return (request: Req) =>
    new Promise<Res>((done, fail) =>
      method.call(client, request, (error, response) => (error ? fail(error) : done(response))),
    );
}

const rpc = {
  analyze: (request: AnalyzerMessages.AnalyzeRequest) =>
    call<AnalyzerMessages.AnalyzeRequest, AnalyzerMessages.AnalyzeResponse>(client.analyze)(request),
  configure: (request: AnalyzerMessages.ConfigureAnalyzerRequest) =>
    call<AnalyzerMessages.ConfigureAnalyzerRequest, EmptyModule.Empty>(client.configure)(request),
  info: () => call<EmptyModule.Empty, AnalyzerMessages.AnalyzerInfo>(client.getAnalyzerInfo)(new Empty()),
};

async function analyze(type: string, props: Record<string, unknown>, protect = false) {
  const options = new analyzer.AnalyzerResourceOptions().setProtect(protect);
  const request = new analyzer.AnalyzeRequest()
    .setType(type)
    .setName("test")
    .setUrn(`urn:pulumi:test::evalplatform::${type}::test`)
    .setProperties(Struct.fromJavaScript(props as never))
    .setOptions(options);
  const response = await rpc.analyze(request);
  return response.getDiagnosticsList().map((diagnostic) => ({
    policy: diagnostic.getPolicyname(),
    level: LEVELS[diagnostic.getEnforcementlevel()],
    message: diagnostic.getMessage(),
  }));
}

async function configure(config: Record<string, { level: (typeof LEVELS)[number]; properties: object }>) {
  const request = new analyzer.ConfigureAnalyzerRequest();
  for (const [name, { level, properties }] of Object.entries(config)) {
    const policyConfig = new analyzer.PolicyConfig()
      .setEnforcementlevel(LEVELS.indexOf(level))
      .setProperties(Struct.fromJavaScript(properties as never));
    request.getPolicyconfigMap().set(name, policyConfig);
  }
  await rpc.configure(request);
}

beforeAll(async () => {
  const port = await startRunner();
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  runner?.kill();
});

describe("the pack under Pulumi's policy runner", () => {
  it("serves every policy under the name sovstack-scaleway", async () => {
    const info = await rpc.info();
    expect(info.getName()).toBe("sovstack-scaleway");
    expect(info.getSupportsconfig()).toBe(true);
    expect(info.getPoliciesList().map((policy) => policy.getName())).toEqual(policies.map((policy) => policy.name));
  });

  it("warns in dev and blocks in production when the environment comes from a tag", async () => {
    const instance = (environment: string) => ({
      loadBalancer: {},
      privateNetwork: { pnId: "pn" },
      encryptionAtRest: true,
      isHaCluster: true,
      backupScheduleRetention: 30,
      tags: [`environment=${environment}`, "owner=platform-team", "cost-center=eval-platform"],
    });
    const expected = (level: string) => [
      {
        policy: "database-no-public-endpoint",
        level,
        message:
          "Databases are reachable only on a private network: no load balancer (public) endpoint.\n" +
          "must not have a public endpoint: remove loadBalancer and reach the database on privateNetwork.",
      },
    ];
    expect(await analyze("scaleway:databases/instance:Instance", instance("dev"), true)).toEqual(expected("advisory"));
    const production = await analyze("scaleway:databases/instance:Instance", instance("production"), true);
    expect(production).toEqual(expected("mandatory"));
  });

  it("checks what it can of a preview's unknown values, and no more", async () => {
    const container = {
      name: "evalplatform-dev-runners",
      privacy: "private",
      httpsConnectionsOnly: true,
      cpuLimit: 560,
      memoryLimitBytes: 1_024_000_000,
      livenessProbe: { http: { path: "/health" }, interval: "10s", failureThreshold: 3, timeout: "1s" },
      privateNetworkId: UNKNOWN,
      environmentVariables: { DATABASE_HOST: UNKNOWN, DATABASE_PASSWORD: UNKNOWN },
      tags: ["environment=dev", "owner=platform-team", "cost-center=eval-platform"],
    };
    const found = await analyze("scaleway:containers/container:Container", container);
    expect(found.map((diagnostic) => diagnostic.policy)).toEqual(["secrets-no-credential-env-names"]);
  });

  it("takes the environment and the level from the config when it gives them", async () => {
    await configure({ "database-high-availability": { level: "advisory", properties: { environment: "production" } } });
    const single = { isHaCluster: false, privateNetwork: { pnId: "pn" }, tags: ["environment=dev"] };
    const found = await analyze("scaleway:databases/instance:Instance", single, true);
    expect(found.filter((diagnostic) => diagnostic.policy === "database-high-availability")).toEqual([
      expect.objectContaining({
        level: "advisory",
        message: expect.stringContaining("must run as a high-availability"),
      }),
    ]);
  });
});
