import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { containersPolicies } from "./containers";
import { databasePolicies } from "./database";
import { iamPolicies } from "./iam";
import { monitoringPolicies } from "./monitoring";
import { networkPolicies } from "./network";
import { secretsPolicies } from "./secrets";
import { sovereigntyPolicies } from "./sovereignty";
import { storagePolicies } from "./storage";
import { tagsPolicies } from "./tags";

/** Every policy of the pack, domain by domain. */
export const policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...databasePolicies,
  ...storagePolicies,
  ...iamPolicies,
  ...secretsPolicies,
  ...containersPolicies,
  ...networkPolicies,
  ...monitoringPolicies,
  ...sovereigntyPolicies,
  ...tagsPolicies,
];
