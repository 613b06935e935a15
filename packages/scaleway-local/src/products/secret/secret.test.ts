import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { createClient, Secret } from "@scaleway/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalScaleway, startLocalScaleway } from "../../server";

function secretApi(local: LocalScaleway) {
  const env = local.env();
  const client = createClient({
    accessKey: env.SCW_ACCESS_KEY!,
    secretKey: env.SCW_SECRET_KEY!,
    apiURL: local.apiUrl,
    defaultOrganizationId: local.organizationId,
    defaultProjectId: local.defaultProjectId,
    defaultRegion: "fr-par",
  });
  return new Secret.v1beta1.API(client);
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("Secret Manager", () => {
  let local: LocalScaleway;
  let api: ReturnType<typeof secretApi>;

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    api = secretApi(local);
  });
  afterAll(async () => {
    await local.stop();
  });

  it("keeps a secret's versions and answers the latest one's data", async () => {
    const secret = await api.createSecret({ name: "db-password", path: "/app/prod", tags: ["db"], protected: false });
    expect(secret).toMatchObject({
      name: "db-password",
      path: "/app/prod",
      type: "opaque",
      status: "ready",
      versionCount: 0,
      projectId: local.defaultProjectId,
      region: "fr-par",
    });
    const v1 = await api.createSecretVersion({ secretId: secret.id, data: base64("first"), description: "v1" });
    const v2 = await api.createSecretVersion({ secretId: secret.id, data: base64("second") });
    expect([v1.revision, v1.status, v2.revision]).toEqual([1, "enabled", 2]);

    const latest = await api.accessSecretVersion({ secretId: secret.id, revision: "latest" });
    expect(latest).toMatchObject({ revision: 2, data: base64("second"), type: "opaque" });
    const first = await api.accessSecretVersion({ secretId: secret.id, revision: "1" });
    expect(Buffer.from(first.data, "base64").toString()).toBe("first");

    expect((await api.getSecretVersion({ secretId: secret.id, revision: "1" })).latest).toBe(false);
    expect((await api.getSecretVersion({ secretId: secret.id, revision: "latest" })).revision).toBe(2);
    const { versions, totalCount } = await api.listSecretVersions({ secretId: secret.id });
    expect(totalCount).toBe(2);
    expect(versions.map((v) => v.revision)).toEqual([2, 1]);
    expect((await api.getSecret({ secretId: secret.id })).versionCount).toBe(2);
  });

  it("disables, enables and deletes versions; latest_enabled skips disabled ones", async () => {
    const secret = await api.createSecret({ name: "token", protected: false });
    await api.createSecretVersion({ secretId: secret.id, data: base64("a") });
    await api.createSecretVersion({ secretId: secret.id, data: base64("b") });
    await api.disableSecretVersion({ secretId: secret.id, revision: "2" });
    await expect(api.accessSecretVersion({ secretId: secret.id, revision: "2" })).rejects.toMatchObject({
      status: 412,
    });
    expect((await api.accessSecretVersion({ secretId: secret.id, revision: "latest_enabled" })).revision).toBe(1);
    await api.enableSecretVersion({ secretId: secret.id, revision: "2" });
    await api.deleteSecretVersion({ secretId: secret.id, revision: "1" });
    const deleted = await api.getSecretVersion({ secretId: secret.id, revision: "1" });
    expect(deleted.status).toBe("scheduled_for_deletion");
    expect(deleted.deletionRequestedAt).toBeInstanceOf(Date);
  });

  it("checks payloads against the secret's type and CRC32", async () => {
    const secret = await api.createSecret({ name: "kv", type: "key_value", protected: false });
    await api.createSecretVersion({ secretId: secret.id, data: base64('{"user":"app"}') });
    await expect(
      api.createSecretVersion({ secretId: secret.id, data: base64('{"user":"app","nested":{}}') }),
    ).rejects.toMatchObject({
      status: 400,
      body: { type: "invalid_arguments", details: [{ argument_name: "data", reason: "format" }] },
    });
    const data = Buffer.from('{"a":"b"}');
    const version = await api.createSecretVersion({
      secretId: secret.id,
      data: data.toString("base64"),
      dataCrc32: crc32(data),
    });
    expect((await api.accessSecretVersion({ secretId: secret.id, revision: String(version.revision) })).dataCrc32).toBe(
      crc32(data),
    );
    await expect(
      api.createSecretVersion({ secretId: secret.id, data: data.toString("base64"), dataCrc32: 1 }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("refuses to delete a protected secret, and schedules the deletion of others", async () => {
    const secret = await api.createSecret({ name: "keep-me", protected: true });
    await expect(api.deleteSecret({ secretId: secret.id })).rejects.toMatchObject({
      status: 412,
      body: { precondition: "protected_resource", help_message: "cannot delete a protected secret" },
    });
    await api.unprotectSecret({ secretId: secret.id });
    await api.deleteSecret({ secretId: secret.id });
    expect((await api.getSecret({ secretId: secret.id })).deletionRequestedAt).toBeInstanceOf(Date);
    const live = await api.listSecrets({ name: "keep-me", scheduledForDeletion: false });
    expect(live.totalCount).toBe(0);
    const scheduled = await api.listSecrets({ name: "keep-me", scheduledForDeletion: true });
    expect(scheduled.secrets.map((s) => s.id)).toEqual([secret.id]);
  });

  it("applies an ephemeral policy to new versions", async () => {
    const secret = await api.createSecret({
      name: "one-shot",
      protected: false,
      ephemeralPolicy: { timeToLive: "3600.000000000s", expiresOnceAccessed: true, action: "disable" },
    });
    expect(secret.ephemeralPolicy).toEqual({ timeToLive: "3600s", expiresOnceAccessed: true, action: "disable" });
    await api.createSecretVersion({ secretId: secret.id, data: base64("once") });
    const version = await api.getSecretVersion({ secretId: secret.id, revision: "1" });
    expect(version.ephemeralProperties?.expiresAt).toBeInstanceOf(Date);
    await api.accessSecretVersion({ secretId: secret.id, revision: "1" });
    expect((await api.getSecretVersion({ secretId: secret.id, revision: "1" })).status).toBe("disabled");
  });

  it("answers the API's 404 for unknown secrets and versions", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(api.getSecret({ secretId: missing })).rejects.toMatchObject({
      status: 404,
      body: { message: "resource is not found", resource: "secret", resource_id: missing, type: "not_found" },
    });
    const secret = await api.createSecret({ name: "empty", protected: false });
    await expect(api.getSecretVersion({ secretId: secret.id, revision: "latest" })).rejects.toMatchObject({
      status: 404,
      body: { type: "not_found" },
    });
  });

  it("paginates, browses folders and accesses by path", async () => {
    for (let i = 0; i < 3; i++) {
      const s = await api.createSecret({ name: `svc-${i}`, path: "/paged", protected: false });
      await api.createSecretVersion({ secretId: s.id, data: base64(`value-${i}`) });
    }
    const page = await api.listSecrets({
      path: "/paged",
      pageSize: 2,
      page: 2,
      orderBy: "name_asc",
      scheduledForDeletion: false,
    });
    expect(page.totalCount).toBe(3);
    expect(page.secrets.map((s) => s.name)).toEqual(["svc-2"]);
    const root = await api.browseSecrets({ prefix: "/" });
    expect(root.items.filter((item) => item.folder).map((item) => item.name)).toEqual(
      expect.arrayContaining(["paged", "app"]),
    );
    const folder = await api.browseSecrets({ prefix: "/paged" });
    expect(folder.items.map((item) => item.name)).toEqual(["svc-0", "svc-1", "svc-2"]);
    const byPath = await api.accessSecretVersionByPath({
      secretPath: "/paged",
      secretName: "svc-1",
      revision: "latest",
    });
    expect(Buffer.from(byPath.data, "base64").toString()).toBe("value-1");
  });
});

describe("Secret Manager across a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-secret-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps secrets and their version data", async () => {
    const first = await startLocalScaleway({ transitionMs: 50, dataDir });
    const secret = await secretApi(first).createSecret({ name: "persisted", protected: false });
    await secretApi(first).createSecretVersion({ secretId: secret.id, data: base64("kept") });
    await first.stop();

    const second = await startLocalScaleway({ transitionMs: 50, dataDir });
    try {
      const access = await secretApi(second).accessSecretVersion({ secretId: secret.id, revision: "latest" });
      expect(Buffer.from(access.data, "base64").toString()).toBe("kept");
    } finally {
      await second.stop();
    }
  });
});
