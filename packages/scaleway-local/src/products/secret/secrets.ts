import { randomUUID } from "node:crypto";
import { conflict, invalidArgument, notFound, preconditionFailed } from "../../http/errors";
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
  requiredString,
  uuid,
} from "../../http/input";
import { ephemeralPolicy } from "./ephemeral";
import { region } from "./regions";
import type { SecretRecord, SecretState, SecretType } from "./state";

export const SECRET_TYPES: readonly SecretType[] = [
  "opaque",
  "certificate",
  "key_value",
  "basic_credentials",
  "database_credentials",
  "ssh_key",
];
const PRODUCTS = ["edge_services", "s2s_vpn"];
const PATH = /^\/([A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)?$/;

/**
 * Secrets: named, typed containers of versions, filed under a path. Deleting one schedules
 * its deletion (it stays readable, with `deletion_requested_at`, and can be restored);
 * a protected secret cannot be deleted.
 */
export class Secrets {
  constructor(private readonly state: SecretState) {}

  create(regionName: string, body: Record<string, unknown>): SecretRecord {
    const now = nowIso();
    const secret: SecretRecord = {
      id: randomUUID(),
      project_id: optionalUuid(body, "project_id") ?? this.state.defaultProjectId,
      name: secretName(requiredString(body, "name")),
      description: optionalString(body, "description") ?? "",
      tags: optionalStrings(body, "tags") ?? [],
      type: secretType(optionalString(body, "type")),
      path: secretPath(optionalString(body, "path")),
      protected: optionalBoolean(body, "protected") ?? false,
      ephemeral_policy: ephemeralPolicy(body) ?? null,
      used_by: [],
      key_id: optionalUuid(body, "key_id") ?? null,
      region: region(regionName),
      deletion_requested_at: null,
      created_at: now,
      updated_at: now,
    };
    this.checkUnique(secret);
    return this.state.secrets.insert(secret);
  }

  get(regionName: string, id: string): SecretRecord {
    const secret = this.state.secrets.get(uuid(id, "secret_id"));
    if (!secret || secret.region !== region(regionName)) throw notFound("secret", id);
    return secret;
  }

  /** The live secret filed under `path` with this name. */
  byPath(regionName: string, path: string, name: string, projectId?: string): SecretRecord {
    region(regionName);
    const folder = secretPath(path);
    const secret = this.state.secrets.list(
      (s) =>
        s.region === regionName &&
        s.path === folder &&
        s.name === name &&
        s.deletion_requested_at === null &&
        (!projectId || s.project_id === projectId),
    )[0];
    if (!secret) throw notFound("secret", name);
    return secret;
  }

  list(regionName: string, request: ApiRequest): SecretRecord[] {
    const { query } = request;
    region(regionName);
    const tags = queryValues(request, "tags");
    const ephemeral = queryBoolean(query, "ephemeral");
    const scheduled = queryBoolean(query, "scheduled_for_deletion") ?? false;
    const type = query.type === "unknown_type" ? undefined : query.type;
    const found = this.state.secrets.list(
      (secret) =>
        secret.region === regionName &&
        (!query.project_id || secret.project_id === query.project_id) &&
        (!query.name || secret.name === query.name) &&
        (!query.path || secret.path === query.path) &&
        (!type || secret.type === type) &&
        (tags.length === 0 || tags.every((tag) => secret.tags.includes(tag))) &&
        (ephemeral === undefined || ephemeral === (secret.ephemeral_policy !== null)) &&
        scheduled === (secret.deletion_requested_at !== null),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(regionName: string, id: string, body: Record<string, unknown>): SecretRecord {
    const secret = this.get(regionName, id);
    const name = optionalString(body, "name");
    const description = optionalString(body, "description");
    const tags = optionalStrings(body, "tags");
    const path = optionalString(body, "path");
    const policy = ephemeralPolicy(body);
    const updated: SecretRecord = {
      ...secret,
      ...(name !== undefined ? { name: secretName(name) } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(tags !== undefined ? { tags } : {}),
      ...(path !== undefined ? { path: secretPath(path) } : {}),
      ...(policy !== undefined ? { ephemeral_policy: policy } : {}),
      updated_at: nowIso(),
    };
    this.checkUnique(updated);
    return this.state.secrets.insert(updated);
  }

  delete(regionName: string, id: string): void {
    const secret = this.get(regionName, id);
    if (secret.protected) throw preconditionFailed("protected_resource", "cannot delete a protected secret");
    if (secret.deletion_requested_at === null)
      this.state.secrets.update(secret.id, { deletion_requested_at: nowIso() });
  }

  restore(regionName: string, id: string): SecretRecord {
    const secret = this.get(regionName, id);
    return this.state.secrets.update(secret.id, { deletion_requested_at: null, updated_at: nowIso() });
  }

  setProtected(regionName: string, id: string, value: boolean): SecretRecord {
    const secret = this.get(regionName, id);
    return this.state.secrets.update(secret.id, { protected: value, updated_at: nowIso() });
  }

  addOwner(regionName: string, id: string, body: Record<string, unknown>): void {
    const secret = this.get(regionName, id);
    const product = requiredString(body, "product");
    if (!PRODUCTS.includes(product)) throw invalidArgument("product", `must be one of ${PRODUCTS.join(", ")}`);
    if (!secret.used_by.includes(product))
      this.state.secrets.update(secret.id, { used_by: [...secret.used_by, product] });
  }

  /** Browsing a folder: the secrets right under `prefix` and the sub-folders below it. */
  browse(regionName: string, request: ApiRequest): Record<string, unknown> {
    const { query } = request;
    const prefix = secretPath(query.prefix || "/");
    const candidates = this.list(regionName, { ...request, query: { ...query, name: "", path: "" } });
    const within = candidates.filter(
      (s) => s.path === prefix || s.path.startsWith(prefix === "/" ? "/" : `${prefix}/`),
    );
    const folders = new Map<string, { name: string; created_at: string; updated_at: string }>();
    for (const secret of within.filter((s) => s.path !== prefix)) {
      const name = secret.path.slice(prefix.length).replace(/^\//, "").split("/")[0]!;
      const folder = folders.get(name);
      folders.set(name, {
        name,
        created_at: folder && folder.created_at < secret.created_at ? folder.created_at : secret.created_at,
        updated_at: folder && folder.updated_at > secret.updated_at ? folder.updated_at : secret.updated_at,
      });
    }
    const items = [
      ...[...folders.values()].map((folder) => ({ ...folder, folder: {} })),
      ...within
        .filter((s) => s.path === prefix)
        .map((s) => ({
          name: s.name,
          created_at: s.created_at,
          updated_at: s.updated_at,
          secret: {
            id: s.id,
            tags: s.tags,
            version_count: this.versionCount(s.id),
            protected: s.protected,
            ephemeral_policy: s.ephemeral_policy,
            type: s.type,
          },
        })),
    ];
    const page = paginate(orderBy(items, query.order_by, "name_asc"), query, "items");
    return { ...page, current_path: prefix };
  }

  tags(regionName: string, query: Readonly<Record<string, string>>): string[] {
    region(regionName);
    const secrets = this.state.secrets.list(
      (s) => s.region === regionName && (!query.project_id || s.project_id === query.project_id),
    );
    return [...new Set(secrets.flatMap((s) => s.tags))].sort();
  }

  types(regionName: string, query: Readonly<Record<string, string>>): string[] {
    region(regionName);
    const secrets = this.state.secrets.list(
      (s) => s.region === regionName && (!query.project_id || s.project_id === query.project_id),
    );
    return SECRET_TYPES.filter((type) => secrets.some((s) => s.type === type));
  }

  view(secret: SecretRecord): Record<string, unknown> {
    return {
      id: secret.id,
      project_id: secret.project_id,
      name: secret.name,
      status: "ready",
      created_at: secret.created_at,
      updated_at: secret.updated_at,
      tags: secret.tags,
      version_count: this.versionCount(secret.id),
      description: secret.description,
      managed: false,
      type: secret.type,
      protected: secret.protected,
      path: secret.path,
      ephemeral_policy: secret.ephemeral_policy,
      used_by: secret.used_by,
      deletion_requested_at: secret.deletion_requested_at,
      key_id: secret.key_id,
      region: secret.region,
    };
  }

  /** Versions created so far: deleting a version does not lower it. */
  private versionCount(secretId: string): number {
    return this.state.versions.list((version) => version.secret_id === secretId).length;
  }

  /** Within a project and region, a path holds one secret of a name (secrets being deleted aside). */
  private checkUnique(secret: SecretRecord): void {
    const clash = this.state.secrets.list(
      (other) =>
        other.id !== secret.id &&
        other.region === secret.region &&
        other.project_id === secret.project_id &&
        other.path === secret.path &&
        other.name === secret.name &&
        other.deletion_requested_at === null,
    )[0];
    if (clash) throw conflict("secret", clash.id, `a secret named ${secret.name} already exists in ${secret.path}`);
  }
}

function secretName(name: string): string {
  if (name === "" || name.includes("/") || name.length > 255)
    throw invalidArgument("name", "must be 1 to 255 characters, without /");
  return name;
}

function secretPath(path: string | undefined): string {
  const normalised = !path ? "/" : path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (!PATH.test(normalised)) throw invalidArgument("path", "must be an absolute path such as /app/prod");
  return normalised;
}

function secretType(type: string | undefined): SecretType {
  if (!type || type === "unknown_type") return "opaque";
  if (!SECRET_TYPES.includes(type as SecretType))
    throw invalidArgument("type", `must be one of ${SECRET_TYPES.join(", ")}`);
  return type as SecretType;
}

export function secretRoutes(routes: ProductRoutes, secrets: Secrets) {
  const base = "/secret-manager/v1beta1/regions/:region";
  routes.post(`${base}/secrets`, "CreateSecret", ({ params, body }) => ({
    body: secrets.view(secrets.create(params.region!, body)),
  }));
  routes.get(`${base}/secrets`, "ListSecrets", (request) => ({
    body: paginate(
      secrets.list(request.params.region!, request).map((s) => secrets.view(s)),
      request.query,
      "secrets",
    ),
  }));
  routes.get(`${base}/secrets/browse`, "BrowseSecrets", (request) => ({
    body: secrets.browse(request.params.region!, request),
  }));
  routes.get(`${base}/secrets/:secretId`, "GetSecret", ({ params }) => ({
    body: secrets.view(secrets.get(params.region!, params.secretId!)),
  }));
  routes.patch(`${base}/secrets/:secretId`, "UpdateSecret", ({ params, body }) => ({
    body: secrets.view(secrets.update(params.region!, params.secretId!, body)),
  }));
  routes.delete(`${base}/secrets/:secretId`, "DeleteSecret", ({ params }) => {
    secrets.delete(params.region!, params.secretId!);
    return { status: 204 };
  });
  routes.post(`${base}/secrets/:secretId/restore`, "RestoreSecret", ({ params }) => ({
    body: secrets.view(secrets.restore(params.region!, params.secretId!)),
  }));
  routes.post(`${base}/secrets/:secretId/protect`, "ProtectSecret", ({ params }) => ({
    body: secrets.view(secrets.setProtected(params.region!, params.secretId!, true)),
  }));
  routes.post(`${base}/secrets/:secretId/unprotect`, "UnprotectSecret", ({ params }) => ({
    body: secrets.view(secrets.setProtected(params.region!, params.secretId!, false)),
  }));
  routes.post(`${base}/secrets/:secretId/add-owner`, "AddSecretOwner", ({ params, body }) => {
    secrets.addOwner(params.region!, params.secretId!, body);
    return { status: 204 };
  });
  routes.get(`${base}/tags`, "ListTags", ({ params, query }) => ({
    body: paginate(secrets.tags(params.region!, query), query, "tags"),
  }));
  routes.get(`${base}/secret-types`, "ListSecretTypes", ({ params, query }) => ({
    body: paginate(secrets.types(params.region!, query), query, "types"),
  }));
}
