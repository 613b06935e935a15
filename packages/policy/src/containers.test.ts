import { describe, expect, it } from "vitest";
import {
  containersHealthCheck,
  containersHttpsOnly,
  containersPrivateUnlessListed,
  containersResourceLimits,
  isListedService,
  serviceOf,
} from "./containers";
import { messages, type TestResource } from "./policyHarness";

const CONTAINER = "scaleway:containers/container:Container";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A container as sovstack's ServerlessService writes it. */
const container = (inputs: Record<string, unknown> = {}): TestResource => ({
  type: CONTAINER,
  name: "evalplatform-dev-runners",
  inputs: {
    name: "evalplatform-dev-runners",
    namespaceId: "ns-1",
    image: "rg.fr-par.scw.cloud/evalplatform/runner:1.4.2",
    cpuLimit: 560,
    memoryLimitBytes: 1_024_000_000,
    privacy: "private",
    httpsConnectionsOnly: true,
    livenessProbe: { http: { path: "/health" }, interval: "10s", failureThreshold: 3, timeout: "1s" },
    privateNetworkId: "fr-par/pn-1",
    ...inputs,
  },
});
const listed = { config: { [containersPrivateUnlessListed.name]: { publicServices: ["api", "ui", "docs"] } } };

describe("containers-https-only", () => {
  it("passes HTTPS only, and the deprecated httpOption redirected", async () => {
    expect(await messages(containersHttpsOnly, container())).toEqual([]);
    expect(
      await messages(containersHttpsOnly, container({ httpsConnectionsOnly: undefined, httpOption: "redirected" })),
    ).toEqual([]);
  });

  it.each([false, undefined])("refuses httpsConnectionsOnly: %s", async (value) => {
    expect(await messages(containersHttpsOnly, container({ httpsConnectionsOnly: value }))).toEqual([
      "must accept HTTPS only: set httpsConnectionsOnly: true.",
    ]);
  });
});

describe("containers-private-unless-listed", () => {
  it("passes a private container and a listed public one", async () => {
    expect(await messages(containersPrivateUnlessListed, container(), listed)).toEqual([]);
    const api = container({ name: "evalplatform-dev-api", privacy: "public" });
    expect(await messages(containersPrivateUnlessListed, api, listed)).toEqual([]);
  });

  it("refuses a public container that is not listed, privacy unset meaning public", async () => {
    const expected = [
      'must be private: set privacy: "private", or, if it is meant to face the internet, add "runners" ' +
        "to publicServices in packages/policy/src/packConfig.ts, then run `npm run config -w @sovstack/policy` (a stack made by `sovstack init`: in its packages/policy/config/<stack>.json).",
    ];
    expect(await messages(containersPrivateUnlessListed, container({ privacy: "public" }), listed)).toEqual(expected);
    expect(await messages(containersPrivateUnlessListed, container({ privacy: undefined }), listed)).toEqual(expected);
  });

  it("lists nothing by default", async () => {
    expect(await messages(containersPrivateUnlessListed, container({ name: "api", privacy: "public" }))).toHaveLength(
      1,
    );
  });

  it("matches a service by name or by sovstack's <prefix>-<environment>-<service>, nothing looser", () => {
    expect(isListedService("api", ["api"])).toBe(true);
    expect(isListedService("evalplatform-production-api", ["api"])).toBe(true);
    expect(isListedService("evalplatform-dev-internal-api", ["api"])).toBe(false);
    expect(isListedService("evalplatform-dev-internal-api", ["internal-api"])).toBe(true);
    expect(serviceOf("evalplatform-staging-internal-api")).toBe("internal-api");
  });
});

describe("containers-resource-limits", () => {
  it("passes CPU and memory limits, memoryLimit (MB) too", async () => {
    expect(await messages(containersResourceLimits, container())).toEqual([]);
    expect(
      await messages(containersResourceLimits, container({ memoryLimitBytes: undefined, memoryLimit: 1024 })),
    ).toEqual([]);
  });

  it("refuses a container without limits, naming each", async () => {
    expect(await messages(containersResourceLimits, container({ memoryLimitBytes: undefined }))).toEqual([
      "must set its resource limits: set memoryLimitBytes.",
    ]);
    expect(
      await messages(containersResourceLimits, container({ memoryLimitBytes: undefined, cpuLimit: undefined })),
    ).toEqual(["must set its resource limits: set cpuLimit and memoryLimitBytes."]);
  });
});

describe("containers-health-check", () => {
  it("passes a liveness probe, or the deprecated healthChecks", async () => {
    expect(await messages(containersHealthCheck, container())).toEqual([]);
    const legacy = container({ livenessProbe: undefined, healthChecks: [{ https: [{ path: "/health" }] }] });
    expect(await messages(containersHealthCheck, legacy)).toEqual([]);
    expect(await messages(containersHealthCheck, container({ livenessProbe: UNKNOWN }))).toEqual([]);
  });

  it("refuses a container without a health check", async () => {
    expect(await messages(containersHealthCheck, container({ livenessProbe: undefined, healthChecks: [] }))).toEqual([
      'must have a health check: set livenessProbe, e.g. { http: { path: "/health" }, interval: "10s" }.',
    ]);
  });
});
