import type { Product } from "../../context";
import type { ProductRoutes } from "../../http/router";
import { registerContainerRoutes } from "./containers";
import { registerCronRoutes } from "./crons";
import { registerDomainRoutes } from "./domains";
import { endpointHandler, ENDPOINT_HOSTS } from "./endpoint";
import { ContainersModel } from "./model";
import { registerNamespaceRoutes } from "./namespaces";
import { registerTokenRoutes } from "./tokens";
import { registerTriggerRoutes } from "./triggers";
import { hashSecretsOf } from "./secretHashes";
import { registerV1beta1Routes } from "./v1beta1";
import { checkRegion } from "./values";

/**
 * Serverless Containers: the v1 API the provider calls (namespaces, containers,
 * redeploy, domains, triggers), the v1beta1 one older clients call (with tokens and
 * crons), and each container's public endpoint through the HTTPS proxy.
 */
export const containers: Product = {
  name: "containers",
  register(plainRoutes: ProductRoutes, context) {
    const model = new ContainersModel(context);
    const routes = plainRoutes.before(hashSecretsOf);
    routes.get("/containers/v1/regions/:region", "GetServiceInfo", ({ params }) => ({
      body: {
        name: "containers",
        description: `Serverless Containers of the local Scaleway (${checkRegion(params.region)})`,
        version: "v1",
        documentation_url: "https://www.scaleway.com/en/developers/api/serverless-containers/",
      },
    }));
    registerNamespaceRoutes(routes, model);
    registerContainerRoutes(routes, model);
    registerTriggerRoutes(routes, model);
    registerDomainRoutes(routes, model);
    registerV1beta1Routes(routes, model);
    registerTokenRoutes(routes, model);
    registerCronRoutes(routes, model);
    context.hosts.register(ENDPOINT_HOSTS, endpointHandler(model));
  },
};
