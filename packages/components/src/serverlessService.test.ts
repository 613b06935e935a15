import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { planProgram } from "./plan";
import { ServerlessService, type ServerlessServiceArgs } from "./serverlessService";
import { ofType, single } from "./testSupport";

const CONTAINER = "scaleway:containers/container:Container";

const plan = (args: Partial<ServerlessServiceArgs> = {}) =>
  planProgram(
    (opts) => {
      const service = new ServerlessService(
        "api",
        { region: "fr-par", image: "rg.fr-par.scw.cloud/team/api:1", ...args },
        opts,
      );
      return { endpoint: service.endpoint };
    },
    { project: "test", stack: "dev" },
  );

describe("ServerlessService", () => {
  it("is private, HTTPS only and health-checked by default", async () => {
    const { resources } = await plan();
    const container = single(resources, CONTAINER);
    expect(container.inputs).toMatchObject({
      privacy: "private",
      httpsConnectionsOnly: true,
      port: 8080,
      minScale: 0,
      maxScale: 5,
      cpuLimit: 280,
      memoryLimitBytes: 512_000_000,
      livenessProbe: { http: { path: "/health" }, interval: "10s", failureThreshold: 3 },
    });
    expect(single(resources, "scaleway:containers/namespace:Namespace").inputs.name).toBe("api");
  });

  it("passes sizing, scaling and the private network through", async () => {
    const { resources } = await plan({
      cpuMilli: 1120,
      memoryMb: 2048,
      minScale: 2,
      maxScale: 10,
      concurrency: 40,
      privateNetworkId: "pn-1",
      privacy: "public",
    });
    expect(single(resources, CONTAINER).inputs).toMatchObject({
      cpuLimit: 1120,
      memoryLimitBytes: 2_048_000_000,
      minScale: 2,
      maxScale: 10,
      scalingOptions: [{ concurrentRequestsThreshold: 40 }],
      privateNetworkId: "pn-1",
      privacy: "public",
    });
  });

  it("sends secret environment variables as secrets only", async () => {
    const { resources } = await plan({ env: { LOG_LEVEL: "info" }, secretEnv: { TOKEN: pulumi.secret("s3cr3t") } });
    const container = single(resources, CONTAINER);
    expect(container.secretInputs).toContain("secretEnvironmentVariables");
    expect(container.secretInputs).not.toContain("environmentVariables");
    expect(container.inputs.environmentVariables).toEqual({ LOG_LEVEL: "info" });
  });

  it("adds a custom domain and uses it as endpoint", async () => {
    const { resources, outputs } = await plan({ privacy: "public", customDomain: "api.example.com" });
    expect(single(resources, "scaleway:containers/domain:Domain").inputs.hostname).toBe("api.example.com");
    await new Promise<void>((resolve) =>
      outputs.endpoint.apply((e) => (expect(e).toBe("https://api.example.com"), resolve())),
    );
  });

  it("reports every invalid limit at once and creates nothing", async () => {
    const error = await plan({ cpuMilli: 5000, memoryMb: 100000, port: 9091, minScale: 6, maxScale: 3 }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/ServerlessService api: 4 invalid arguments; nothing was created/);
    expect(message).toMatch(/cpuMilli: 5000 is not valid. Allowed: a whole number from 100 to 4000 mCPU/);
    expect(message).toMatch(/memoryMb: 100000 .* 128 to 8192 MB/);
    expect(message).toMatch(/port: 9091/);
    expect(message).toMatch(/minScale: 6 .* at most maxScale \(3\)/);
  });

  it("creates nothing for invalid input", async () => {
    const { resources } = await planProgram(
      (opts) => {
        try {
          new ServerlessService("bad", { region: "fr-par", image: "x/y:1", memoryMb: 1 }, opts);
        } catch {
          // expected
        }
        return {};
      },
      { project: "test", stack: "dev" },
    );
    expect(ofType(resources, CONTAINER)).toHaveLength(0);
    expect(ofType(resources, "scaleway:containers/namespace:Namespace")).toHaveLength(0);
  });

  it("parents the namespace and the container to itself", async () => {
    const { resources } = await plan();
    for (const resource of resources.filter((r) => r.type.startsWith("scaleway:"))) {
      expect(resource.parentUrn).toMatch(/sovstack:containers:ServerlessService::api$/);
    }
  });
});
