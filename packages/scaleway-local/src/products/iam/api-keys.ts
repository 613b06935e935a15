import { createHash, randomInt, randomUUID } from "node:crypto";
import { invalidArgument, notFound } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ApiRequest, ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalDate, optionalString, optionalUuid, queryBoolean, queryValues } from "../../http/input";
import type { ApiKeyRecord, IamState } from "./state";
import { ownerOf } from "./users";

/** Crockford's base32 digits: upper case, no I, L, O or U, as real access keys are. */
const ACCESS_KEY_DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ACCESS_KEY = /^SCW[0-9A-Z]{17}$/;
/** Where the local API keys are created from; the real API records the caller's address. */
const CREATION_IP = "127.0.0.1";

/**
 * The access key the local Scaleway hands out in `env()` (server.ts's LOCAL_ACCESS_KEY):
 * the owner's own key. A real caller can read its own key (`scw iam api-key get`), which
 * is how tools learn who they are (user or application) and the key's preferred project.
 */
export const LOCAL_OWNER_ACCESS_KEY = "SCWLOCALXXXXXXXXXXXX";

/** Files the owner's key the local credentials use, once, as the real organisation has it. */
export function ownerKeyOf(state: IamState): ApiKeyRecord {
  const existing = state.apiKeys.get(LOCAL_OWNER_ACCESS_KEY);
  if (existing) return existing;
  const now = nowIso();
  return state.apiKeys.insert({
    id: LOCAL_OWNER_ACCESS_KEY,
    description: "local Scaleway credentials",
    default_project_id: state.defaultProjectId,
    expires_at: null,
    user_id: ownerOf(state).id,
    creation_ip: CREATION_IP,
    created_at: now,
    updated_at: now,
    // The local Scaleway accepts any secret of the right shape: there is nothing to check it against.
    _secret_key_sha256: "",
  });
}

/**
 * API keys: an access key (`SCW` + 17 characters) and a secret key (a UUID) that is answered
 * once, at creation, and never kept. A key belongs to an application or to a user.
 */
export class ApiKeys {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): { key: ApiKeyRecord; secretKey: string } {
    const applicationId = optionalUuid(body, "application_id");
    const userId = optionalUuid(body, "user_id");
    if (applicationId && userId)
      throw invalidArgument("application_id", "only one of application_id and user_id may be set");
    if (applicationId && !this.state.applications.get(applicationId)) throw notFound("application", applicationId);
    if (userId && !this.state.users.get(userId)) throw notFound("user", userId);
    const expiresAt = optionalDate(body, "expires_at");
    const secretKey = randomUUID();
    const now = nowIso();
    const key = this.state.apiKeys.insert({
      id: this.newAccessKey(),
      description: optionalString(body, "description") ?? "",
      default_project_id: optionalUuid(body, "default_project_id") ?? this.state.defaultProjectId,
      expires_at: expiresAt ?? null,
      // Without a bearer the key is the caller's: here, the organisation's owner.
      ...(applicationId ? { application_id: applicationId } : { user_id: userId ?? ownerOf(this.state).id }),
      creation_ip: CREATION_IP,
      created_at: now,
      updated_at: now,
      _secret_key_sha256: createHash("sha256").update(secretKey).digest("hex"),
    });
    return { key, secretKey };
  }

  get(accessKey: string): ApiKeyRecord {
    if (!ACCESS_KEY.test(accessKey)) throw invalidArgument("access_key", "must be an access key (SCW...)");
    return this.state.apiKeys.require(accessKey, "access_key");
  }

  list(request: ApiRequest): ApiKeyRecord[] {
    const { query } = request;
    const editable = queryBoolean(query, "editable");
    const expired = queryBoolean(query, "expired");
    const accessKeys = queryValues(request, "access_keys");
    const bearerType = query.bearer_type === "unknown_bearer_type" ? undefined : query.bearer_type;
    const now = Date.now();
    const found = this.state.apiKeys.list(
      (key) =>
        (!query.application_id || key.application_id === query.application_id) &&
        (!query.user_id || key.user_id === query.user_id) &&
        (!query.bearer_id || key.application_id === query.bearer_id || key.user_id === query.bearer_id) &&
        (!bearerType || (bearerType === "application" ? !!key.application_id : !!key.user_id)) &&
        (!query.access_key || key.id === query.access_key) &&
        (accessKeys.length === 0 || accessKeys.includes(key.id)) &&
        (!query.description || key.description.includes(query.description)) &&
        (expired === undefined || expired === (key.expires_at !== null && Date.parse(key.expires_at) <= now)) &&
        editable !== false,
    );
    const sortable = found.map((key) => ({ ...key, access_key: key.id }));
    return orderBy(sortable, query.order_by, "created_at_asc");
  }

  update(accessKey: string, body: Record<string, unknown>): ApiKeyRecord {
    const key = this.get(accessKey);
    const description = optionalString(body, "description");
    const defaultProjectId = optionalUuid(body, "default_project_id");
    const expiresAt = optionalDate(body, "expires_at");
    return this.state.apiKeys.update(key.id, {
      ...(description !== undefined ? { description } : {}),
      ...(defaultProjectId ? { default_project_id: defaultProjectId } : {}),
      ...(expiresAt ? { expires_at: expiresAt } : {}),
      updated_at: nowIso(),
    });
  }

  delete(accessKey: string): void {
    this.state.apiKeys.delete(this.get(accessKey).id);
  }

  /** The key as the API answers it: the secret key only in the answer to its creation. */
  view(key: ApiKeyRecord, secretKey: string | null = null): Record<string, unknown> {
    return {
      access_key: key.id,
      secret_key: secretKey,
      description: key.description,
      created_at: key.created_at,
      updated_at: key.updated_at,
      expires_at: key.expires_at,
      default_project_id: key.default_project_id,
      editable: true,
      deletable: true,
      managed: false,
      creation_ip: key.creation_ip,
      ...(key.application_id ? { application_id: key.application_id } : { user_id: key.user_id }),
    };
  }

  private newAccessKey(): string {
    for (;;) {
      let key = "SCW";
      for (let i = 0; i < 17; i++) key += ACCESS_KEY_DIGITS[randomInt(ACCESS_KEY_DIGITS.length)];
      if (!this.state.apiKeys.get(key)) return key;
    }
  }
}

export function apiKeyRoutes(routes: ProductRoutes, keys: ApiKeys) {
  routes.post("/iam/v1alpha1/api-keys", "CreateAPIKey", ({ body }) => {
    const { key, secretKey } = keys.create(body);
    return { body: keys.view(key, secretKey) };
  });
  routes.get("/iam/v1alpha1/api-keys", "ListAPIKeys", (request) => ({
    body: paginate(
      keys.list(request).map((key) => keys.view(key)),
      request.query,
      "api_keys",
    ),
  }));
  routes.get("/iam/v1alpha1/api-keys/:accessKey", "GetAPIKey", ({ params }) => ({
    body: keys.view(keys.get(params.accessKey!)),
  }));
  routes.patch("/iam/v1alpha1/api-keys/:accessKey", "UpdateAPIKey", ({ params, body }) => ({
    body: keys.view(keys.update(params.accessKey!, body)),
  }));
  routes.delete("/iam/v1alpha1/api-keys/:accessKey", "DeleteAPIKey", ({ params }) => {
    keys.delete(params.accessKey!);
    return { status: 204 };
  });
}
