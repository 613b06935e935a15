/** `state verify` on states an interrupted deployment left: pending operations named for people. */
import { describe, expect, it } from "vitest";
import { verifyCheckpoint } from "./verify";

const STACK = "urn:pulumi:dev::evalplatform::pulumi:pulumi:Stack::evalplatform-dev";
const API = `urn:pulumi:dev::evalplatform::sovstack:index:AppStack$scaleway:containers/container:Container::evalplatform-dev-api`;
const DB = "urn:pulumi:dev::evalplatform::scaleway:databases/instance:Instance::evalplatform-dev-db";

const withPending = (pending: unknown[]) =>
  Buffer.from(
    JSON.stringify({
      version: 3,
      checkpoint: {
        stack: "organization/evalplatform/dev",
        latest: { resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }], pending_operations: pending },
      },
    }),
  );

describe("state verify with pending operations", () => {
  it("warns of a pending update by short type and name, keeping the URN for --json", () => {
    const report = verifyCheckpoint(
      withPending([{ type: "updating", resource: { urn: API, type: "scaleway:containers/container:Container" } }]),
      "dev",
    );
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([
      {
        severity: "warning",
        message:
          "an interrupted deployment left a pending update of scaleway:containers:Container evalplatform-dev-api; the next up resolves it",
        pending: { operation: "update", urn: API },
      },
    ]);
  });

  it("warns of a pending create with the URN its fix needs, and that up refuses to run over it", () => {
    const [problem] = verifyCheckpoint(withPending([{ type: "creating", resource: { urn: DB } }]), "dev").problems;
    expect(problem).toMatchObject({ severity: "warning", pending: { operation: "create", urn: DB } });
    expect(problem!.message).toBe(
      `a stopped deployment left a pending create of scaleway:databases:Instance evalplatform-dev-db (${DB}): it may exist ` +
        "in Scaleway without being recorded, and up refuses to run until it is imported or cleared (docs/runbooks/stuck-lock.md, step 5)",
    );
  });
});
