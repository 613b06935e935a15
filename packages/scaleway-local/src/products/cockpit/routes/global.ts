import { invalidArgument } from "../../../http/errors";
import { orderBy, paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import { GRAFANA_ROLES } from "../grafana";
import type { CockpitModels } from "../models";
import { PLANS } from "../plans";
import { enumValue, optionalString, orderOf, projectIdOf, requiredString } from "../request";

const BASE = "/cockpit/v1";

/** Grafana user IDs are numbers in the path. */
function userIdOf(params: Readonly<Record<string, string>>): number {
  const id = Number(params.grafanaUserId);
  if (!Number.isInteger(id) || id < 1) throw invalidArgument("grafana_user_id", "must be a positive integer");
  return id;
}

export function globalRoutes(routes: ProductRoutes, { grafana, plans, dataSources }: CockpitModels): void {
  routes.get(`${BASE}/grafana`, "GetGrafana", ({ query }) => ({
    body: { grafana_url: grafana.url(projectIdOf(query.project_id)) },
  }));

  routes.post(`${BASE}/grafana/sync-data-sources`, "SyncGrafanaDataSources", ({ body }) => {
    dataSources.synchronize(projectIdOf(body.project_id));
    return { status: 204 };
  });

  routes.post(`${BASE}/grafana/users`, "CreateGrafanaUser", ({ body }) => {
    const role = enumValue(body.role, GRAFANA_ROLES, "role");
    if (!role) throw invalidArgument("role", "role is required (editor or viewer)", "required");
    const { user, password } = grafana.createUser(projectIdOf(body.project_id), requiredString(body, "login"), role);
    return { body: grafana.userView(user, password) };
  });

  routes.get(`${BASE}/grafana/users`, "ListGrafanaUsers", ({ query }) => {
    const order = orderOf(query, ["login_asc", "login_desc"], "login_asc");
    const users = grafana.listUsers(projectIdOf(query.project_id)).map((user) => grafana.userView(user));
    return { body: paginate(orderBy(users, order, "login_asc"), query, "grafana_users") };
  });

  routes.delete(`${BASE}/grafana/users/:grafanaUserId`, "DeleteGrafanaUser", ({ params, query }) => {
    grafana.deleteUser(projectIdOf(query.project_id), userIdOf(params));
    return { status: 204 };
  });

  routes.post(`${BASE}/grafana/users/:grafanaUserId/reset-password`, "ResetGrafanaUserPassword", ({ params, body }) => {
    const { user, password } = grafana.resetPassword(projectIdOf(body.project_id), userIdOf(params));
    return { body: grafana.userView(user, password) };
  });

  routes.get(`${BASE}/plans`, "ListPlans", ({ query }) => {
    const order = orderOf(query, ["name_asc", "name_desc"], "name_asc");
    return {
      body: paginate(orderBy([...PLANS] as unknown as Record<string, unknown>[], order, "name_asc"), query, "plans"),
    };
  });

  routes.patch(`${BASE}/plans`, "SelectPlan", ({ body }) => ({
    body: plans.select(projectIdOf(body.project_id), optionalString(body, "plan_name")),
  }));

  routes.get(`${BASE}/current-plan`, "GetCurrentPlan", ({ query }) => ({
    body: plans.current(projectIdOf(query.project_id)),
  }));
}
