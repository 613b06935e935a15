import { randomUUID } from "node:crypto";
import { notFound, ScalewayError } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { uuid } from "../../http/input";
import type { IamState, ScimRecord } from "./state";

/** SCIM provisioning of the organisation: enabled (one configuration) or not. */
export class Scim {
  constructor(private readonly state: IamState) {}

  ofOrganization(organizationId: string): ScimRecord {
    const scim = this.state.scim.list((s) => s.organization_id === organizationId)[0];
    if (!scim) throw notFound("organization_scim", organizationId);
    return scim;
  }

  enable(organizationId: string): ScimRecord {
    uuid(organizationId, "organization_id");
    if (this.state.scim.list((s) => s.organization_id === organizationId).length > 0)
      throw new ScalewayError(409, {
        message: "resource already exists",
        resource: "organization_scim",
        resource_id: organizationId,
        type: "conflict",
      });
    return this.state.scim.insert({ id: randomUUID(), organization_id: organizationId, created_at: nowIso() });
  }

  delete(id: string): void {
    this.state.scim.delete(this.state.scim.require(uuid(id, "scim_id"), "scim").id);
  }

  view(scim: ScimRecord): Record<string, unknown> {
    return { id: scim.id, created_at: scim.created_at };
  }
}

export function scimRoutes(routes: ProductRoutes, scim: Scim) {
  routes.get("/iam/v1alpha1/organizations/:organizationId/scim", "GetOrganizationScim", ({ params }) => ({
    body: scim.view(scim.ofOrganization(params.organizationId!)),
  }));
  routes.post("/iam/v1alpha1/organizations/:organizationId/scim", "EnableOrganizationScim", ({ params }) => ({
    body: scim.view(scim.enable(params.organizationId!)),
  }));
  routes.delete("/iam/v1alpha1/scim/:scimId", "DeleteScim", ({ params }) => {
    scim.delete(params.scimId!);
    return { status: 204 };
  });
}
