import { resourcePolicy } from "./definePolicy";
import { asRecord, isSet, isUnknown } from "./inputs";
import { isOfType, types } from "./resourceTypes";

export const networkContainersPrivateNetwork = resourcePolicy({
  name: "network-containers-private-network",
  domain: "network",
  description: "Serverless containers are attached to a private network, where they reach the database.",
  appliesTo: types.container,
  validate: ({ resource, report }) => {
    if (!isSet(resource.inputs.privateNetworkId)) {
      report("must be attached to a private network: set privateNetworkId to the stack's private network.");
    }
  },
});

export const networkDatabasePrivateNetwork = resourcePolicy({
  name: "network-database-private-network",
  domain: "network",
  description: "Database instances and read replicas are attached to a private network.",
  appliesTo: [...types.databaseInstance, ...types.databaseReadReplica],
  validate: ({ resource, report }) => {
    const instance = isOfType(resource.type, "databaseInstance");
    const endpoint = resource.inputs.privateNetwork;
    if (isUnknown(endpoint)) return;
    const networkId = asRecord(endpoint)?.[instance ? "pnId" : "privateNetworkId"];
    if (!isSet(networkId)) {
      // Without any endpoint, Managed Databases gives an instance a public one.
      report(
        instance
          ? "must be attached to a private network: set privateNetwork.pnId (without it the instance gets a public endpoint)."
          : "must be attached to a private network: set privateNetwork.privateNetworkId.",
      );
    }
  },
});

export const networkDedicatedVpc = resourcePolicy({
  name: "network-dedicated-vpc",
  domain: "network",
  description: "Private networks belong to a VPC of the stack, not to the project's default VPC.",
  appliesTo: types.privateNetwork,
  validate: ({ resource, report }) => {
    if (!isSet(resource.inputs.vpcId)) {
      report("must belong to a VPC of the stack: create a scaleway.network.Vpc and set vpcId.");
    }
  },
});

export const networkPolicies = [networkContainersPrivateNetwork, networkDatabasePrivateNetwork, networkDedicatedVpc];
