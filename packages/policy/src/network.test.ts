import { describe, expect, it } from "vitest";
import { networkContainersPrivateNetwork, networkDatabasePrivateNetwork, networkDedicatedVpc } from "./network";
import { messages } from "./policyHarness";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const CONTAINER = "scaleway:containers/container:Container";
const INSTANCE = "scaleway:databases/instance:Instance";
const REPLICA = "scaleway:databases/readReplica:ReadReplica";
const PRIVATE_NETWORK = "scaleway:network/privateNetwork:PrivateNetwork";

describe("network-containers-private-network", () => {
  it("passes a container on a private network, even before the network exists (preview)", async () => {
    expect(
      await messages(networkContainersPrivateNetwork, { type: CONTAINER, inputs: { privateNetworkId: "pn" } }),
    ).toEqual([]);
    expect(
      await messages(networkContainersPrivateNetwork, { type: CONTAINER, inputs: { privateNetworkId: UNKNOWN } }),
    ).toEqual([]);
  });

  it("refuses a container without one", async () => {
    expect(await messages(networkContainersPrivateNetwork, { type: CONTAINER, inputs: {} })).toEqual([
      "must be attached to a private network: set privateNetworkId to the stack's private network.",
    ]);
  });
});

describe("network-database-private-network", () => {
  it("passes an instance and a replica on a private network", async () => {
    const instance = { type: INSTANCE, inputs: { privateNetwork: { pnId: UNKNOWN, enableIpam: true } } };
    const replica = { type: REPLICA, inputs: { privateNetwork: { privateNetworkId: "pn", enableIpam: true } } };
    expect(await messages(networkDatabasePrivateNetwork, [instance, replica])).toEqual([]);
  });

  it("refuses an instance without one: it would get a public endpoint", async () => {
    expect(await messages(networkDatabasePrivateNetwork, { type: INSTANCE, inputs: { nodeType: "DB-DEV-S" } })).toEqual(
      [
        "must be attached to a private network: set privateNetwork.pnId (without it the instance gets a public endpoint).",
      ],
    );
  });

  it("refuses a replica without one", async () => {
    expect(await messages(networkDatabasePrivateNetwork, { type: REPLICA, inputs: { instanceId: "db" } })).toEqual([
      "must be attached to a private network: set privateNetwork.privateNetworkId.",
    ]);
  });
});

describe("network-dedicated-vpc", () => {
  it("passes a private network in a VPC of the stack", async () => {
    expect(await messages(networkDedicatedVpc, { type: PRIVATE_NETWORK, inputs: { vpcId: UNKNOWN } })).toEqual([]);
  });

  it("refuses one in the default VPC", async () => {
    expect(await messages(networkDedicatedVpc, { type: PRIVATE_NETWORK, inputs: { name: "pn" } })).toEqual([
      "must belong to a VPC of the stack: create a scaleway.network.Vpc and set vpcId.",
    ]);
  });
});
