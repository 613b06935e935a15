import { randomUUID } from "node:crypto";
import { invalidArgument, preconditionFailed } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  optionalObject,
  optionalString,
  optionalStrings,
  queryBoolean,
  queryValues,
  requiredString,
  uuid,
} from "../../http/input";
import type { IamState, UserRecord } from "./state";

/** The owner of the local organisation, fixed so that configurations and tests can name it. */
export const LOCAL_OWNER_USER_ID = "33333333-3333-4333-8333-333333333333";
const OWNER_ROOT_USER_ID = "44444444-4444-4444-8444-444444444444";

/** The organisation's owner, created on first use: the real organisation always has one. */
export function ownerOf(state: IamState): UserRecord {
  const owner = state.users.list((user) => user.type === "owner")[0];
  if (owner) return owner;
  const now = nowIso();
  return state.users.insert({
    id: LOCAL_OWNER_USER_ID,
    email: "owner@scaleway.local",
    username: "owner@scaleway.local",
    first_name: "Local",
    last_name: "Owner",
    phone_number: "",
    locale: "en_US",
    organization_id: state.organizationId,
    type: "owner",
    status: "activated",
    tags: [],
    locked: false,
    account_root_user_id: OWNER_ROOT_USER_ID,
    created_at: now,
    updated_at: now,
  });
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Users of the organisation: the owner, and members invited or created with a password. */
export class Users {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): UserRecord {
    const member = optionalObject(body, "member");
    const invited = optionalString(body, "email");
    if (!member && !invited) throw invalidArgument("member", "one of email and member is required", "required");
    const email = member ? requiredString(member, "email") : invited!;
    if (!EMAIL.test(email)) throw invalidArgument(member ? "member.email" : "email", "must be an email address");
    const username = (member && optionalString(member, "username")) || email;
    if (this.state.users.list((user) => user.email === email || user.username === username).length > 0)
      throw invalidArgument(member ? "member.email" : "email", "a user with this email or username already exists");
    const now = nowIso();
    return this.state.users.insert({
      id: randomUUID(),
      email,
      username,
      first_name: (member && optionalString(member, "first_name")) || "",
      last_name: (member && optionalString(member, "last_name")) || "",
      phone_number: (member && optionalString(member, "phone_number")) || "",
      locale: (member && optionalString(member, "locale")) || "en_US",
      organization_id: optionalString(body, "organization_id") || this.state.organizationId,
      type: "member",
      // A member created with its details is active at once; an invitation waits for the invitee.
      status: member ? "activated" : "invitation_pending",
      tags: optionalStrings(body, "tags") ?? [],
      locked: false,
      account_root_user_id: "",
      created_at: now,
      updated_at: now,
    });
  }

  get(id: string): UserRecord {
    ownerOf(this.state);
    return this.state.users.require(uuid(id, "user_id"), "user");
  }

  list(request: ApiRequest): UserRecord[] {
    ownerOf(this.state);
    const { query } = request;
    const ids = queryValues(request, "user_ids");
    const mfa = queryBoolean(query, "mfa");
    const type = query.type === "unknown_type" ? undefined : query.type;
    const found = this.state.users.list(
      (user) =>
        (!query.organization_id || user.organization_id === query.organization_id) &&
        (ids.length === 0 || ids.includes(user.id)) &&
        (!query.tag || user.tags.includes(query.tag)) &&
        (!type || user.type === type) &&
        mfa !== true,
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(id: string, body: Record<string, unknown>): UserRecord {
    const user = this.get(id);
    const patch: Partial<UserRecord> = { updated_at: nowIso() };
    for (const key of ["email", "first_name", "last_name", "phone_number", "locale"] as const) {
      const value = optionalString(body, key);
      if (value !== undefined) patch[key] = value;
    }
    if (patch.email !== undefined && !EMAIL.test(patch.email))
      throw invalidArgument("email", "must be an email address");
    const tags = optionalStrings(body, "tags");
    if (tags) patch.tags = tags;
    return this.state.users.update(user.id, patch);
  }

  updateUsername(id: string, body: Record<string, unknown>): UserRecord {
    const user = this.get(id);
    const username = requiredString(body, "username");
    if (this.state.users.list((other) => other.id !== user.id && other.username === username).length > 0)
      throw invalidArgument("username", "this username is already taken");
    return this.state.users.update(user.id, { username, updated_at: nowIso() });
  }

  updatePassword(id: string, body: Record<string, unknown>): UserRecord {
    const user = this.get(id);
    requiredString(body, "password");
    return this.state.users.update(user.id, { updated_at: nowIso() });
  }

  setLocked(id: string, locked: boolean): UserRecord {
    const user = this.get(id);
    if (user.type === "owner") throw preconditionFailed("user_is_owner", "the organisation's owner cannot be locked");
    return this.state.users.update(user.id, { locked, updated_at: nowIso() });
  }

  /** The owner cannot be deleted; a deleted member leaves its groups and loses its API keys. */
  delete(id: string): void {
    const user = this.get(id);
    if (user.type === "owner") throw preconditionFailed("user_is_owner", "the organisation's owner cannot be deleted");
    for (const key of this.state.apiKeys.list((key) => key.user_id === user.id)) this.state.apiKeys.delete(key.id);
    for (const group of this.state.groups.list((group) => group.user_ids.includes(user.id)))
      this.state.groups.update(group.id, { user_ids: group.user_ids.filter((u) => u !== user.id) });
    this.state.users.delete(user.id);
  }

  view(user: UserRecord): Record<string, unknown> {
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      first_name: user.first_name,
      last_name: user.last_name,
      phone_number: user.phone_number,
      locale: user.locale,
      created_at: user.created_at,
      updated_at: user.updated_at,
      organization_id: user.organization_id,
      deletable: user.type !== "owner",
      last_login_at: null,
      type: user.type,
      two_factor_enabled: false,
      status: user.status,
      mfa: false,
      account_root_user_id: user.account_root_user_id,
      tags: user.tags,
      locked: user.locked,
    };
  }
}

export function userRoutes(routes: ProductRoutes, users: Users) {
  routes.post("/iam/v1alpha1/users", "CreateUser", ({ body }) => ({ body: users.view(users.create(body)) }));
  routes.get("/iam/v1alpha1/users", "ListUsers", (request) => ({
    body: paginate(
      users.list(request).map((user) => users.view(user)),
      request.query,
      "users",
    ),
  }));
  routes.get("/iam/v1alpha1/users/:userId", "GetUser", ({ params }) => ({
    body: users.view(users.get(params.userId!)),
  }));
  routes.patch("/iam/v1alpha1/users/:userId", "UpdateUser", ({ params, body }) => ({
    body: users.view(users.update(params.userId!, body)),
  }));
  routes.post("/iam/v1alpha1/users/:userId/update-username", "UpdateUserUsername", ({ params, body }) => ({
    body: users.view(users.updateUsername(params.userId!, body)),
  }));
  routes.post("/iam/v1alpha1/users/:userId/update-password", "UpdateUserPassword", ({ params, body }) => ({
    body: users.view(users.updatePassword(params.userId!, body)),
  }));
  routes.post("/iam/v1alpha1/users/:userId/lock", "LockUser", ({ params }) => ({
    body: users.view(users.setLocked(params.userId!, true)),
  }));
  routes.post("/iam/v1alpha1/users/:userId/unlock", "UnlockUser", ({ params }) => ({
    body: users.view(users.setLocked(params.userId!, false)),
  }));
  routes.delete("/iam/v1alpha1/users/:userId", "DeleteUser", ({ params }) => {
    users.delete(params.userId!);
    return { status: 204 };
  });
}
