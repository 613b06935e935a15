import { randomUUID } from "node:crypto";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalString, optionalStrings, queryBoolean, queryValues, uuid } from "../../http/input";
import type { ApplicationRecord, IamState } from "./state";
import { randomName } from "../../http/names";

/** Applications: non-human principals that hold API keys and are named by policies and groups. */
export class Applications {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): ApplicationRecord {
    const now = nowIso();
    return this.state.applications.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("app"),
      description: optionalString(body, "description") ?? "",
      organization_id: optionalString(body, "organization_id") || this.state.organizationId,
      tags: optionalStrings(body, "tags") ?? [],
      created_at: now,
      updated_at: now,
    });
  }

  get(id: string): ApplicationRecord {
    return this.state.applications.require(uuid(id, "application_id"), "application");
  }

  list(request: ApiRequest): ApplicationRecord[] {
    const { query } = request;
    const ids = queryValues(request, "application_ids");
    const editable = queryBoolean(query, "editable");
    const found = this.state.applications.list(
      (app) =>
        (!query.name || app.name.includes(query.name)) &&
        (!query.organization_id || app.organization_id === query.organization_id) &&
        (ids.length === 0 || ids.includes(app.id)) &&
        (!query.tag || app.tags.includes(query.tag)) &&
        editable !== false,
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(id: string, body: Record<string, unknown>): ApplicationRecord {
    const app = this.get(id);
    const name = optionalString(body, "name");
    const description = optionalString(body, "description");
    const tags = optionalStrings(body, "tags");
    return this.state.applications.update(app.id, {
      ...(name ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(tags !== undefined ? { tags } : {}),
      updated_at: nowIso(),
    });
  }

  /** Deleting an application deletes its API keys and takes it out of groups; its policies stay, as in the API. */
  delete(id: string): void {
    const app = this.get(id);
    for (const key of this.state.apiKeys.list((key) => key.application_id === app.id))
      this.state.apiKeys.delete(key.id);
    for (const group of this.state.groups.list((group) => group.application_ids.includes(app.id)))
      this.state.groups.update(group.id, { application_ids: group.application_ids.filter((a) => a !== app.id) });
    this.state.applications.delete(app.id);
  }

  view(app: ApplicationRecord): Record<string, unknown> {
    return {
      id: app.id,
      name: app.name,
      description: app.description,
      created_at: app.created_at,
      updated_at: app.updated_at,
      organization_id: app.organization_id,
      editable: true,
      deletable: true,
      managed: false,
      nb_api_keys: this.state.apiKeys.list((key) => key.application_id === app.id).length,
      tags: app.tags,
    };
  }
}

export function applicationRoutes(routes: ProductRoutes, apps: Applications) {
  routes.post("/iam/v1alpha1/applications", "CreateApplication", ({ body }) => ({
    body: apps.view(apps.create(body)),
  }));
  routes.get("/iam/v1alpha1/applications", "ListApplications", (request) => ({
    body: paginate(
      apps.list(request).map((app) => apps.view(app)),
      request.query,
      "applications",
    ),
  }));
  routes.get("/iam/v1alpha1/applications/:applicationId", "GetApplication", ({ params }) => ({
    body: apps.view(apps.get(params.applicationId!)),
  }));
  routes.patch("/iam/v1alpha1/applications/:applicationId", "UpdateApplication", ({ params, body }) => ({
    body: apps.view(apps.update(params.applicationId!, body)),
  }));
  routes.delete("/iam/v1alpha1/applications/:applicationId", "DeleteApplication", ({ params }) => {
    apps.delete(params.applicationId!);
    return { status: 204 };
  });
}
