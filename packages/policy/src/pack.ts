/**
 * The policy pack, as Pulumi's policy runner starts it (through ../pack.cjs). Importing
 * this file starts the analyzer's gRPC server: tests import ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT } from "./enforcement";
import { policies } from "./policies";

new PolicyPack("sovstack-scaleway", {
  description:
    "sovstack's Scaleway rules: private, encrypted, backed up, least privilege, secrets in Secret Manager, " +
    "monitored, sovereign and tagged.",
  displayName: "sovstack Scaleway policies",
  provider: "scaleway",
  enforcementLevel: DEFAULT_ENFORCEMENT,
  policies: [...policies],
});
