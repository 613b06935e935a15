import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import type { StoredRecord } from "../../state/store";
import { isDeleting, type ContainerRecord, type ContainersModel, type TokenRecord } from "./model";
import { checkRegion, optionalString, optionalTimestamp } from "./values";
import { legacyNotFound, V1BETA1 } from "./v1beta1";

/**
 * Tokens of private containers (v1beta1, the only version that has them): JWTs signed
 * with a key of the local Scaleway, for one container or every container of a
 * namespace. The token is answered once; only its hash is kept, to check the
 * `X-Auth-Token` header of requests to the container's endpoint.
 */

interface SigningKey extends StoredRecord {
  private_key: string;
  public_key: string;
}

const SIGNING_KEY_ID = "token-signing-key";

export interface TokenInput {
  readonly containerId?: string;
  readonly namespaceId?: string;
  readonly description?: string;
  readonly expiresAt?: string;
}

export function createToken(model: ContainersModel, region: string, input: TokenInput) {
  if (Boolean(input.containerId) === Boolean(input.namespaceId)) {
    throw invalidArgument("container_id", "exactly one of container_id and namespace_id is required", "required");
  }
  if (input.containerId) {
    const container = model.lookup("container", input.containerId, region);
    if (!container || isDeleting(container)) throw legacyNotFound("container");
  } else {
    const namespace = model.lookup("namespace", input.namespaceId!, region);
    if (!namespace || isDeleting(namespace)) throw legacyNotFound("namespace");
  }
  const id = randomUUID();
  const key = signingKey(model);
  const now = Math.floor(Date.now() / 1000);
  const token = jwt(key.private_key, {
    application_claim: [{ namespace_id: input.namespaceId ?? "", application_id: input.containerId ?? "" }],
    version: 2,
    aud: "functions",
    ...(input.expiresAt ? { exp: Math.floor(Date.parse(input.expiresAt) / 1000) } : {}),
    jti: id,
    iat: now,
    iss: "SCALEWAY",
    nbf: now,
    sub: "token",
  });
  const record: TokenRecord = {
    id,
    ...(input.containerId ? { container_id: input.containerId } : { namespace_id: input.namespaceId! }),
    description: input.description ?? "",
    expires_at: input.expiresAt ?? null,
    status: "creating",
    created_at: nowIso(),
    region,
    _hash: hashToken(token),
  };
  model.insert("token", record);
  model.begin("token", record, "creating", "ready");
  return { record, token, publicKey: key.public_key };
}

/** Whether a token opens a container: issued for it or its namespace, ready, not expired. */
export function tokenOpens(model: ContainersModel, token: string, container: ContainerRecord): boolean {
  const hash = hashToken(token);
  const record = model.collection("token").list((t) => t._hash === hash)[0];
  if (!record || model.transitions.peek(record) !== "ready") return false;
  if (record.expires_at && Date.parse(record.expires_at) <= Date.now()) return false;
  return record.container_id === container.id || record.namespace_id === container.namespace_id;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The key that signs tokens, made once and kept, so that tokens outlive a restart. */
function signingKey(model: ContainersModel): SigningKey {
  const keys = model.context.store.collection<SigningKey>("containers.keys");
  const existing = keys.get(SIGNING_KEY_ID);
  if (existing) return existing;
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return keys.insert({
    id: SIGNING_KEY_ID,
    private_key: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    // Scaleway answers the public key in PKCS#1 ("BEGIN RSA PUBLIC KEY").
    public_key: pair.publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
  });
}

function jwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  const signature = sign("sha256", Buffer.from(unsigned), createPrivateKey(privateKeyPem));
  return `${unsigned}.${signature.toString("base64url")}`;
}

/** A token as v1beta1 answers it: the secret at creation only, `<hidden>` on reads, empty once deleted. */
function view(t: TokenRecord, token: string, publicKey: string) {
  return {
    token,
    public_key: publicKey,
    ...(t.container_id ? { container_id: t.container_id } : { namespace_id: t.namespace_id }),
    id: t.id,
    status: t.status,
    expires_at: t.expires_at,
    description: t.description,
  };
}

export function registerTokenRoutes(routes: ProductRoutes, model: ContainersModel): void {
  const find = (params: Readonly<Record<string, string>>) => {
    const token = model.read("token", params.tokenId!, checkRegion(params.region));
    if (!token) throw legacyNotFound("token");
    return token;
  };

  routes.post(`${V1BETA1}/tokens`, "CreateToken", ({ params, body }) => {
    const created = createToken(model, checkRegion(params.region), {
      containerId: optionalString(body, "container_id") || undefined,
      namespaceId: optionalString(body, "namespace_id") || undefined,
      description: optionalString(body, "description"),
      expiresAt: optionalTimestamp(body, "expires_at"),
    });
    return { body: view(created.record, created.token, created.publicKey) };
  });
  routes.get(`${V1BETA1}/tokens`, "ListTokens", ({ params, query }) => {
    const found = model.list(
      "token",
      checkRegion(params.region),
      (t) =>
        (!query.container_id || t.container_id === query.container_id) &&
        (!query.namespace_id || t.namespace_id === query.namespace_id),
    );
    const views = orderBy(found, query.order_by, "created_at_asc").map((t) => view(t, "<hidden>", ""));
    return { body: paginate(views, query, "tokens") };
  });
  routes.get(`${V1BETA1}/tokens/:tokenId`, "GetToken", ({ params }) => ({ body: view(find(params), "<hidden>", "") }));
  routes.delete(`${V1BETA1}/tokens/:tokenId`, "DeleteToken", ({ params }) => {
    const token = find(params);
    if (!isDeleting(token)) model.delete("token", token);
    return { body: view(token, "", "") };
  });
}
