import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { describeDrift } from "./describeDrift";
import { driftFromEvents } from "./driftReport";
import { parsePropertyPath } from "./propertyPath";

const CONTAINER = "scaleway:containers/container:Container";
const urn = (type: string, name: string) => `urn:pulumi:dev::evalplatform::sovstack:stack:AppStack$${type}::${name}`;
/** The engine's shape of a secret in events: the signature key, the ciphertext withheld. */
const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

function state(type: string, name: string, outputs: Record<string, unknown>, inputs = outputs) {
  return {
    type,
    urn: urn(type, name),
    custom: true,
    id: `fr-par/${name}-id`,
    parent: "",
    inputs,
    outputs,
    provider: "",
  };
}

function step(
  op: StepEventMetadata["op"],
  name: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  extra: Partial<StepEventMetadata> = {},
): EngineEvent {
  const metadata = {
    op,
    urn: urn(CONTAINER, name),
    type: CONTAINER,
    provider: "",
    old: before && state(CONTAINER, name, before),
    new: after && state(CONTAINER, name, after),
    ...extra,
  } as StepEventMetadata;
  return { sequence: 0, timestamp: 0, resOutputsEvent: { metadata } };
}

const component: EngineEvent = {
  sequence: 0,
  timestamp: 0,
  resOutputsEvent: {
    metadata: {
      op: "same",
      urn: urn("sovstack:containers:ServerlessService", "api"),
      type: "sovstack:containers:ServerlessService",
      provider: "",
      old: { ...state("sovstack:containers:ServerlessService", "api", {}), custom: false },
    },
  },
};

describe("a drift report from the events of a refresh preview", () => {
  it("lists each changed property with its old and new values, at the leaf the engine named", () => {
    const before = { minScale: 0, environmentVariables: { LOG_LEVEL: "debug", PORT_HINT: "8080" }, __meta: "x" };
    const after = { minScale: 1, environmentVariables: { LOG_LEVEL: "info", PORT_HINT: "8080" }, __meta: "y" };
    const report = driftFromEvents("dev", [
      component,
      step("update", "evalplatform-dev-api", before, after, {
        diffs: ["environmentVariables", "minScale"],
        detailedDiff: {
          "environmentVariables.LOG_LEVEL": { diffKind: "update", inputDiff: false } as never,
          minScale: { diffKind: "update", inputDiff: false } as never,
        },
      }),
      step("same", "evalplatform-dev-ui", { minScale: 0 }, { minScale: 0 }),
    ]);
    expect(report).toMatchObject({ environment: "dev", drifted: true, resourcesChecked: 2 });
    expect(report.resources).toEqual([
      {
        urn: urn(CONTAINER, "evalplatform-dev-api"),
        type: "scaleway:containers:Container",
        name: "evalplatform-dev-api",
        id: "fr-par/evalplatform-dev-api-id",
        change: "changed",
        properties: [
          { path: "environmentVariables.LOG_LEVEL", old: "debug", new: "info" },
          { path: "minScale", old: 0, new: 1 },
        ],
      },
    ]);
  });

  it("reports resources deleted outside code", () => {
    const report = driftFromEvents("dev", [step("delete", "evalplatform-dev-docs", { minScale: 0 }, undefined)]);
    expect(report.resources).toEqual([expect.objectContaining({ name: "evalplatform-dev-docs", change: "deleted" })]);
    expect(describeDrift(report)).toContain(
      "  - scaleway:containers:Container evalplatform-dev-docs (fr-par/evalplatform-dev-docs-id)\n" +
        "      deleted outside code",
    );
  });

  it("never shows a secret: changed secrets read [secret] on both sides", () => {
    const report = driftFromEvents("dev", [
      step(
        "update",
        "evalplatform-dev-api",
        { secretEnvironmentVariables: secret, description: "a" },
        { secretEnvironmentVariables: { ...secret, ciphertext: "other" }, description: "a" },
        {
          detailedDiff: { "secretEnvironmentVariables.SESSION_KEY": { diffKind: "update", inputDiff: false } as never },
        },
      ),
    ]);
    expect(report.resources[0]?.properties).toEqual([
      { path: "secretEnvironmentVariables.SESSION_KEY", old: "[secret]", new: "[secret]" },
    ]);
    expect(JSON.stringify(report)).not.toContain("other");
  });

  it("compares the outputs itself when the provider gives no diff keys, leaving engine bookkeeping out", () => {
    const report = driftFromEvents("dev", [
      step(
        "update",
        "evalplatform-dev-api",
        { tags: ["env=dev", "owner=a"], maxScale: 2, __meta: "1" },
        { tags: ["env=dev", "owner=b"], maxScale: 2, __meta: "2" },
      ),
    ]);
    expect(report.resources[0]?.properties).toEqual([{ path: "tags[1]", old: "owner=a", new: "owner=b" }]);
  });

  it("says so when nothing drifted, and shortens long values in text only", () => {
    expect(describeDrift(driftFromEvents("dev", [step("same", "a", {}, {})]))).toBe(
      "No drift in dev: the 1 resource read from Scaleway matches the last deployment.",
    );
    const long = "x".repeat(500);
    const report = driftFromEvents("dev", [
      step("update", "a", { description: "" }, { description: long }, { diffs: ["description"] }),
    ]);
    expect(report.resources[0]?.properties[0]?.new).toBe(long);
    expect(describeDrift(report)).toMatch(/description: "" → "x{100,}…\n/);
  });
});

describe("Pulumi property paths", () => {
  it("reads dotted keys, indexes and quoted keys", () => {
    expect(parsePropertyPath('labels["app.io/name"].values[3].x')).toEqual(["labels", "app.io/name", "values", 3, "x"]);
  });
});
