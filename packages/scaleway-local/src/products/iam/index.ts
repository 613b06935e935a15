import type { LocalContext, Product } from "../../context";
import { ApiKeys, apiKeyRoutes, ownerKeyOf } from "./api-keys";
import { Applications, applicationRoutes } from "./applications";
import { Groups, groupRoutes } from "./groups";
import { permissionSetRoutes } from "./permission-sets";
import { Policies, policyRoutes } from "./policies";
import { Saml, samlRoutes } from "./saml";
import { Scim, scimRoutes } from "./scim";
import { SshKeys, sshKeyRoutes } from "./ssh-keys";
import { IamState } from "./state";
import { ownerOf, Users, userRoutes } from "./users";

export { LOCAL_OWNER_USER_ID } from "./users";
export { LOCAL_OWNER_ACCESS_KEY } from "./api-keys";
export { PERMISSION_SETS } from "./permission-sets";

/**
 * IAM API v1alpha1: applications, API keys, groups, policies and their rules, the permission
 * set catalogue, users (the organisation's owner at least), SSH keys, SAML and SCIM.
 */
export const iam: Product = {
  name: "iam",
  register(routes, context: LocalContext) {
    const state = new IamState(context.store, context.organizationId, context.defaultProjectId);
    ownerOf(state);
    ownerKeyOf(state);
    applicationRoutes(routes, new Applications(state));
    apiKeyRoutes(routes, new ApiKeys(state));
    groupRoutes(routes, new Groups(state));
    policyRoutes(routes, new Policies(state));
    permissionSetRoutes(routes);
    userRoutes(routes, new Users(state));
    sshKeyRoutes(routes, new SshKeys(state));
    samlRoutes(routes, new Saml(state));
    scimRoutes(routes, new Scim(state));
  },
};
