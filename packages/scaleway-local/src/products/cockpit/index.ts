import type { LocalContext, Product } from "../../context";
import { cockpitModels } from "./models";
import { COCKPIT_HOSTS, pushHandler } from "./push/ingest";
import { alertingRoutes } from "./routes/alerting";
import { catalogueRoutes } from "./routes/catalogue";
import { dataSourceRoutes } from "./routes/data-sources";
import { exporterRoutes } from "./routes/exporters";
import { globalRoutes } from "./routes/global";
import { tokenRoutes } from "./routes/tokens";

/**
 * Cockpit API v1: data sources, tokens, data exports, the Alert manager with its contact
 * points and preconfigured alert rules, Grafana users and plans; and the push endpoints of
 * the data sources, reached through the HTTPS proxy, which count what they receive.
 */
export const cockpit: Product = {
  name: "cockpit",
  register(routes, context: LocalContext) {
    const models = cockpitModels(context);
    // Scaleway products write to these in every project that uses them; the default project stands for that.
    models.dataSources.ensureScalewaySources(context.defaultProjectId);

    dataSourceRoutes(routes, models);
    tokenRoutes(routes, models);
    exporterRoutes(routes, models);
    alertingRoutes(routes, models);
    globalRoutes(routes, models);
    catalogueRoutes(routes, models);
    context.hosts.register(COCKPIT_HOSTS, pushHandler(models.dataSources, models.tokens));
  },
};
