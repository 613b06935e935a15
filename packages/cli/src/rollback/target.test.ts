/** Which deployment a rollback returns to, and what it says when there is none. */
import { describe, expect, it } from "vitest";
import type { StateVersion } from "../state/history";
import { UsageError } from "../usageError";
import { rollbackTarget } from "./target";

const version = (number: number, kind: string, result: string, commit?: string): StateVersion => ({
  version: number,
  kind,
  result,
  commit,
  startTime: "2026-05-01T00:00:00.000Z",
  changes: {},
  historyKey: `h${number}`,
  checkpointKey: `c${number}`,
});

describe("the rollback target", () => {
  it("is the last successful deployment of other code", () => {
    const versions = [version(1, "update", "succeeded", "aaaa1111"), version(2, "update", "succeeded", "bbbb2222")];
    expect(rollbackTarget(versions, "dev")).toMatchObject({ commit: "aaaa1111", version: { version: 1 } });
  });

  it("without any successful deployment, points at the backend rather than --to", () => {
    const refused = () => rollbackTarget([version(1, "update", "failed", "aaaa1111")], "dev");
    expect(refused).toThrow(UsageError);
    expect(refused).toThrow(
      /^dev has no successful deployment in its history \(1 version\(s\)\), so there is nothing to roll back to\. Fix: check --backend \/ SOVSTACK_BACKEND_URL/,
    );
  });

  it("with every deployment of one commit, says which and asks for --to", () => {
    const versions = [version(1, "update", "succeeded", "aaaa1111"), version(2, "update", "succeeded", "aaaa1111")];
    expect(() => rollbackTarget(versions, "dev")).toThrow(
      /its 2 successful deployment\(s\) were all of commit aaaa1111\. Fix: name a version or commit with --to <version\|commit>/,
    );
  });
});
