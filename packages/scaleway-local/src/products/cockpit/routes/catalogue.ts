import { invalidArgument } from "../../../http/errors";
import { orderBy, paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import type { DataSourceRecord } from "../data-sources";
import type { CockpitModels } from "../models";
import { PRODUCTS } from "../products-catalogue";
import { orderOf, projectIdOf, regionOf, type Region } from "../request";
import { configView, type DataSourceOrigin, type DataSourceType } from "../retention";
import { usageOverInterval } from "../usage";

const BASE = "/cockpit/v1/regions/:region";
const THIRTY_DAYS = 30 * 86_400;

/** Durations the API takes as `<seconds>s`. */
function secondsOf(value: string | undefined): number {
  if (!value) return THIRTY_DAYS;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  if (!match) throw invalidArgument("interval", "interval must be a duration such as 3600s");
  return Number(match[1]);
}

export function catalogueRoutes(routes: ProductRoutes, { dataSources }: CockpitModels): void {
  routes.get(`${BASE}/products`, "ListProducts", ({ params, query }) => {
    regionOf(params);
    const order = orderOf(query, ["created_at_asc", "display_name_asc", "display_name_desc"], "created_at_asc");
    const list = [...PRODUCTS] as unknown as Record<string, unknown>[];
    // The catalogue has no dates: its own order stands for creation order.
    const sorted = order === "created_at_asc" ? list : orderBy(list, order, order);
    return { body: paginate(sorted, query, "products_list") };
  });

  routes.get(`${BASE}/config`, "GetConfig", ({ params }) => {
    regionOf(params);
    return { body: configView() };
  });

  routes.get(`${BASE}/usage-overview`, "GetUsageOverview", ({ params, query }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(query.project_id)];
    const seconds = secondsOf(query.interval);
    const sources = dataSources.list(region, { projectId });
    const usage = (origin: DataSourceOrigin, type: DataSourceType) =>
      usageOf(
        sources.filter(
          (s) => (origin === "scaleway" ? s.origin === "scaleway" : s.origin !== "scaleway") && s.type === type,
        ),
        { region, projectId, origin, type, seconds },
      );
    return {
      body: {
        scaleway_metrics_usage: usage("scaleway", "metrics"),
        scaleway_logs_usage: usage("scaleway", "logs"),
        external_metrics_usage: usage("external", "metrics"),
        external_logs_usage: usage("external", "logs"),
        external_traces_usage: usage("external", "traces"),
      },
    };
  });
}

function usageOf(
  sources: DataSourceRecord[],
  at: { region: Region; projectId: string; origin: DataSourceOrigin; type: DataSourceType; seconds: number },
): Record<string, unknown> {
  return {
    // One data source is named; a sum over several is not.
    data_source_id: sources.length === 1 ? sources[0]!.id : null,
    project_id: at.projectId,
    data_source_origin: at.origin,
    data_source_type: at.type,
    unit: at.type === "metrics" ? "samples" : "bytes",
    interval: `${at.seconds}s`,
    quantity_over_interval: sources.reduce((sum, s) => sum + usageOverInterval(s._usage, at.seconds), 0),
    region: at.region,
  };
}
