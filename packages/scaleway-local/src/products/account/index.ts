import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import { nowIso } from "../../state/lifecycle";
import { publicView, type StoredRecord } from "../../state/store";
import type { LocalContext, Product } from "../../context";
import { randomUUID } from "node:crypto";

interface Project extends StoredRecord {
  name: string;
  organization_id: string;
  description: string;
  created_at: string;
  updated_at: string;
  qualification: { architecture_type: string } | null;
}

/** Account API v3: projects, with the organisation's default project always present. */
export const account: Product = {
  name: "account",
  register(routes, context: LocalContext) {
    const projects = context.store.collection<Project>("account.projects");
    if (!projects.get(context.defaultProjectId)) {
      const now = nowIso();
      projects.insert({
        id: context.defaultProjectId,
        name: "default",
        organization_id: context.organizationId,
        description: "",
        created_at: now,
        updated_at: now,
        qualification: { architecture_type: "unknown_architecture_type" },
      });
    }

    routes.post("/account/v3/projects", "CreateProject", ({ body }) => {
      if (typeof body.name !== "string" || body.name === "")
        throw invalidArgument("name", "name is required", "required");
      const now = nowIso();
      const project = projects.insert({
        id: randomUUID(),
        name: body.name,
        organization_id: String(body.organization_id ?? context.organizationId),
        description: String(body.description ?? ""),
        created_at: now,
        updated_at: now,
        qualification: null,
      });
      return { body: publicView(project) };
    });

    routes.get("/account/v3/projects", "ListProjects", ({ query }) => {
      let list = projects.list(
        (p) =>
          (!query.organization_id || p.organization_id === query.organization_id) &&
          (!query.name || p.name.includes(query.name)) &&
          (!query.project_ids || query.project_ids.split(",").includes(p.id)),
      );
      list = orderBy(list, query.order_by, "created_at_asc");
      return { body: paginate(list.map(publicView), query, "projects") };
    });

    routes.get("/account/v3/projects/:projectId", "GetProject", ({ params }) => {
      const project = projects.require(params.projectId!, "project");
      return {
        body: publicView({
          ...project,
          qualification: project.qualification ?? { architecture_type: "unknown_architecture_type" },
        }),
      };
    });

    routes.patch("/account/v3/projects/:projectId", "UpdateProject", ({ params, body }) => {
      const project = projects.require(params.projectId!, "project");
      const updated = projects.update(project.id, {
        ...(typeof body.name === "string" ? { name: body.name } : {}),
        ...(typeof body.description === "string" ? { description: body.description } : {}),
        updated_at: nowIso(),
      });
      return { body: publicView(updated) };
    });

    routes.delete("/account/v3/projects/:projectId", "DeleteProject", ({ params }) => {
      projects.require(params.projectId!, "project");
      projects.delete(params.projectId!);
      return { status: 204 };
    });
  },
};
