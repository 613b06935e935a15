import { randomBytes, randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound, transientState } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { hashSecrets, isDeleting, type ContainersModel, type NamespaceRecord } from "./model";
import {
  checkRegion,
  optionalBoolean,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  type Body,
} from "./values";

export const V1 = "/containers/v1/regions/:region";

export interface NamespaceInput {
  readonly name: string;
  readonly projectId: string;
  readonly description?: string;
  readonly environmentVariables?: Record<string, string>;
  /** Plain values, hashed on the way in. */
  readonly secretEnvironmentVariables?: Record<string, string>;
  readonly tags?: string[];
  readonly vpcIntegration?: boolean;
}

export interface NamespacePatch {
  readonly description?: string;
  readonly environmentVariables?: Record<string, string>;
  readonly secretEnvironmentVariables?: Record<string, string>;
  readonly tags?: string[];
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function createNamespace(model: ContainersModel, region: string, input: NamespaceInput): NamespaceRecord {
  if (!NAME.test(input.name)) {
    throw invalidArgument("name", "must be lowercase letters, digits and dashes, at most 63 characters");
  }
  const taken = model.existing(
    "namespace",
    region,
    (ns) => ns.project_id === input.projectId && ns.name === input.name && !isDeleting(ns),
  );
  if (taken.length > 0) throw conflict("namespace", taken[0]!.id, `namespace ${input.name} already exists`);
  const now = nowIso();
  const namespace: NamespaceRecord = {
    id: randomUUID(),
    name: input.name,
    organization_id: model.context.organizationId,
    project_id: input.projectId,
    description: input.description ?? "",
    status: "creating",
    environment_variables: input.environmentVariables ?? {},
    secret_environment_variables: hashSecrets(input.secretEnvironmentVariables ?? {}),
    tags: input.tags ?? [],
    created_at: now,
    updated_at: now,
    region,
    registry_namespace_id: randomUUID(),
    // The registry namespace Serverless Containers creates for images pushed to it.
    registry_endpoint: `rg.${region}.scw.cloud/funcscw${compactName(input.name)}${randomBytes(4).toString("hex")}`,
    vpc_integration_activated: input.vpcIntegration ?? true,
  };
  model.insert("namespace", namespace);
  return model.begin("namespace", namespace, "creating", "ready");
}

/** Environment changes redeploy the namespace's containers: the namespace goes through `updating`. */
export function updateNamespace(model: ContainersModel, namespace: NamespaceRecord, patch: NamespacePatch) {
  if (isDeleting(namespace)) throw transientState("namespace", namespace.id, namespace.status);
  if (patch.description !== undefined) namespace.description = patch.description;
  if (patch.tags !== undefined) namespace.tags = patch.tags;
  if (patch.environmentVariables !== undefined) namespace.environment_variables = patch.environmentVariables;
  if (patch.secretEnvironmentVariables !== undefined) {
    namespace.secret_environment_variables = hashSecrets(
      patch.secretEnvironmentVariables,
      namespace.secret_environment_variables,
    );
  }
  namespace.updated_at = nowIso();
  if (patch.environmentVariables !== undefined || patch.secretEnvironmentVariables !== undefined) {
    return model.begin("namespace", namespace, "updating", "ready");
  }
  model.save("namespace");
  return namespace;
}

export function listNamespaces(model: ContainersModel, region: string, query: Readonly<Record<string, string>>) {
  const found = model.list(
    "namespace",
    region,
    (ns) =>
      (!query.project_id || ns.project_id === query.project_id) &&
      (!query.organization_id || ns.organization_id === query.organization_id) &&
      (!query.name || ns.name.includes(query.name)),
  );
  return orderBy(found, query.order_by, "created_at_asc");
}

/** Lowercase letters and digits of a name, at most 20: how Scaleway derives host and registry names. */
export function compactName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 20);
}

function v1View(ns: NamespaceRecord) {
  return {
    id: ns.id,
    name: ns.name,
    organization_id: ns.organization_id,
    project_id: ns.project_id,
    description: ns.description,
    status: ns.status,
    environment_variables: ns.environment_variables,
    secret_environment_variables: ns.secret_environment_variables,
    tags: ns.tags,
    created_at: ns.created_at,
    updated_at: ns.updated_at,
    region: ns.region,
  };
}

function v1Input(body: Body): NamespaceInput {
  return {
    name: requiredString(body, "name"),
    projectId: requiredString(body, "project_id"),
    description: optionalString(body, "description"),
    environmentVariables: optionalStringMap(body, "environment_variables"),
    secretEnvironmentVariables: optionalStringMap(body, "secret_environment_variables"),
    tags: optionalStringList(body, "tags"),
    vpcIntegration: optionalBoolean(body, "activate_vpc_integration"),
  };
}

function v1Patch(body: Body): NamespacePatch {
  return {
    description: optionalString(body, "description"),
    environmentVariables: optionalStringMap(body, "environment_variables"),
    secretEnvironmentVariables: optionalStringMap(body, "secret_environment_variables"),
    tags: optionalStringList(body, "tags"),
  };
}

export function registerNamespaceRoutes(routes: ProductRoutes, model: ContainersModel): void {
  const find = (params: Readonly<Record<string, string>>) => {
    const id = params.namespaceId!;
    const namespace = model.read("namespace", id, checkRegion(params.region));
    if (!namespace) throw notFound("namespace", id);
    return namespace;
  };

  routes.post(`${V1}/namespaces`, "CreateNamespace", ({ params, body }) => ({
    body: v1View(createNamespace(model, checkRegion(params.region), v1Input(body))),
  }));
  routes.get(`${V1}/namespaces`, "ListNamespaces", ({ params, query }) => ({
    body: paginate(listNamespaces(model, checkRegion(params.region), query).map(v1View), query, "namespaces"),
  }));
  routes.get(`${V1}/namespaces/:namespaceId`, "GetNamespace", ({ params }) => ({ body: v1View(find(params)) }));
  routes.patch(`${V1}/namespaces/:namespaceId`, "UpdateNamespace", ({ params, body }) => ({
    body: v1View(updateNamespace(model, find(params), v1Patch(body))),
  }));
  routes.delete(`${V1}/namespaces/:namespaceId`, "DeleteNamespace", ({ params }) => {
    const namespace = find(params);
    if (!isDeleting(namespace)) model.delete("namespace", namespace);
    return { body: v1View(namespace) };
  });
}
