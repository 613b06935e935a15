import { paginate } from "../../../http/pagination";
import type { ProductRoutes } from "../../../http/router";
import { ALERT_STATES, RULE_STATUSES } from "../alert-rules";
import { ContactPoints } from "../contact-points";
import type { CockpitModels } from "../models";
import { enumValue, optionalBoolean, projectIdOf, regionOf, stringList } from "../request";

const BASE = "/cockpit/v1/regions/:region";

export function alertingRoutes(routes: ProductRoutes, models: CockpitModels): void {
  const { alertManagers, alertRules, contactPoints, dataSources } = models;

  routes.get(`${BASE}/alert-manager`, "GetAlertManager", ({ params, query }) => ({
    body: alertManagers.view(regionOf(params), projectIdOf(query.project_id)),
  }));

  routes.post(`${BASE}/alert-manager/enable`, "EnableAlertManager", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    alertManagers.enable(region, projectId);
    return { body: alertManagers.view(region, projectId) };
  });

  routes.post(`${BASE}/alert-manager/disable`, "DisableAlertManager", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    alertManagers.disable(region, projectId);
    return { body: alertManagers.view(region, projectId) };
  });

  routes.post(`${BASE}/alert-manager/managed-alerts/enable`, "EnableManagedAlerts", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    alertManagers.enableManagedAlerts(region, projectId);
    return { body: alertManagers.view(region, projectId) };
  });

  routes.post(`${BASE}/alert-manager/managed-alerts/disable`, "DisableManagedAlerts", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    alertManagers.disableManagedAlerts(region, projectId);
    return { body: alertManagers.view(region, projectId) };
  });

  routes.post(`${BASE}/alert-manager/enable-alert-rules`, "EnableAlertRules", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    const ids = alertRules.checkIds(stringList(body, "rule_ids"));
    alertManagers.requireEnabled(region, projectId);
    alertRules.enable(region, projectId, ids);
    return { body: { enabled_rule_ids: ids } };
  });

  routes.post(`${BASE}/alert-manager/disable-alert-rules`, "DisableAlertRules", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    const ids = alertRules.checkIds(stringList(body, "rule_ids"));
    alertManagers.requireEnabled(region, projectId);
    alertRules.disable(region, projectId, ids);
    return { body: { disabled_rule_ids: ids } };
  });

  routes.post(`${BASE}/alert-manager/trigger-test-alert`, "TriggerTestAlert", ({ params, body }) => {
    alertManagers.triggerTestAlert(regionOf(params), projectIdOf(body.project_id));
    return { status: 204 };
  });

  routes.post(`${BASE}/alert-manager/contact-points`, "CreateContactPoint", ({ params, body }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(body.project_id)];
    const email = ContactPoints.emailOf(body);
    alertManagers.requireEnabled(region, projectId);
    const record = contactPoints.create(
      region,
      projectId,
      email,
      optionalBoolean(body, "send_resolved_notifications") ?? true,
    );
    return { body: contactPoints.view(record) };
  });

  routes.get(`${BASE}/alert-manager/contact-points`, "ListContactPoints", ({ params, query }) => {
    const list = contactPoints.list(regionOf(params), projectIdOf(query.project_id));
    return {
      body: {
        ...paginate(
          list.map((record) => contactPoints.view(record)),
          query,
          "contact_points",
        ),
        // Receivers and contact points made in Grafana are not modelled locally.
        has_additional_receivers: false,
        has_additional_contact_points: false,
      },
    };
  });

  routes.patch(`${BASE}/alert-manager/contact-points`, "UpdateContactPoint", ({ params, body }) => {
    const record = contactPoints.update(
      regionOf(params),
      projectIdOf(body.project_id),
      ContactPoints.emailOf(body),
      optionalBoolean(body, "send_resolved_notifications"),
    );
    return { body: contactPoints.view(record) };
  });

  routes.post(`${BASE}/alert-manager/contact-points/delete`, "DeleteContactPoint", ({ params, body }) => {
    contactPoints.delete(regionOf(params), projectIdOf(body.project_id), ContactPoints.emailOf(body));
    return { status: 204 };
  });

  routes.get(`${BASE}/alerts`, "ListAlerts", ({ params, query }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(query.project_id)];
    const status = enumValue(query.rule_status, RULE_STATUSES, "rule_status");
    const state = enumValue(query.state, ALERT_STATES, "state");
    // Preconfigured rules run on the project's Scaleway metrics; another data source has no managed rules.
    const source = query.data_source_id ? dataSources.get(region, query.data_source_id) : undefined;
    const alerts =
      source && source.origin !== "scaleway"
        ? []
        : alertRules.list(region, projectId, {
            ...(status ? { status } : {}),
            ...(state ? { state } : {}),
            ...(query.is_preconfigured ? { preconfigured: query.is_preconfigured === "true" } : {}),
          });
    // The whole catalogue fits one page, as the real API answers it.
    return { body: paginate(alerts, query, "alerts", { defaultPageSize: 1000, maxPageSize: 1000 }) };
  });

  routes.get(`${BASE}/rules/count`, "GetRulesCount", ({ params, query }) => {
    const [region, projectId] = [regionOf(params), projectIdOf(query.project_id)];
    const count = alertRules.enabledCount(region, projectId);
    const metrics = dataSources.list(region, { projectId, origin: "scaleway", types: ["metrics"] })[0];
    return {
      body: {
        rules_count_by_datasource:
          count > 0 && metrics
            ? [{ data_source_id: metrics.id, data_source_name: metrics.name, rules_count: count }]
            : [],
        preconfigured_rules_count: count,
        custom_rules_count: 0,
      },
    };
  });
}
