import { randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound, transientState } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { isDeleting, type ContainersModel, type DomainRecord } from "./model";
import { V1 } from "./namespaces";
import { checkRegion, optionalStringList, requiredString } from "./values";
import { legacyNotFound, legacyStatus, V1BETA1 } from "./v1beta1";

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A custom domain: a hostname of the user's, pointed (CNAME) at the container's endpoint. */
export function createDomain(
  model: ContainersModel,
  region: string,
  containerId: string,
  hostname: string,
  tags?: string[],
) {
  const container = model.lookup("container", containerId, region);
  if (!container || isDeleting(container)) throw notFound("container", containerId);
  const name = hostname.toLowerCase();
  if (!HOSTNAME.test(name)) throw invalidArgument("hostname", "must be a fully qualified domain name");
  const taken = model.existing("domain", region, (d) => d.hostname === name && !isDeleting(d));
  if (taken.length > 0) throw conflict("domain", taken[0]!.id, `domain ${name} is already used`);
  const now = nowIso();
  const domain: DomainRecord = {
    id: randomUUID(),
    hostname: name,
    container_id: container.id,
    namespace_id: container.namespace_id,
    status: "creating",
    created_at: now,
    updated_at: now,
    tags: tags ?? [],
    region,
  };
  model.insert("domain", domain);
  return model.begin("domain", domain, "creating", "ready");
}

function listDomains(model: ContainersModel, region: string, query: Readonly<Record<string, string>>) {
  const namespaces = model.collection("namespace");
  const found = model.list(
    "domain",
    region,
    (d) =>
      (!query.container_id || d.container_id === query.container_id) &&
      (!query.namespace_id || d.namespace_id === query.namespace_id) &&
      (!query.project_id || namespaces.get(d.namespace_id)?.project_id === query.project_id) &&
      (!query.organization_id || namespaces.get(d.namespace_id)?.organization_id === query.organization_id),
  );
  return orderBy(found, query.order_by, "created_at_asc");
}

function v1View(d: DomainRecord) {
  return {
    id: d.id,
    hostname: d.hostname,
    container_id: d.container_id,
    status: d.status,
    ...(d.status === "ready" || d.status === "error" ? { error_message: "" } : {}),
    created_at: d.created_at,
    updated_at: d.updated_at,
    tags: d.tags,
  };
}

function v1beta1View(d: DomainRecord) {
  return {
    id: d.id,
    hostname: d.hostname,
    container_id: d.container_id,
    url: `https://${d.hostname}`,
    status: legacyStatus(d.status),
    error_message: null,
  };
}

export function registerDomainRoutes(routes: ProductRoutes, model: ContainersModel): void {
  for (const version of ["v1", "v1beta1"] as const) {
    const base = version === "v1" ? V1 : V1BETA1;
    const view = (domain: DomainRecord): object => (version === "v1" ? v1View(domain) : v1beta1View(domain));
    const find = (params: Readonly<Record<string, string>>) => {
      const id = params.domainId!;
      const domain = model.read("domain", id, checkRegion(params.region));
      if (!domain) throw version === "v1" ? notFound("domain", id) : legacyNotFound("domain");
      return domain;
    };

    routes.post(`${base}/domains`, "CreateDomain", ({ params, body }) => {
      const tags = optionalStringList(body, "tags");
      const domain = createDomain(
        model,
        checkRegion(params.region),
        requiredString(body, "container_id"),
        requiredString(body, "hostname"),
        tags,
      );
      return { body: view(domain) };
    });
    routes.get(`${base}/domains`, "ListDomains", ({ params, query }) => ({
      body: paginate(listDomains(model, checkRegion(params.region), query).map(view), query, "domains"),
    }));
    routes.get(`${base}/domains/:domainId`, "GetDomain", ({ params }) => ({ body: view(find(params)) }));
    routes.delete(`${base}/domains/:domainId`, "DeleteDomain", ({ params }) => {
      const domain = find(params);
      if (!isDeleting(domain)) model.delete("domain", domain);
      return { body: view(domain) };
    });
  }

  routes.patch(`${V1}/domains/:domainId`, "UpdateDomain", ({ params, body }) => {
    const id = params.domainId!;
    const domain = model.read("domain", id, checkRegion(params.region));
    if (!domain) throw notFound("domain", id);
    if (isDeleting(domain)) throw transientState("domain", domain.id, domain.status);
    const tags = optionalStringList(body, "tags");
    if (tags !== undefined) domain.tags = tags;
    domain.updated_at = nowIso();
    model.save("domain");
    return { body: v1View(domain) };
  });
}
