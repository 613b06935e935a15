import { randomUUID } from "node:crypto";
import { type ArgumentDetail, invalidArgument, invalidArguments, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  optionalBoolean,
  optionalString,
  optionalStrings,
  optionalUuid,
  queryBoolean,
  queryValues,
  uuid,
} from "../../http/input";
import { randomName } from "../../http/names";
import { PERMISSION_SETS, type ScopeType } from "./permission-sets";
import type { IamState, PolicyRecord, RuleRecord } from "./state";
import { ownerOf } from "./users";

type Principal = Pick<PolicyRecord, "user_id" | "group_id" | "application_id" | "no_principal">;
const PRINCIPAL_KEYS = ["user_id", "group_id", "application_id"] as const;

/**
 * Policies: a principal (user, group, application, or none) and rules, each granting
 * permission sets over the organisation or some projects. Rules are checked against the
 * permission set catalogue: unknown names and mixed scope types are refused.
 */
export class Policies {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): PolicyRecord {
    // At most one principal; a policy created without one attaches to nobody until updated.
    const principal = this.principal(body) ?? {};
    const rules = this.rules(body.rules ?? []);
    const now = nowIso();
    return this.state.policies.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("policy"),
      description: optionalString(body, "description") ?? "",
      organization_id: optionalString(body, "organization_id") || this.state.organizationId,
      tags: optionalStrings(body, "tags") ?? [],
      ...principal,
      created_at: now,
      updated_at: now,
      _rules: rules,
    });
  }

  get(id: string): PolicyRecord {
    return this.state.policies.require(uuid(id, "policy_id"), "policy");
  }

  list(request: ApiRequest): PolicyRecord[] {
    const { query } = request;
    const ids = queryValues(request, "policy_ids");
    const users = queryValues(request, "user_ids");
    const groups = queryValues(request, "group_ids");
    const apps = queryValues(request, "application_ids");
    const noPrincipal = queryBoolean(query, "no_principal");
    const editable = queryBoolean(query, "editable");
    const found = this.state.policies.list(
      (policy) =>
        (!query.organization_id || policy.organization_id === query.organization_id) &&
        (!query.policy_name || policy.name.includes(query.policy_name)) &&
        (!query.tag || policy.tags.includes(query.tag)) &&
        (ids.length === 0 || ids.includes(policy.id)) &&
        (users.length === 0 || users.includes(policy.user_id ?? "")) &&
        (groups.length === 0 || groups.includes(policy.group_id ?? "")) &&
        (apps.length === 0 || apps.includes(policy.application_id ?? "")) &&
        (noPrincipal === undefined || noPrincipal === (policy.no_principal === true)) &&
        editable !== false,
    );
    // The API sorts by `policy_name`, which the records call `name`.
    const sortable = found.map((policy) => ({ ...policy, policy_name: policy.name }));
    return orderBy(sortable, query.order_by, "created_at_asc");
  }

  update(id: string, body: Record<string, unknown>): PolicyRecord {
    const policy = this.get(id);
    const name = optionalString(body, "name");
    const description = optionalString(body, "description");
    const tags = optionalStrings(body, "tags");
    const principal = this.principal(body);
    const updated: PolicyRecord = {
      ...policy,
      ...(name ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(tags !== undefined ? { tags } : {}),
      updated_at: nowIso(),
    };
    // A new principal replaces the old one: a policy has exactly one.
    if (principal) {
      for (const key of [...PRINCIPAL_KEYS, "no_principal"] as const) delete updated[key];
      Object.assign(updated, principal);
    }
    return this.state.policies.insert(updated);
  }

  delete(id: string): void {
    this.state.policies.delete(this.get(id).id);
  }

  clone(id: string): PolicyRecord {
    const policy = this.get(id);
    const now = nowIso();
    return this.state.policies.insert({
      ...policy,
      id: randomUUID(),
      name: `${policy.name}-copy`,
      created_at: now,
      updated_at: now,
      _rules: policy._rules.map((rule) => ({ ...rule, id: randomUUID() })),
    });
  }

  listRules(policyId: string | undefined): RuleRecord[] {
    if (!policyId) throw invalidArgument("policy_id", "policy_id is required", "required");
    return this.get(policyId)._rules;
  }

  /** PUT rules: the policy's rules are replaced by these, with new IDs. */
  setRules(body: Record<string, unknown>): RuleRecord[] {
    const policyId = optionalUuid(body, "policy_id");
    if (!policyId) throw invalidArgument("policy_id", "policy_id is required", "required");
    const policy = this.get(policyId);
    const rules = this.rules(body.rules ?? []);
    this.state.policies.update(policy.id, { _rules: rules, updated_at: nowIso() });
    return rules;
  }

  view(policy: PolicyRecord): Record<string, unknown> {
    const rules = policy._rules;
    const scopes = new Set(
      rules.flatMap((rule) => (rule.project_ids ? rule.project_ids.map((p) => `project:${p}`) : [`organization`])),
    );
    return {
      id: policy.id,
      name: policy.name,
      description: policy.description,
      organization_id: policy.organization_id,
      created_at: policy.created_at,
      updated_at: policy.updated_at,
      editable: true,
      deletable: true,
      managed: false,
      nb_rules: rules.length,
      nb_scopes: scopes.size,
      nb_permission_sets: new Set(rules.flatMap((rule) => rule.permission_set_names)).size,
      tags: policy.tags,
      ...Object.fromEntries(PRINCIPAL_KEYS.filter((key) => policy[key]).map((key) => [key, policy[key]])),
      ...(policy.no_principal ? { no_principal: true } : {}),
    };
  }

  ruleView(rule: RuleRecord): Record<string, unknown> {
    return {
      id: rule.id,
      permission_set_names: rule.permission_set_names,
      permission_sets_scope_type: scopeOf(rule.permission_set_names),
      condition: rule.condition,
      ...(rule.project_ids ? { project_ids: rule.project_ids } : { organization_id: rule.organization_id }),
    };
  }

  /** The principal a body names, checked to exist; undefined when it names none. */
  private principal(body: Record<string, unknown>): Principal | undefined {
    const given: Principal = {};
    const userId = optionalUuid(body, "user_id");
    const groupId = optionalUuid(body, "group_id");
    const applicationId = optionalUuid(body, "application_id");
    if (userId) {
      ownerOf(this.state);
      if (!this.state.users.get(userId)) throw notFound("user", userId);
      given.user_id = userId;
    }
    if (groupId) {
      if (!this.state.groups.get(groupId)) throw notFound("group", groupId);
      given.group_id = groupId;
    }
    if (applicationId) {
      if (!this.state.applications.get(applicationId)) throw notFound("application", applicationId);
      given.application_id = applicationId;
    }
    if (optionalBoolean(body, "no_principal")) given.no_principal = true;
    const count = Object.keys(given).length;
    if (count > 1)
      throw invalidArgument("principal", "only one of user_id, group_id, application_id and no_principal may be set");
    return count === 1 ? given : undefined;
  }

  /** Rule specs checked all at once, so that one answer lists every problem. */
  private rules(specs: unknown): RuleRecord[] {
    if (!Array.isArray(specs)) throw invalidArgument("rules", "must be a list of rules");
    const problems: ArgumentDetail[] = [];
    const problem = (argument: string, help: string) =>
      problems.push({ argument_name: argument, reason: "constraint", help_message: help });
    const rules = specs.map((spec: unknown, index): RuleRecord => {
      const at = `rules[${index}]`;
      const body = (spec && typeof spec === "object" ? spec : {}) as Record<string, unknown>;
      const names = optionalStrings(body, "permission_set_names") ?? [];
      const projectIds = optionalStrings(body, "project_ids");
      const organizationId = optionalString(body, "organization_id");
      if (names.length === 0) problem(`${at}.permission_set_names`, "at least one permission set is required");
      const unknown = names.filter((name) => !PERMISSION_SETS.has(name));
      for (const name of unknown) problem(`${at}.permission_set_names`, `permission set ${name} does not exist`);
      const scope = unknown.length === 0 && names.length > 0 ? scopeOf(names) : undefined;
      if (scope === "mixed") problem(`${at}.permission_set_names`, "permission sets must be of the same scope type");
      if (!!projectIds?.length === !!organizationId)
        problem(at, "exactly one of organization_id and project_ids is required");
      else if (scope === "organization" && projectIds?.length)
        problem(`${at}.project_ids`, "permission sets of scope organization apply to the organization_id only");
      for (const projectId of projectIds ?? [])
        if (!/^[0-9a-f-]{36}$/i.test(projectId)) problem(`${at}.project_ids`, "must be valid UUIDs");
      return {
        id: randomUUID(),
        permission_set_names: names,
        condition: optionalString(body, "condition") ?? "",
        ...(projectIds?.length
          ? { project_ids: projectIds }
          : { organization_id: organizationId ?? this.state.organizationId }),
      };
    });
    if (problems.length > 0) throw invalidArguments(problems);
    return rules;
  }
}

/** The scope type the permission sets of a rule share, or `mixed`. */
function scopeOf(names: readonly string[]): ScopeType | "mixed" {
  const scopes = new Set(names.map((name) => PERMISSION_SETS.get(name)?.scope_type ?? "projects"));
  return scopes.size > 1 ? "mixed" : ([...scopes][0] ?? "projects");
}

export function policyRoutes(routes: ProductRoutes, policies: Policies) {
  routes.post("/iam/v1alpha1/policies", "CreatePolicy", ({ body }) => ({
    body: policies.view(policies.create(body)),
  }));
  routes.get("/iam/v1alpha1/policies", "ListPolicies", (request) => ({
    body: paginate(
      policies.list(request).map((policy) => policies.view(policy)),
      request.query,
      "policies",
    ),
  }));
  routes.get("/iam/v1alpha1/policies/:policyId", "GetPolicy", ({ params }) => ({
    body: policies.view(policies.get(params.policyId!)),
  }));
  routes.patch("/iam/v1alpha1/policies/:policyId", "UpdatePolicy", ({ params, body }) => ({
    body: policies.view(policies.update(params.policyId!, body)),
  }));
  routes.post("/iam/v1alpha1/policies/:policyId/clone", "ClonePolicy", ({ params }) => ({
    body: policies.view(policies.clone(params.policyId!)),
  }));
  routes.delete("/iam/v1alpha1/policies/:policyId", "DeletePolicy", ({ params }) => {
    policies.delete(params.policyId!);
    return { status: 204 };
  });
  routes.get("/iam/v1alpha1/rules", "ListRules", ({ query }) => ({
    body: paginate(
      policies.listRules(query.policy_id).map((rule) => policies.ruleView(rule)),
      query,
      "rules",
    ),
  }));
  routes.put("/iam/v1alpha1/rules", "SetRules", ({ body }) => ({
    body: { rules: policies.setRules(body).map((rule) => policies.ruleView(rule)) },
  }));
}
