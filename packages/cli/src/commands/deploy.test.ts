import { describe, expect, it } from "vitest";
import { afterDestroy } from "./deploy";

describe("afterDestroy: what a destroy leaves, and how to remove the stack", () => {
  it("on a local backend: the exact pulumi command, keeping the stack file, with the local passphrase", () => {
    const text = afterDestroy("dev", "file:///srv/state", "the local default, sovstack-local");
    expect(text).toMatch(
      /^Every resource of dev is deleted\. The dev stack, with its history, stays in file:\/\/\/srv\/state: /,
    );
    expect(text).toContain("`sovstack state history dev` lists it, `sovstack up dev` deploys it again.");
    expect(text).toContain("from infra/, with the toolchain's pulumi on PATH");
    expect(text).toContain(
      "\n  PULUMI_BACKEND_URL='file:///srv/state' PULUMI_CONFIG_PASSPHRASE='sovstack-local' pulumi stack rm dev --preserve-config --yes\n",
    );
  });

  it("on the state bucket: the passphrase from Secret Manager and the engine's S3 credentials", () => {
    const url = "s3://acme-state?endpoint=s3.fr-par.scw.cloud&region=fr-par";
    const text = afterDestroy("staging", url, "Secret Manager /sovstack/pulumi-passphrase-staging");
    expect(text).toContain(
      `  PULUMI_BACKEND_URL='${url}' PULUMI_CONFIG_PASSPHRASE='<the value of Secret Manager /sovstack/pulumi-passphrase-staging>' ` +
        'AWS_ACCESS_KEY_ID="$SCW_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SCW_SECRET_KEY" pulumi stack rm staging --preserve-config --yes',
    );
  });

  it("never prints a backend's password, and leaves an exported passphrase as it is", () => {
    const text = afterDestroy("production", "postgres://sovstack:hunter2@db:5432/state", "PULUMI_CONFIG_PASSPHRASE");
    expect(text).not.toContain("hunter2");
    expect(text).toContain("  PULUMI_BACKEND_URL='postgres://sovstack:***@db:5432/state' pulumi stack rm production");
    expect(text).toMatch(
      /put the backend's password back in place of \*\*\*; PULUMI_CONFIG_PASSPHRASE as exported now\)\.$/,
    );
  });
});
