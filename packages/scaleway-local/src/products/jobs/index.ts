import type { Product } from "../../context";
import type { ProductRoutes } from "../../http/router";
import { registerDefinitionRoutes } from "./definitions";
import { JobsModel } from "./model";
import { registerRunRoutes } from "./runs";
import { registerSecretRoutes } from "./secrets";
import { registerJobTriggerRoutes } from "./triggers";

/**
 * Serverless Jobs: job definitions (image, resources, command, cron schedule, secret
 * references), runs that go through their states without running an image, and cron
 * triggers. v1alpha2 is what the provider (scaleway.job.Definition) calls; v1alpha1 is
 * what the JavaScript SDK calls. Cron schedules are kept, not fired.
 */
export const jobs: Product = {
  name: "jobs",
  register(routes: ProductRoutes, context) {
    const model = new JobsModel(context);
    registerDefinitionRoutes(routes, model);
    registerRunRoutes(routes, model);
    registerSecretRoutes(routes, model);
    registerJobTriggerRoutes(routes, model);
  },
};
