import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { UNKNOWN, isSet, plainInputs } from "./inputs";

// The proxy @pulumi/policy wraps props in: it throws when an unknown value is read.
const { unknownCheckingProxy } = createRequire(import.meta.url)("@pulumi/policy") as {
  unknownCheckingProxy: (props: object) => Record<string, unknown>;
};
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

describe("plainInputs", () => {
  it("copies the SDK's props without reading unknown values through the proxy", () => {
    const props = unknownCheckingProxy({
      privateNetworkId: UNKNOWN_STRING,
      environmentVariables: { LOG_LEVEL: "info", DATABASE_HOST: UNKNOWN_STRING },
      livenessProbe: UNKNOWN_OBJECT,
      args: ["a", UNKNOWN_STRING],
    });
    expect(() => props.privateNetworkId).toThrow(/can't be known during preview/);
    expect(plainInputs(props)).toEqual({
      privateNetworkId: UNKNOWN,
      environmentVariables: { LOG_LEVEL: "info", DATABASE_HOST: UNKNOWN },
      livenessProbe: UNKNOWN,
      args: ["a", UNKNOWN],
    });
  });

  it("drops undefined inputs, so that absent has one meaning", () => {
    expect(plainInputs({ a: undefined, b: null, c: 0 })).toEqual({ b: null, c: 0 });
    expect(plainInputs(undefined)).toEqual({});
  });

  it("counts unknown as set, and null or empty as not", () => {
    expect([UNKNOWN, "x", 0, false, {}].map(isSet)).toEqual([true, true, true, true, true]);
    expect([undefined, null, ""].map(isSet)).toEqual([false, false, false]);
  });
});
