import { orderBy, paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import type { CockpitModels } from "../models";
import { enumValue, orderOf, projectIdOf, queryList, regionOf, requiredString, stringList } from "../request";
import { TOKEN_SCOPES } from "../tokens";

const BASE = "/cockpit/v1/regions/:region/tokens";
const ORDERS = ["created_at_asc", "created_at_desc", "name_asc", "name_desc"];

export function tokenRoutes(routes: ProductRoutes, { tokens }: CockpitModels): void {
  routes.post(BASE, "CreateToken", ({ params, body }) => {
    const scopes = stringList(body, "token_scopes").flatMap((scope) => {
      const value = enumValue(scope, TOKEN_SCOPES, "token_scopes");
      return value ? [value] : [];
    });
    const record = tokens.create({
      region: regionOf(params),
      projectId: projectIdOf(body.project_id),
      name: requiredString(body, "name"),
      scopes,
    });
    // The secret key is shown once, now.
    return { body: tokens.view(record, true) };
  });

  routes.get(BASE, "ListTokens", ({ params, query, queryAll }) => {
    const order = orderOf(query, ORDERS, "created_at_asc");
    const list = tokens.list(regionOf(params), {
      ...(query.project_id ? { projectId: projectIdOf(query.project_id) } : {}),
      scopes: queryList(queryAll, "token_scopes").flatMap(
        (scope) => enumValue(scope, TOKEN_SCOPES, "token_scopes") ?? [],
      ),
    });
    const views = orderBy(
      list.map((record) => tokens.view(record, false)),
      order,
      "created_at_asc",
    );
    return { body: paginate(views, query, "tokens") };
  });

  routes.get(`${BASE}/:tokenId`, "GetToken", ({ params }) => ({
    body: tokens.view(tokens.get(regionOf(params), params.tokenId!), false),
  }));

  routes.delete(`${BASE}/:tokenId`, "DeleteToken", ({ params }) => {
    tokens.delete(regionOf(params), params.tokenId!);
    return { status: 204 };
  });
}
