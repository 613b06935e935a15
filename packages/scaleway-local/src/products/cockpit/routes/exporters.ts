import { orderBy, paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import type { ExporterInput } from "../exporters";
import type { CockpitModels } from "../models";
import { optionalString, orderOf, projectIdOf, regionOf, requiredString, stringList } from "../request";

const BASE = "/cockpit/v1/regions/:region/exporters";
const ORDERS = ["created_at_asc", "created_at_desc", "name_asc", "name_desc"];

function inputOf(body: Record<string, unknown>): ExporterInput {
  return {
    name: optionalString(body, "name"),
    description: optionalString(body, "description"),
    datadogDestination: body.datadog_destination ?? undefined,
    otlpDestination: body.otlp_destination ?? undefined,
    exportedProducts: body.exported_products === undefined ? undefined : stringList(body, "exported_products"),
  };
}

export function exporterRoutes(routes: ProductRoutes, { exporters, dataSources }: CockpitModels): void {
  routes.post(BASE, "CreateExporter", ({ params, body }) => {
    const region = regionOf(params);
    // The data source to export from decides the project.
    const source = dataSources.get(region, requiredString(body, "datasource_id"));
    const record = exporters.create(region, source.project_id, source.id, inputOf(body));
    return { body: exporters.view(record) };
  });

  routes.get(BASE, "ListExporters", ({ params, query }) => {
    const order = orderOf(query, ORDERS, "created_at_asc");
    const list = exporters.list(regionOf(params), {
      ...(query.project_id ? { projectId: projectIdOf(query.project_id) } : {}),
      ...(query.datasource_id ? { datasourceId: query.datasource_id } : {}),
    });
    const views = orderBy(
      list.map((record) => exporters.view(record)),
      order,
      "created_at_asc",
    );
    return { body: paginate(views, query, "exporters") };
  });

  routes.get(`${BASE}/:exporterId`, "GetExporter", ({ params }) => ({
    body: exporters.view(exporters.get(regionOf(params), params.exporterId!)),
  }));

  routes.patch(`${BASE}/:exporterId`, "UpdateExporter", ({ params, body }) => ({
    body: exporters.view(exporters.update(regionOf(params), params.exporterId!, inputOf(body))),
  }));

  routes.delete(`${BASE}/:exporterId`, "DeleteExporter", ({ params }) => {
    exporters.delete(regionOf(params), params.exporterId!);
    return { status: 204 };
  });
}
