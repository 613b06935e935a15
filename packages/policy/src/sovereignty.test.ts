import { describe, expect, it } from "vitest";
import { messages } from "./policyHarness";
import { packageOf, regionOfZone, sovereigntyAllowedRegions, sovereigntyScalewayOnly } from "./sovereignty";

describe("sovereignty-scaleway-only", () => {
  it("passes Scaleway resources, sovstack components, the stack and the Scaleway provider", async () => {
    const resources = [
      { type: "scaleway:databases/instance:Instance" },
      { type: "scaleway:index/objectBucket:ObjectBucket" },
      { type: "sovstack:stack:AppStack" },
      { type: "pulumi:pulumi:Stack" },
      { type: "pulumi:providers:scaleway" },
      { type: "random:index/randomPassword:RandomPassword" },
    ];
    expect(await messages(sovereigntyScalewayOnly, resources)).toEqual([]);
  });

  it.each([
    ["aws:s3/bucket:Bucket", "aws"],
    ["gcp:storage/bucket:Bucket", "gcp"],
    ["azure-native:storage:StorageAccount", "azure-native"],
    ["pulumi:providers:aws", "aws"],
  ])("refuses %s", async (type, pkg) => {
    expect(await messages(sovereigntyScalewayOnly, { type })).toEqual([
      `must run on Scaleway: ${pkg} resources take data outside the sovereign perimeter; ` +
        `use the Scaleway equivalent (or add ${pkg} to allowedPackages if it keeps no data outside Scaleway).`,
    ]);
  });

  it("takes the allowed packages from the config", async () => {
    const config = { [sovereigntyScalewayOnly.name]: { allowedPackages: ["sovstack", "command"] } };
    expect(await messages(sovereigntyScalewayOnly, { type: "command:local:Command" }, { config })).toEqual([]);
    expect(
      await messages(sovereigntyScalewayOnly, { type: "random:index/randomId:RandomId" }, { config }),
    ).toHaveLength(1);
    expect(packageOf("pulumi:providers:scaleway")).toBe("scaleway");
  });
});

describe("sovereignty-allowed-regions", () => {
  it("passes regions and zones of fr-par, nl-ams and pl-waw, and resources without placement", async () => {
    const resources = [
      { type: "scaleway:databases/instance:Instance", inputs: { region: "fr-par" } },
      { type: "scaleway:network/publicGateway:PublicGateway", inputs: { zone: "nl-ams-1" } },
      { type: "scaleway:iam/application:Application", inputs: { name: "api" } },
      { type: "pulumi:providers:scaleway", inputs: { region: "pl-waw", zone: "pl-waw-2" } },
    ];
    expect(await messages(sovereigntyAllowedRegions, resources)).toEqual([]);
    expect(regionOfZone("fr-par-3")).toBe("fr-par");
  });

  it("refuses a region or zone outside the list", async () => {
    expect(
      await messages(sovereigntyAllowedRegions, {
        type: "scaleway:object/bucket:Bucket",
        inputs: { region: "it-mil" },
      }),
    ).toEqual([
      "must be placed in an allowed region (fr-par, nl-ams, pl-waw): set region in one of them (it is it-mil).",
    ]);
    expect(
      await messages(sovereigntyAllowedRegions, { type: "pulumi:providers:scaleway", inputs: { zone: "it-mil-1" } }),
    ).toEqual([
      "must be placed in an allowed region (fr-par, nl-ams, pl-waw): set zone in one of them (it is it-mil-1).",
    ]);
  });

  it("judges a resource without placement by its provider's default region", async () => {
    const bucket = {
      type: "scaleway:object/bucket:Bucket",
      inputs: { name: "assets" },
      provider: { type: "pulumi:providers:scaleway", inputs: { region: "it-mil" } },
    };
    expect(await messages(sovereigntyAllowedRegions, bucket)).toHaveLength(1);
    const config = { [sovereigntyAllowedRegions.name]: { allowedRegions: ["fr-par", "it-mil"] } };
    expect(await messages(sovereigntyAllowedRegions, bucket, { config })).toEqual([]);
  });
});
