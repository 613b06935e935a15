import { describe, expect, it } from "vitest";
import { planProgram } from "./plan";
import { PrivateNetwork } from "./privateNetwork";
import { single } from "./testSupport";

describe("PrivateNetwork", () => {
  it("creates a VPC and a regional private network inside it, parented to itself", async () => {
    const { resources } = await planProgram(
      (opts) => new PrivateNetwork("net", { region: "nl-ams", tags: ["environment=dev"] }, opts),
      { project: "test", stack: "dev" },
    );
    const vpc = single(resources, "scaleway:network/vpc:Vpc");
    const pn = single(resources, "scaleway:network/privateNetwork:PrivateNetwork");
    expect(vpc.inputs).toMatchObject({ region: "nl-ams", tags: ["environment=dev"] });
    expect(pn.inputs).toMatchObject({ region: "nl-ams", vpcId: "net-vpc-id" });
    expect(pn.parentUrn).toMatch(/sovstack:network:PrivateNetwork::net$/);
  });

  it("refuses a region outside the allowed ones", async () => {
    await expect(
      planProgram((opts) => new PrivateNetwork("net", { region: "us-east-1" as "fr-par" }, opts), {
        project: "t",
        stack: "d",
      }),
    ).rejects.toThrow(/region: "us-east-1" is not valid. Allowed: one of fr-par, nl-ams, pl-waw/);
  });
});
