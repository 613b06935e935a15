import { invalidArgument, notFound, preconditionFailed } from "../../http/errors";
import { paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalBoolean, optionalString, queryValues, requiredString } from "../../http/input";
import { expiredStatus, propertiesFor } from "./ephemeral";
import { checkPayload } from "./payload";
import type { Secrets } from "./secrets";
import { type SecretRecord, type SecretState, type VersionRecord, type VersionStatus, versionKey } from "./state";

const LIVE: readonly VersionStatus[] = ["enabled", "disabled"];

/**
 * Versions of a secret, numbered from 1. A revision is a number, `latest` (the newest
 * version not deleted) or `latest_enabled`. Only an enabled version can be accessed; its
 * payload is answered base64, as it was given. Deleting schedules the version's deletion.
 */
export class Versions {
  constructor(
    private readonly state: SecretState,
    private readonly secrets: Secrets,
  ) {}

  create(regionName: string, secretId: string, body: Record<string, unknown>): VersionRecord {
    const secret = this.secrets.get(regionName, secretId);
    if (secret.deletion_requested_at !== null)
      throw preconditionFailed(
        "secret_scheduled_for_deletion",
        "the secret is scheduled for deletion; restore it first",
      );
    const crc = checkPayload(secret.type, body.data, body.data_crc32);
    const all = this.all(secret.id);
    if (optionalBoolean(body, "disable_previous")) {
      const previous = this.latest(all, ["enabled"]);
      if (previous) this.state.versions.update(previous.id, { status: "disabled", updated_at: nowIso() });
    }
    const created = new Date();
    const revision = all.reduce((max, v) => Math.max(max, v.revision), 0) + 1;
    return this.state.versions.insert({
      id: versionKey(secret.id, revision),
      secret_id: secret.id,
      revision,
      status: "enabled",
      description: optionalString(body, "description") ?? "",
      ephemeral_properties: propertiesFor(secret.ephemeral_policy, created),
      deletion_requested_at: null,
      deleted_at: null,
      region: secret.region,
      created_at: created.toISOString(),
      updated_at: created.toISOString(),
      _data: body.data as string,
      _data_crc32: crc,
    });
  }

  get(regionName: string, secretId: string, revision: string): VersionRecord {
    const secret = this.secrets.get(regionName, secretId);
    return this.resolve(secret, revision);
  }

  list(regionName: string, secretId: string, request: ApiRequest): VersionRecord[] {
    const secret = this.secrets.get(regionName, secretId);
    const statuses = queryValues(request, "status").filter((s) => s !== "unknown_status");
    return this.all(secret.id)
      .filter((v) => statuses.length === 0 || statuses.includes(v.status))
      .sort((a, b) => b.revision - a.revision);
  }

  update(regionName: string, secretId: string, revision: string, body: Record<string, unknown>): VersionRecord {
    const version = this.get(regionName, secretId, revision);
    const description = optionalString(body, "description");
    return this.state.versions.update(version.id, {
      ...(description !== undefined ? { description } : {}),
      updated_at: nowIso(),
    });
  }

  setStatus(regionName: string, secretId: string, revision: string, status: "enabled" | "disabled"): VersionRecord {
    const version = this.get(regionName, secretId, revision);
    if (!LIVE.includes(version.status))
      throw preconditionFailed("secret_version_status", `a version ${version.status} cannot be ${status}`);
    return this.state.versions.update(version.id, { status, updated_at: nowIso() });
  }

  delete(regionName: string, secretId: string, revision: string): void {
    const version = this.get(regionName, secretId, revision);
    if (version.status === "deleted") throw notFound("secret_version", String(version.revision));
    const now = nowIso();
    this.state.versions.update(version.id, {
      status: "scheduled_for_deletion",
      deletion_requested_at: now,
      updated_at: now,
    });
  }

  restore(regionName: string, secretId: string, revision: string): VersionRecord {
    const version = this.get(regionName, secretId, revision);
    if (version.status !== "scheduled_for_deletion")
      throw preconditionFailed("secret_version_status", "only a version scheduled for deletion can be restored");
    return this.state.versions.update(version.id, {
      status: "disabled",
      deletion_requested_at: null,
      updated_at: nowIso(),
    });
  }

  /** The payload of an enabled version; a version that expires once accessed expires now. */
  access(secret: SecretRecord, revision: string): Record<string, unknown> {
    const version = this.resolve(secret, revision);
    if (version.status !== "enabled")
      throw preconditionFailed("secret_version_status", `the version is ${version.status}; enable it to access it`);
    const answer = {
      secret_id: secret.id,
      revision: version.revision,
      data: version._data,
      data_crc32: version._data_crc32,
      type: secret.type,
    };
    const properties = version.ephemeral_properties;
    if (properties?.expires_once_accessed) {
      const status = properties.action === "disable" ? "disabled" : "deleted";
      this.state.versions.update(version.id, { status, updated_at: nowIso() });
    }
    return answer;
  }

  accessById(regionName: string, secretId: string, revision: string): Record<string, unknown> {
    return this.access(this.secrets.get(regionName, secretId), revision);
  }

  /** Access by folder and name, for clients that know a secret's path rather than its ID. */
  accessByPath(regionName: string, revision: string, query: Readonly<Record<string, string>>): Record<string, unknown> {
    const name = requiredString(query, "secret_name");
    return this.access(this.secrets.byPath(regionName, query.secret_path || "/", name, query.project_id), revision);
  }

  view(version: VersionRecord): Record<string, unknown> {
    const latest = this.latest(this.all(version.secret_id), LIVE);
    return {
      revision: version.revision,
      secret_id: version.secret_id,
      status: version.status,
      created_at: version.created_at,
      updated_at: version.updated_at,
      deleted_at: version.deleted_at,
      description: version.description,
      latest: latest?.id === version.id,
      ephemeral_properties: version.ephemeral_properties,
      deletion_requested_at: version.deletion_requested_at,
      region: version.region,
    };
  }

  /** A secret's versions, expired ones moved to the status their policy says. */
  private all(secretId: string): VersionRecord[] {
    return this.state.versions
      .list((v) => v.secret_id === secretId)
      .map((version) => {
        const status = expiredStatus(version);
        return status ? this.state.versions.update(version.id, { status, updated_at: nowIso() }) : version;
      });
  }

  private latest(versions: readonly VersionRecord[], statuses: readonly VersionStatus[]): VersionRecord | undefined {
    return versions
      .filter((v) => statuses.includes(v.status))
      .reduce<VersionRecord | undefined>((best, v) => (!best || v.revision > best.revision ? v : best), undefined);
  }

  private resolve(secret: SecretRecord, revision: string): VersionRecord {
    const versions = this.all(secret.id);
    let found: VersionRecord | undefined;
    if (revision === "latest") found = this.latest(versions, LIVE);
    else if (revision === "latest_enabled") found = this.latest(versions, ["enabled"]);
    else if (/^[1-9]\d*$/.test(revision)) found = versions.find((v) => v.revision === Number(revision));
    else throw invalidArgument("revision", "must be a revision number, latest or latest_enabled");
    if (!found) throw notFound("secret_version", revision);
    return found;
  }
}

export function versionRoutes(routes: ProductRoutes, versions: Versions) {
  const base = "/secret-manager/v1beta1/regions/:region/secrets/:secretId/versions";
  routes.post(base, "CreateSecretVersion", ({ params, body }) => ({
    body: versions.view(versions.create(params.region!, params.secretId!, body)),
  }));
  routes.get(base, "ListSecretVersions", (request) => ({
    body: paginate(
      versions.list(request.params.region!, request.params.secretId!, request).map((v) => versions.view(v)),
      request.query,
      "versions",
    ),
  }));
  routes.get(`${base}/:revision`, "GetSecretVersion", ({ params }) => ({
    body: versions.view(versions.get(params.region!, params.secretId!, params.revision!)),
  }));
  routes.patch(`${base}/:revision`, "UpdateSecretVersion", ({ params, body }) => ({
    body: versions.view(versions.update(params.region!, params.secretId!, params.revision!, body)),
  }));
  routes.delete(`${base}/:revision`, "DeleteSecretVersion", ({ params }) => {
    versions.delete(params.region!, params.secretId!, params.revision!);
    return { status: 204 };
  });
  routes.get(`${base}/:revision/access`, "AccessSecretVersion", ({ params }) => ({
    body: versions.accessById(params.region!, params.secretId!, params.revision!),
  }));
  routes.post(`${base}/:revision/enable`, "EnableSecretVersion", ({ params }) => ({
    body: versions.view(versions.setStatus(params.region!, params.secretId!, params.revision!, "enabled")),
  }));
  routes.post(`${base}/:revision/disable`, "DisableSecretVersion", ({ params }) => ({
    body: versions.view(versions.setStatus(params.region!, params.secretId!, params.revision!, "disabled")),
  }));
  routes.post(`${base}/:revision/restore`, "RestoreSecretVersion", ({ params }) => ({
    body: versions.view(versions.restore(params.region!, params.secretId!, params.revision!)),
  }));
  routes.get(
    "/secret-manager/v1beta1/regions/:region/secrets-by-path/versions/:revision/access",
    "AccessSecretVersionByPath",
    ({ params, query }) => ({ body: versions.accessByPath(params.region!, params.revision!, query) }),
  );
}
