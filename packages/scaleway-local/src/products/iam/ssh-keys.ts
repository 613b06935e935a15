import { createHash, randomUUID } from "node:crypto";
import { invalidArgument } from "../../http/errors";
import { orderBy, paginate } from "../../http/pagination";
import type { ProductRoutes } from "../../http/router";
import { nowIso } from "../../state/lifecycle";
import { optionalBoolean, optionalString, optionalUuid, queryBoolean, requiredString, uuid } from "../../http/input";
import { randomName } from "../../http/names";
import type { IamState, SshKeyRecord } from "./state";

/** SSH keys of a project, which instances and other products install. */
export class SshKeys {
  constructor(private readonly state: IamState) {}

  create(body: Record<string, unknown>): SshKeyRecord {
    const { publicKey, fingerprint } = parsePublicKey(requiredString(body, "public_key"));
    if (this.state.sshKeys.list((key) => key.public_key === publicKey).length > 0)
      throw invalidArgument("public_key", "this SSH key is already registered");
    const now = nowIso();
    return this.state.sshKeys.insert({
      id: randomUUID(),
      name: optionalString(body, "name") || randomName("key"),
      public_key: publicKey,
      fingerprint,
      organization_id: this.state.organizationId,
      project_id: optionalUuid(body, "project_id") ?? this.state.defaultProjectId,
      disabled: false,
      created_at: now,
      updated_at: now,
    });
  }

  get(id: string): SshKeyRecord {
    return this.state.sshKeys.require(uuid(id, "ssh_key_id"), "ssh_key");
  }

  list(query: Readonly<Record<string, string>>): SshKeyRecord[] {
    const disabled = queryBoolean(query, "disabled");
    const found = this.state.sshKeys.list(
      (key) =>
        (!query.name || key.name.includes(query.name)) &&
        (!query.organization_id || key.organization_id === query.organization_id) &&
        (!query.project_id || key.project_id === query.project_id) &&
        (disabled === undefined || key.disabled === disabled),
    );
    return orderBy(found, query.order_by, "created_at_asc");
  }

  update(id: string, body: Record<string, unknown>): SshKeyRecord {
    const key = this.get(id);
    const name = optionalString(body, "name");
    const disabled = optionalBoolean(body, "disabled");
    return this.state.sshKeys.update(key.id, {
      ...(name ? { name } : {}),
      ...(disabled !== undefined ? { disabled } : {}),
      updated_at: nowIso(),
    });
  }

  delete(id: string): void {
    this.state.sshKeys.delete(this.get(id).id);
  }

  view(key: SshKeyRecord): Record<string, unknown> {
    return {
      id: key.id,
      name: key.name,
      public_key: key.public_key,
      fingerprint: key.fingerprint,
      created_at: key.created_at,
      updated_at: key.updated_at,
      organization_id: key.organization_id,
      project_id: key.project_id,
      disabled: key.disabled,
    };
  }
}

const KEY_TYPES = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com)$/;

/**
 * The key as the API keeps it (type and base64 blob, the comment dropped) and its
 * fingerprint as the API shows it: `<bits> MD5:<hex pairs> (<type>)`.
 */
export function parsePublicKey(text: string): { publicKey: string; fingerprint: string } {
  const [type, data] = text.trim().split(/\s+/);
  if (!type || !data || !KEY_TYPES.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data))
    throw invalidArgument("public_key", "must be an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa)");
  const blob = Buffer.from(data, "base64");
  const md5 = createHash("md5").update(blob).digest("hex").match(/../g)!.join(":");
  return { publicKey: `${type} ${data}`, fingerprint: `${keyBits(type, blob)} MD5:${md5} (${type})` };
}

function keyBits(type: string, blob: Buffer): number {
  if (type.startsWith("ecdsa")) return Number(type.slice(-3));
  if (type !== "ssh-rsa") return 256;
  // ssh-rsa blob: string "ssh-rsa", mpint e, mpint n; the size is n's bit length.
  let offset = 0;
  const field = () => {
    const length = blob.readUInt32BE(offset);
    const value = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };
  try {
    field();
    field();
    const modulus = field();
    const first = modulus.findIndex((byte) => byte !== 0);
    return first < 0 ? 0 : (modulus.length - first - 1) * 8 + (32 - Math.clz32(modulus[first]!));
  } catch {
    throw invalidArgument("public_key", "the RSA key is truncated");
  }
}

export function sshKeyRoutes(routes: ProductRoutes, keys: SshKeys) {
  routes.post("/iam/v1alpha1/ssh-keys", "CreateSSHKey", ({ body }) => ({ body: keys.view(keys.create(body)) }));
  routes.get("/iam/v1alpha1/ssh-keys", "ListSSHKeys", ({ query }) => ({
    body: paginate(
      keys.list(query).map((key) => keys.view(key)),
      query,
      "ssh_keys",
    ),
  }));
  routes.get("/iam/v1alpha1/ssh-keys/:sshKeyId", "GetSSHKey", ({ params }) => ({
    body: keys.view(keys.get(params.sshKeyId!)),
  }));
  routes.patch("/iam/v1alpha1/ssh-keys/:sshKeyId", "UpdateSSHKey", ({ params, body }) => ({
    body: keys.view(keys.update(params.sshKeyId!, body)),
  }));
  routes.delete("/iam/v1alpha1/ssh-keys/:sshKeyId", "DeleteSSHKey", ({ params }) => {
    keys.delete(params.sshKeyId!);
    return { status: 204 };
  });
}
