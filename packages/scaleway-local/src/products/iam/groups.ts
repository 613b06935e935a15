import { randomUUID } from "node:crypto";
import { invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalString, optionalStrings, optionalUuid, queryValues, uuid } from "../../http/input";
import { randomName } from "../../http/names";
import type { GroupRecord, IamState } from "./state";
import { ownerOf } from "./users";

interface Members {
  readonly user_ids: string[];
  readonly application_ids: string[];
}

/** Groups of users and applications, which policies can name as their principal. */
export class Groups {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): GroupRecord {
    const now = nowIso();
    return this.state.groups.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("group"),
      description: optionalString(body, "description") ?? "",
      organization_id: optionalString(body, "organization_id") || this.state.organizationId,
      user_ids: [],
      application_ids: [],
      tags: optionalStrings(body, "tags") ?? [],
      created_at: now,
      updated_at: now,
    });
  }

  get(id: string): GroupRecord {
    return this.state.groups.require(uuid(id, "group_id"), "group");
  }

  list(request: ApiRequest): GroupRecord[] {
    const { query } = request;
    const groupIds = queryValues(request, "group_ids");
    const userIds = queryValues(request, "user_ids");
    const applicationIds = queryValues(request, "application_ids");
    const found = this.state.groups.list(
      (group) =>
        (!query.name || group.name.includes(query.name)) &&
        (!query.organization_id || group.organization_id === query.organization_id) &&
        (groupIds.length === 0 || groupIds.includes(group.id)) &&
        (userIds.length === 0 || userIds.some((id) => group.user_ids.includes(id))) &&
        (applicationIds.length === 0 || applicationIds.some((id) => group.application_ids.includes(id))) &&
        (!query.tag || group.tags.includes(query.tag)),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(id: string, body: Record<string, unknown>): GroupRecord {
    const group = this.get(id);
    const name = optionalString(body, "name");
    const description = optionalString(body, "description");
    const tags = optionalStrings(body, "tags");
    return this.state.groups.update(group.id, {
      ...(name ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(tags !== undefined ? { tags } : {}),
      updated_at: nowIso(),
    });
  }

  /** PUT members: the group holds exactly these users and applications afterwards. */
  setMembers(id: string, body: Record<string, unknown>): GroupRecord {
    const group = this.get(id);
    return this.save(group, {
      user_ids: this.existingUsers(optionalStrings(body, "user_ids") ?? []),
      application_ids: this.existingApplications(optionalStrings(body, "application_ids") ?? []),
    });
  }

  addMembers(id: string, body: Record<string, unknown>): GroupRecord {
    const group = this.get(id);
    const users = this.existingUsers(optionalStrings(body, "user_ids") ?? []);
    const apps = this.existingApplications(optionalStrings(body, "application_ids") ?? []);
    return this.save(group, {
      user_ids: [...group.user_ids, ...users],
      application_ids: [...group.application_ids, ...apps],
    });
  }

  addMember(id: string, body: Record<string, unknown>): GroupRecord {
    const group = this.get(id);
    const { userId, applicationId } = this.oneMember(body);
    return this.save(group, {
      user_ids: userId ? [...group.user_ids, ...this.existingUsers([userId])] : group.user_ids,
      application_ids: applicationId
        ? [...group.application_ids, ...this.existingApplications([applicationId])]
        : group.application_ids,
    });
  }

  /** Removing someone who is not a member answers 404 with an empty resource, as the API does. */
  removeMember(id: string, body: Record<string, unknown>): GroupRecord {
    const group = this.get(id);
    const { userId, applicationId } = this.oneMember(body);
    const member = (userId ?? applicationId)!;
    const list = userId ? group.user_ids : group.application_ids;
    if (!list.includes(member)) throw notFound("", member);
    return this.save(group, {
      user_ids: group.user_ids.filter((u) => u !== userId),
      application_ids: group.application_ids.filter((a) => a !== applicationId),
    });
  }

  /** A deleted group's policies stay, naming it still, as the API leaves them. */
  delete(id: string): void {
    this.state.groups.delete(this.get(id).id);
  }

  view(group: GroupRecord): Record<string, unknown> {
    return {
      id: group.id,
      created_at: group.created_at,
      updated_at: group.updated_at,
      organization_id: group.organization_id,
      name: group.name,
      description: group.description,
      user_ids: group.user_ids,
      application_ids: group.application_ids,
      tags: group.tags,
      editable: true,
      deletable: true,
      managed: false,
    };
  }

  private save(group: GroupRecord, members: Members): GroupRecord {
    return this.state.groups.update(group.id, {
      user_ids: [...new Set(members.user_ids)],
      application_ids: [...new Set(members.application_ids)],
      updated_at: nowIso(),
    });
  }

  private oneMember(body: Record<string, unknown>): { userId?: string; applicationId?: string } {
    const userId = optionalUuid(body, "user_id");
    const applicationId = optionalUuid(body, "application_id");
    if (!userId === !applicationId)
      throw invalidArgument("user_id", "exactly one of user_id and application_id is required", "required");
    return userId ? { userId } : { applicationId: applicationId! };
  }

  private existingUsers(ids: readonly string[]): string[] {
    ownerOf(this.state);
    for (const id of ids) if (!this.state.users.get(uuid(id, "user_ids"))) throw notFound("user", id);
    return [...ids];
  }

  private existingApplications(ids: readonly string[]): string[] {
    for (const id of ids)
      if (!this.state.applications.get(uuid(id, "application_ids"))) throw notFound("application", id);
    return [...ids];
  }
}

export function groupRoutes(routes: ProductRoutes, groups: Groups) {
  routes.post("/iam/v1alpha1/groups", "CreateGroup", ({ body }) => ({ body: groups.view(groups.create(body)) }));
  routes.get("/iam/v1alpha1/groups", "ListGroups", (request) => ({
    body: paginate(
      groups.list(request).map((group) => groups.view(group)),
      request.query,
      "groups",
    ),
  }));
  routes.get("/iam/v1alpha1/groups/:groupId", "GetGroup", ({ params }) => ({
    body: groups.view(groups.get(params.groupId!)),
  }));
  routes.patch("/iam/v1alpha1/groups/:groupId", "UpdateGroup", ({ params, body }) => ({
    body: groups.view(groups.update(params.groupId!, body)),
  }));
  routes.put("/iam/v1alpha1/groups/:groupId/members", "SetGroupMembers", ({ params, body }) => ({
    body: groups.view(groups.setMembers(params.groupId!, body)),
  }));
  routes.post("/iam/v1alpha1/groups/:groupId/add-member", "AddGroupMember", ({ params, body }) => ({
    body: groups.view(groups.addMember(params.groupId!, body)),
  }));
  routes.post("/iam/v1alpha1/groups/:groupId/add-members", "AddGroupMembers", ({ params, body }) => ({
    body: groups.view(groups.addMembers(params.groupId!, body)),
  }));
  routes.post("/iam/v1alpha1/groups/:groupId/remove-member", "RemoveGroupMember", ({ params, body }) => ({
    body: groups.view(groups.removeMember(params.groupId!, body)),
  }));
  routes.delete("/iam/v1alpha1/groups/:groupId", "DeleteGroup", ({ params }) => {
    groups.delete(params.groupId!);
    return { status: 204 };
  });
}
