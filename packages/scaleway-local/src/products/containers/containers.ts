import { randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound, transientState } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import {
  hashSecrets,
  isDeleting,
  type ContainerRecord,
  type ContainersModel,
  type NamespaceRecord,
  type ProbeRecord,
  type ScalingOption,
} from "./model";
import { compactName, V1 } from "./namespaces";
import {
  checkRegion,
  optionalBoolean,
  optionalDuration,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  type Body,
} from "./values";

/** What a create or an update may set; absent fields keep their value (or default, at creation). */
export interface ContainerFields {
  readonly description?: string;
  readonly environmentVariables?: Record<string, string>;
  /** Plain values, hashed on the way in. */
  readonly secretEnvironmentVariables?: Record<string, string>;
  readonly minScale?: number;
  readonly maxScale?: number;
  readonly memoryLimitBytes?: number;
  readonly mvcpuLimit?: number;
  readonly timeout?: string;
  readonly privacy?: ContainerRecord["privacy"];
  readonly image?: string;
  readonly protocol?: ContainerRecord["protocol"];
  readonly port?: number;
  readonly httpsConnectionsOnly?: boolean;
  readonly sandbox?: ContainerRecord["sandbox"];
  readonly localStorageLimitBytes?: number;
  readonly scalingOption?: ScalingOption;
  readonly livenessProbe?: ProbeRecord;
  readonly startupProbe?: ProbeRecord;
  readonly tags?: string[];
  /** An empty string detaches the container from its Private Network. */
  readonly privateNetworkId?: string;
  readonly command?: string[];
  readonly args?: string[];
}

export interface ContainerInput extends ContainerFields {
  readonly namespaceId: string;
  readonly name: string;
  /** v1beta1 creates containers without deploying them (status `created`). */
  readonly deploy?: boolean;
}

/** The defaults the API fills in, as the recordings show them. */
const DEFAULTS = {
  min_scale: 0,
  max_scale: 5,
  memory_limit_bytes: 2_048_000_000,
  mvcpu_limit: 1000,
  timeout: "300s",
  privacy: "public",
  protocol: "http1",
  port: 8080,
  https_connections_only: false,
  sandbox: "v2",
  local_storage_limit_bytes: 1_000_000_000,
} as const;

export const DEFAULT_PROBE: ProbeRecord = { failure_threshold: 30, interval: "10s", timeout: "1s", tcp: {} };
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function createContainer(model: ContainersModel, region: string, input: ContainerInput): ContainerRecord {
  const namespace = model.lookup("namespace", input.namespaceId, region);
  if (!namespace || isDeleting(namespace)) throw notFound("namespace", input.namespaceId);
  if (!DNS_LABEL.test(input.name)) {
    throw invalidArgument("name", "must be lowercase letters, digits and dashes, at most 63 characters");
  }
  // The name is part of the container's hostname: two containers of a namespace cannot share it.
  const taken = model.existing("container", region, (c) => c.namespace_id === namespace.id && c.name === input.name);
  const live = taken.find((c) => !isDeleting(c));
  if (live) throw conflict("container", live.id, `container ${input.name} already exists`);
  const now = nowIso();
  const container: ContainerRecord = {
    id: randomUUID(),
    name: input.name,
    namespace_id: namespace.id,
    description: "",
    status: "creating",
    created_at: now,
    updated_at: now,
    ...DEFAULTS,
    image: "",
    scaling_option: { concurrent_requests_threshold: 50 },
    tags: [],
    command: [],
    args: [],
    environment_variables: {},
    secret_environment_variables: {},
    public_endpoint: publicEndpoint(namespace, input.name),
    liveness_probe: DEFAULT_PROBE,
    startup_probe: null,
    region,
    _deployed: input.deploy !== false,
  };
  applyFields(container, input);
  if (!container.image) throw invalidArgument("image", "image is required", "required");
  model.insert("container", container);
  if (!container._deployed) {
    container.status = "created";
    model.save("container");
    return container;
  }
  return model.begin("container", container, "creating", "ready");
}

/** Any change redeploys the container: it goes through `updating`, as every recorded update does. */
export function updateContainer(
  model: ContainersModel,
  container: ContainerRecord,
  fields: ContainerFields,
  redeploy = true,
): ContainerRecord {
  if (isDeleting(container)) throw transientState("container", container.id, container.status);
  applyFields(container, fields);
  container.updated_at = nowIso();
  if (!redeploy) {
    model.save("container");
    return container;
  }
  return deployContainer(model, container);
}

/** (Re)deploys a container: `updating` (`pending` for v1beta1), then `ready`. */
export function deployContainer(model: ContainersModel, container: ContainerRecord): ContainerRecord {
  if (isDeleting(container)) throw transientState("container", container.id, container.status);
  const first = !container._deployed;
  container._deployed = true;
  container.updated_at = nowIso();
  return model.begin("container", container, first ? "creating" : "updating", "ready");
}

export function listContainers(model: ContainersModel, region: string, query: Readonly<Record<string, string>>) {
  const found = model.list("container", region, (c) => {
    const namespace = model.collection("namespace").get(c.namespace_id);
    return (
      (!query.namespace_id || c.namespace_id === query.namespace_id) &&
      (!query.name || c.name.includes(query.name)) &&
      (!query.project_id || namespace?.project_id === query.project_id) &&
      (!query.organization_id || namespace?.organization_id === query.organization_id)
    );
  });
  return orderBy(found, query.order_by, "created_at_asc");
}

/** `https://<namespace name, compacted><namespace ID prefix>-<container name>.functions.fnc.<region>.scw.cloud` */
function publicEndpoint(namespace: NamespaceRecord, name: string): string {
  return `https://${compactName(namespace.name)}${namespace.id.slice(0, 8)}-${name}.functions.fnc.${namespace.region}.scw.cloud`;
}

/** Checks the whole change first, so that a refused update leaves the container as it was. */
function applyFields(container: ContainerRecord, fields: ContainerFields): void {
  if ((fields.minScale ?? container.min_scale) > (fields.maxScale ?? container.max_scale)) {
    throw invalidArgument("min_scale", "min_scale must be lower than or equal to max_scale");
  }
  const set = <K extends keyof ContainerRecord>(key: K, value: ContainerRecord[K] | undefined) => {
    if (value !== undefined) container[key] = value;
  };
  set("description", fields.description);
  set("environment_variables", fields.environmentVariables);
  if (fields.secretEnvironmentVariables !== undefined) {
    container.secret_environment_variables = hashSecrets(
      fields.secretEnvironmentVariables,
      container.secret_environment_variables,
    );
  }
  set("min_scale", fields.minScale);
  set("max_scale", fields.maxScale);
  set("memory_limit_bytes", fields.memoryLimitBytes);
  set("mvcpu_limit", fields.mvcpuLimit);
  set("timeout", fields.timeout);
  set("privacy", fields.privacy);
  set("image", fields.image);
  set("protocol", fields.protocol);
  set("port", fields.port);
  set("https_connections_only", fields.httpsConnectionsOnly);
  set("sandbox", fields.sandbox);
  set("local_storage_limit_bytes", fields.localStorageLimitBytes);
  set("scaling_option", fields.scalingOption);
  set("liveness_probe", fields.livenessProbe);
  set("startup_probe", fields.startupProbe);
  set("tags", fields.tags);
  set("command", fields.command);
  set("args", fields.args);
  if (fields.privateNetworkId === "") delete container.private_network_id;
  else set("private_network_id", fields.privateNetworkId);
}

export function parseScalingOption(body: Body, key: string): ScalingOption | undefined {
  const option = optionalObject(body, key);
  if (!option) return undefined;
  const set = (["concurrent_requests_threshold", "cpu_usage_threshold", "memory_usage_threshold"] as const).filter(
    (name) => option[name] !== undefined && option[name] !== null,
  );
  if (set.length !== 1) {
    throw invalidArgument(
      key,
      "exactly one of concurrent_requests_threshold, cpu_usage_threshold, memory_usage_threshold",
    );
  }
  const name = set[0]!;
  return { [name]: optionalInteger(option, name, 1, 1000)! } as ScalingOption;
}

/** A probe: `http` (with a path) or `tcp`, how often, how long, how many failures. */
export function parseProbe(body: Body, key: string, current: ProbeRecord = DEFAULT_PROBE): ProbeRecord | undefined {
  const probe = optionalObject(body, key);
  if (!probe) return undefined;
  const http = optionalObject(probe, "http");
  const result: ProbeRecord = {
    failure_threshold: optionalInteger(probe, "failure_threshold", 1, 1000) ?? current.failure_threshold,
    interval: optionalDuration(probe, "interval") ?? current.interval,
    timeout: optionalDuration(probe, "timeout") ?? current.timeout,
  };
  if (http) return { ...result, http: { path: optionalString(http, "path") || "/" } };
  return { ...result, tcp: {} };
}

function v1Fields(body: Body, current?: ContainerRecord): ContainerFields {
  return {
    description: optionalString(body, "description"),
    environmentVariables: optionalStringMap(body, "environment_variables"),
    secretEnvironmentVariables: optionalStringMap(body, "secret_environment_variables"),
    minScale: optionalInteger(body, "min_scale"),
    maxScale: optionalInteger(body, "max_scale", 1),
    memoryLimitBytes: optionalInteger(body, "memory_limit_bytes", 1),
    mvcpuLimit: optionalInteger(body, "mvcpu_limit", 1),
    timeout: optionalDuration(body, "timeout"),
    privacy: optionalEnum(body, "privacy", ["public", "private"]),
    image: optionalString(body, "image"),
    protocol: optionalEnum(body, "protocol", ["http1", "h2c"]),
    port: optionalInteger(body, "port", 1, 65535),
    // The update request spells it `https_connection_only`, the container `https_connections_only`.
    httpsConnectionsOnly:
      optionalBoolean(body, "https_connections_only") ?? optionalBoolean(body, "https_connection_only"),
    sandbox: optionalEnum(body, "sandbox", ["v1", "v2"]),
    localStorageLimitBytes: optionalInteger(body, "local_storage_limit_bytes", 1),
    scalingOption: parseScalingOption(body, "scaling_option"),
    livenessProbe: parseProbe(body, "liveness_probe", current?.liveness_probe),
    startupProbe: parseProbe(body, "startup_probe", current?.startup_probe ?? DEFAULT_PROBE),
    tags: optionalStringList(body, "tags"),
    privateNetworkId: optionalString(body, "private_network_id"),
    command: optionalStringList(body, "command"),
    args: optionalStringList(body, "args"),
  };
}

/** The v1 shape; `error_message` appears once a deployment has been attempted, as in production. */
export function containerV1View(c: ContainerRecord) {
  const status = c.status === "created" ? "creating" : c.status;
  return {
    id: c.id,
    name: c.name,
    namespace_id: c.namespace_id,
    description: c.description,
    status,
    ...(status === "ready" || status === "error" ? { error_message: "" } : {}),
    created_at: c.created_at,
    updated_at: c.updated_at,
    min_scale: c.min_scale,
    max_scale: c.max_scale,
    memory_limit_bytes: c.memory_limit_bytes,
    mvcpu_limit: c.mvcpu_limit,
    timeout: c.timeout,
    privacy: c.privacy,
    image: c.image,
    protocol: c.protocol,
    port: c.port,
    https_connections_only: c.https_connections_only,
    sandbox: c.sandbox,
    local_storage_limit_bytes: c.local_storage_limit_bytes,
    scaling_option: c.scaling_option,
    tags: c.tags,
    ...(c.private_network_id ? { private_network_id: c.private_network_id } : {}),
    command: c.command,
    args: c.args,
    environment_variables: c.environment_variables,
    public_endpoint: c.public_endpoint,
    liveness_probe: c.liveness_probe,
    startup_probe: c.startup_probe,
    secret_environment_variables: c.secret_environment_variables,
    region: c.region,
  };
}

export function registerContainerRoutes(routes: ProductRoutes, model: ContainersModel): void {
  const find = (params: Readonly<Record<string, string>>) => {
    const id = params.containerId!;
    const container = model.read("container", id, checkRegion(params.region));
    if (!container) throw notFound("container", id);
    return container;
  };

  routes.post(`${V1}/containers`, "CreateContainer", ({ params, body }) => {
    const input = { namespaceId: requiredString(body, "namespace_id"), name: requiredString(body, "name") };
    return {
      body: containerV1View(createContainer(model, checkRegion(params.region), { ...input, ...v1Fields(body) })),
    };
  });
  routes.get(`${V1}/containers`, "ListContainers", ({ params, query }) => ({
    body: paginate(listContainers(model, checkRegion(params.region), query).map(containerV1View), query, "containers"),
  }));
  routes.get(`${V1}/containers/:containerId`, "GetContainer", ({ params }) => ({
    body: containerV1View(find(params)),
  }));
  routes.patch(`${V1}/containers/:containerId`, "UpdateContainer", ({ params, body }) => {
    const container = find(params);
    return { body: containerV1View(updateContainer(model, container, v1Fields(body, container))) };
  });
  routes.post(`${V1}/containers/:containerId/redeploy`, "RedeployContainer", ({ params }) => ({
    body: containerV1View(deployContainer(model, find(params))),
  }));
  routes.delete(`${V1}/containers/:containerId`, "DeleteContainer", ({ params }) => {
    const container = find(params);
    if (!isDeleting(container)) model.delete("container", container);
    return { body: containerV1View(container) };
  });
}
