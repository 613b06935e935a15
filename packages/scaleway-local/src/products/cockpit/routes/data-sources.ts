import { invalidArgument } from "../../../http/errors";
import { orderBy, paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import type { CockpitModels } from "../models";
import {
  enumValue,
  optionalInteger,
  optionalString,
  orderOf,
  projectIdOf,
  queryList,
  regionOf,
  requiredString,
} from "../request";
import { DATA_SOURCE_ORIGINS, DATA_SOURCE_TYPES } from "../retention";

const BASE = "/cockpit/v1/regions/:region/data-sources";
const ORDERS = ["created_at_asc", "created_at_desc", "name_asc", "name_desc", "type_asc", "type_desc"];

export function dataSourceRoutes(routes: ProductRoutes, { dataSources, exporters }: CockpitModels): void {
  routes.post(BASE, "CreateDataSource", ({ params, body }) => {
    const type = enumValue(body.type, DATA_SOURCE_TYPES, "type");
    if (!type) throw invalidArgument("type", "type is required (metrics, logs or traces)", "required");
    const record = dataSources.create({
      region: regionOf(params),
      projectId: projectIdOf(body.project_id),
      name: requiredString(body, "name"),
      type,
      retentionDays: optionalInteger(body, "retention_days"),
    });
    return { body: dataSources.view(record, false) };
  });

  routes.get(BASE, "ListDataSources", ({ params, query, queryAll }) => {
    const region = regionOf(params);
    const order = orderOf(query, ORDERS, "created_at_asc");
    const origin = enumValue(query.origin, DATA_SOURCE_ORIGINS, "origin");
    const list = dataSources.list(region, {
      ...(query.project_id ? { projectId: projectIdOf(query.project_id) } : {}),
      ...(origin ? { origin } : {}),
      types: queryList(queryAll, "types").flatMap((type) => enumValue(type, DATA_SOURCE_TYPES, "types") ?? []),
    });
    const views = orderBy(
      list.map((record) => dataSources.view(record, true)),
      order,
      "created_at_asc",
    );
    return { body: paginate(views, query, "data_sources") };
  });

  routes.get(`${BASE}/:dataSourceId`, "GetDataSource", ({ params }) => ({
    body: dataSources.view(dataSources.get(regionOf(params), params.dataSourceId!), true),
  }));

  routes.patch(`${BASE}/:dataSourceId`, "UpdateDataSource", ({ params, body }) => {
    const name = optionalString(body, "name");
    if (name === "") throw invalidArgument("name", "name cannot be empty");
    const retentionDays = optionalInteger(body, "retention_days");
    const record = dataSources.update(regionOf(params), params.dataSourceId!, {
      ...(name ? { name } : {}),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
    });
    return { body: dataSources.view(record, false) };
  });

  routes.delete(`${BASE}/:dataSourceId`, "DeleteDataSource", ({ params }) => {
    const record = dataSources.delete(regionOf(params), params.dataSourceId!);
    // Exports read from the data source; they go with it.
    exporters.deleteForDataSource(record.id);
    return { status: 204 };
  });
}
