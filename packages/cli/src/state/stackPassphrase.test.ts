/** Which passphrase opens a stack, and what a stack moved to another backend needs to be opened there. */
import { describe, expect, it } from "vitest";
import type { Checkpoint } from "./checkpoint";
import { sealerFor } from "./passphraseSeal.testing";
import { crypterOf, LOCAL_PASSPHRASE, passphraseNoticeAfterMove } from "./stackPassphrase";

const S3 = "s3://evalplatform-state?endpoint=s3.fr-par.scw.cloud&region=fr-par";

function keptWith(passphrase: string): Checkpoint {
  const { saltState } = sealerFor(passphrase);
  return {
    version: 3,
    checkpoint: {
      stack: "organization/evalplatform/dev",
      latest: { secrets_providers: { type: "passphrase", state: { salt: saltState } }, resources: [] },
    },
  };
}

describe("a stack's passphrase", () => {
  const local = keptWith(LOCAL_PASSPHRASE);
  const own = keptWith("the-generated-one");

  it("opens with PULUMI_CONFIG_PASSPHRASE, or the public local one, and not otherwise", async () => {
    expect(await crypterOf(local, {})).toBeDefined();
    expect(await crypterOf(own, { PULUMI_CONFIG_PASSPHRASE: "the-generated-one" })).toBeDefined();
    expect(await crypterOf(own, { PULUMI_CONFIG_PASSPHRASE: "another" })).toBeUndefined();
  });

  it("after a move from file:// to a shared backend, on the local passphrase: says to keep exporting it or change it", async () => {
    const notice = await passphraseNoticeAfterMove("dev", local, S3, {});
    expect(notice).toContain("The dev stack's secrets are encrypted with the public local passphrase `sovstack-local`");
    expect(notice).toContain(
      "sovstack reads /sovstack/pulumi-passphrase-dev from Secret Manager (fr-par, project SCW_DEFAULT_PROJECT_ID) unless PULUMI_CONFIG_PASSPHRASE is set",
    );
    expect(notice).toContain("every command would fail with `incorrect passphrase`");
    expect(notice).toContain(
      "keep `export PULUMI_CONFIG_PASSPHRASE=sovstack-local` for every command on the new backend",
    );
    expect(notice).toContain("`pulumi stack change-secrets-provider`");
    expect(notice).toContain("docs/deployment.md step 6");
  });

  it("after a move with its own passphrase exported: says to keep it exported", async () => {
    const notice = await passphraseNoticeAfterMove("dev", own, S3, { PULUMI_CONFIG_PASSPHRASE: "the-generated-one" });
    expect(notice).toMatch(
      /^Keep PULUMI_CONFIG_PASSPHRASE \(the stack's current passphrase\) exported for every command/,
    );
    const unknown = await passphraseNoticeAfterMove("dev", own, "postgres://u:p@db:5432/state", {
      SCW_DEFAULT_REGION: "nl-ams",
    });
    expect(unknown).toContain("/sovstack/pulumi-passphrase-dev from Secret Manager (nl-ams,");
    expect(unknown).toContain("PULUMI_CONFIG_PASSPHRASE=<the stack's current passphrase>");
  });

  it("after a move to file://: nothing on the local passphrase, else to export the stack's", async () => {
    expect(await passphraseNoticeAfterMove("dev", local, "file://elsewhere", {})).toBe("");
    expect(await passphraseNoticeAfterMove("dev", own, "file://elsewhere", {})).toMatch(
      /^Export PULUMI_CONFIG_PASSPHRASE=<the stack's current passphrase> for every command on the new backend/,
    );
  });
});
