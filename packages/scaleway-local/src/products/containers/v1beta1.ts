import { invalidArgument, ScalewayError } from "../../http/errors";
import { paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import {
  createContainer,
  deployContainer,
  listContainers,
  parseProbe,
  parseScalingOption,
  updateContainer,
  type ContainerFields,
} from "./containers";
import { isDeleting, type ContainerRecord, type ContainersModel, type NamespaceRecord } from "./model";
import { createNamespace, listNamespaces, updateNamespace } from "./namespaces";
import {
  checkRegion,
  optionalBoolean,
  optionalDuration,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  type Body,
} from "./values";

/**
 * The older Serverless Containers API (v1beta1), which the JavaScript SDK and older
 * providers still call: the same namespaces and containers under another shape
 * (sizes in MB, `health_check`, `http_option`, secrets as lists, registry fields,
 * `pending` for what v1 calls `creating`/`updating`), plus tokens and crons.
 */
export const V1BETA1 = "/containers/v1beta1/regions/:region";

/** v1beta1 answers a missing resource with a plain sentence, e.g. `{"message":"Token was not found"}`. */
export function legacyNotFound(kind: string): ScalewayError {
  return new ScalewayError(404, { message: `${kind[0]!.toUpperCase()}${kind.slice(1)} was not found` });
}

export function legacyStatus(status: string): string {
  return status === "creating" || status === "updating" ? "pending" : status;
}

const MB = 1_000_000;

function hashedList(secrets: Record<string, string>) {
  return Object.entries(secrets).map(([key, hashed_value]) => ({ key, hashed_value }));
}

/**
 * v1beta1 secrets are `{key, value}` items: a value sets a key, no value removes it, and
 * keys not named stay. Expressed as the whole map the model takes, where "" keeps a hash.
 */
function secretsPatch(body: Body, current: Readonly<Record<string, string>> = {}): Record<string, string> | undefined {
  const items = body.secret_environment_variables;
  if (items === undefined || items === null) return undefined;
  if (!Array.isArray(items)) throw invalidArgument("secret_environment_variables", "must be a list of {key, value}");
  const result: Record<string, string> = Object.fromEntries(Object.keys(current).map((key) => [key, ""]));
  for (const item of items as Body[]) {
    const key = requiredString(item ?? {}, "key");
    const value = optionalString(item, "value");
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result;
}

function namespaceView(ns: NamespaceRecord) {
  return {
    id: ns.id,
    name: ns.name,
    environment_variables: ns.environment_variables,
    organization_id: ns.organization_id,
    project_id: ns.project_id,
    status: legacyStatus(ns.status),
    registry_namespace_id: ns.registry_namespace_id,
    error_message: null,
    registry_endpoint: ns.registry_endpoint,
    description: ns.description,
    secret_environment_variables: hashedList(ns.secret_environment_variables),
    region: ns.region,
    tags: ns.tags,
    created_at: ns.created_at,
    updated_at: ns.updated_at,
    vpc_integration_activated: ns.vpc_integration_activated,
  };
}

function containerView(c: ContainerRecord) {
  const probe = c.liveness_probe;
  const concurrency =
    "concurrent_requests_threshold" in c.scaling_option ? c.scaling_option.concurrent_requests_threshold : 50;
  return {
    id: c.id,
    name: c.name,
    namespace_id: c.namespace_id,
    status: legacyStatus(c.status),
    environment_variables: c.environment_variables,
    min_scale: c.min_scale,
    max_scale: c.max_scale,
    memory_limit: Math.round(c.memory_limit_bytes / MB),
    cpu_limit: c.mvcpu_limit,
    timeout: c.timeout,
    error_message: c.status === "error" ? "the container failed to start" : null,
    privacy: c.privacy,
    description: c.description,
    registry_image: c.image,
    max_concurrency: concurrency,
    domain_name: new URL(c.public_endpoint).hostname,
    protocol: c.protocol,
    port: c.port,
    secret_environment_variables: hashedList(c.secret_environment_variables),
    http_option: c.https_connections_only ? "redirected" : "enabled",
    sandbox: c.sandbox,
    local_storage_limit: Math.round(c.local_storage_limit_bytes / MB),
    scaling_option: c.scaling_option,
    health_check: {
      failure_threshold: probe.failure_threshold,
      interval: probe.interval,
      ...(probe.http ? { http: probe.http } : { tcp: {} }),
    },
    created_at: c.created_at,
    updated_at: c.updated_at,
    ready_at: c.status === "ready" ? c.updated_at : null,
    region: c.region,
    tags: c.tags,
    private_network_id: c.private_network_id ?? null,
    command: c.command,
    args: c.args,
  };
}

function containerFields(body: Body, current?: ContainerRecord): ContainerFields {
  const memory = optionalInteger(body, "memory_limit", 1);
  const storage = optionalInteger(body, "local_storage_limit", 1);
  const concurrency = optionalInteger(body, "max_concurrency", 1, 1000);
  const httpOption = optionalEnum(body, "http_option", ["enabled", "redirected"]);
  // health_check is v1's liveness probe without its timeout.
  const livenessProbe = parseProbe(body, "health_check", current?.liveness_probe);
  return {
    description: optionalString(body, "description"),
    environmentVariables: optionalStringMap(body, "environment_variables"),
    secretEnvironmentVariables: secretsPatch(body, current?.secret_environment_variables),
    minScale: optionalInteger(body, "min_scale"),
    maxScale: optionalInteger(body, "max_scale", 1),
    memoryLimitBytes: memory === undefined ? undefined : memory * MB,
    mvcpuLimit: optionalInteger(body, "cpu_limit", 1),
    timeout: optionalDuration(body, "timeout"),
    privacy: optionalEnum(body, "privacy", ["public", "private"]),
    image: optionalString(body, "registry_image"),
    protocol: optionalEnum(body, "protocol", ["http1", "h2c"]),
    port: optionalInteger(body, "port", 1, 65535),
    httpsConnectionsOnly: httpOption === undefined ? undefined : httpOption === "redirected",
    sandbox: optionalEnum(body, "sandbox", ["v1", "v2"]),
    localStorageLimitBytes: storage === undefined ? undefined : storage * MB,
    scalingOption:
      parseScalingOption(body, "scaling_option") ??
      (concurrency === undefined ? undefined : { concurrent_requests_threshold: concurrency }),
    livenessProbe,
    tags: optionalStringList(body, "tags"),
    privateNetworkId: optionalString(body, "private_network_id"),
    command: optionalStringList(body, "command"),
    args: optionalStringList(body, "args"),
  };
}

export function registerV1beta1Routes(routes: ProductRoutes, model: ContainersModel): void {
  const findNamespace = (params: Readonly<Record<string, string>>) => {
    const namespace = model.read("namespace", params.namespaceId!, checkRegion(params.region));
    if (!namespace) throw legacyNotFound("namespace");
    return namespace;
  };
  const findContainer = (params: Readonly<Record<string, string>>) => {
    const container = model.read("container", params.containerId!, checkRegion(params.region));
    if (!container) throw legacyNotFound("container");
    return container;
  };

  routes.post(`${V1BETA1}/namespaces`, "CreateNamespace", ({ params, body }) => {
    const namespace = createNamespace(model, checkRegion(params.region), {
      name: requiredString(body, "name"),
      projectId: requiredString(body, "project_id"),
      description: optionalString(body, "description"),
      environmentVariables: optionalStringMap(body, "environment_variables"),
      secretEnvironmentVariables: secretsPatch(body),
      tags: optionalStringList(body, "tags"),
      vpcIntegration: optionalBoolean(body, "activate_vpc_integration"),
    });
    return { body: namespaceView(namespace) };
  });
  routes.get(`${V1BETA1}/namespaces`, "ListNamespaces", ({ params, query }) => ({
    body: paginate(listNamespaces(model, checkRegion(params.region), query).map(namespaceView), query, "namespaces"),
  }));
  routes.get(`${V1BETA1}/namespaces/:namespaceId`, "GetNamespace", ({ params }) => ({
    body: namespaceView(findNamespace(params)),
  }));
  routes.patch(`${V1BETA1}/namespaces/:namespaceId`, "UpdateNamespace", ({ params, body }) => {
    const namespace = findNamespace(params);
    const patch = {
      description: optionalString(body, "description"),
      environmentVariables: optionalStringMap(body, "environment_variables"),
      secretEnvironmentVariables: secretsPatch(body, namespace.secret_environment_variables),
      tags: optionalStringList(body, "tags"),
    };
    return { body: namespaceView(updateNamespace(model, namespace, patch)) };
  });
  routes.delete(`${V1BETA1}/namespaces/:namespaceId`, "DeleteNamespace", ({ params }) => {
    const namespace = findNamespace(params);
    if (!isDeleting(namespace)) model.delete("namespace", namespace);
    return { body: namespaceView(namespace) };
  });

  routes.post(`${V1BETA1}/containers`, "CreateContainer", ({ params, body }) => {
    const region = checkRegion(params.region);
    const namespaceId = requiredString(body, "namespace_id");
    const name = requiredString(body, "name");
    const fields = containerFields(body);
    // Without an image, v1beta1 deploys what is pushed to the namespace's registry.
    const registry = model.lookup("namespace", namespaceId, region)?.registry_endpoint;
    const image = fields.image ?? (registry ? `${registry}/${name}:latest` : undefined);
    const container = createContainer(model, region, { ...fields, image, namespaceId, name, deploy: false });
    return { body: containerView(container) };
  });
  routes.get(`${V1BETA1}/containers`, "ListContainers", ({ params, query }) => ({
    body: paginate(listContainers(model, checkRegion(params.region), query).map(containerView), query, "containers"),
  }));
  routes.get(`${V1BETA1}/containers/:containerId`, "GetContainer", ({ params }) => ({
    body: containerView(findContainer(params)),
  }));
  routes.patch(`${V1BETA1}/containers/:containerId`, "UpdateContainer", ({ params, body }) => {
    const container = findContainer(params);
    const redeploy = optionalBoolean(body, "redeploy") ?? container._deployed;
    return { body: containerView(updateContainer(model, container, containerFields(body, container), redeploy)) };
  });
  routes.post(`${V1BETA1}/containers/:containerId/deploy`, "DeployContainer", ({ params }) => ({
    body: containerView(deployContainer(model, findContainer(params))),
  }));
  routes.delete(`${V1BETA1}/containers/:containerId`, "DeleteContainer", ({ params }) => {
    const container = findContainer(params);
    if (!isDeleting(container)) model.delete("container", container);
    return { body: containerView(container) };
  });
}
