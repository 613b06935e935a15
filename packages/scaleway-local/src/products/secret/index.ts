import type { LocalContext, Product } from "../../context";
import { Secrets, secretRoutes } from "./secrets";
import { SecretState } from "./state";
import { Versions, versionRoutes } from "./versions";

/**
 * Secret Manager API v1beta1: secrets (typed, filed under paths, protectable, ephemeral)
 * and their versions, whose payloads are kept as given and answered base64.
 */
export const secret: Product = {
  name: "secret",
  register(routes, context: LocalContext) {
    const state = new SecretState(context.store, context.defaultProjectId);
    const secrets = new Secrets(state);
    secretRoutes(routes, secrets);
    versionRoutes(routes, new Versions(state, secrets));
  },
};
