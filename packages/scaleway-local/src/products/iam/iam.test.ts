import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, Iam } from "@scaleway/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalScaleway, startLocalScaleway } from "../../server";
import { LOCAL_OWNER_USER_ID } from "./users";

function iamApi(local: LocalScaleway) {
  const env = local.env();
  const client = createClient({
    accessKey: env.SCW_ACCESS_KEY!,
    secretKey: env.SCW_SECRET_KEY!,
    apiURL: local.apiUrl,
    defaultOrganizationId: local.organizationId,
    defaultProjectId: local.defaultProjectId,
  });
  return new Iam.v1alpha1.API(client);
}

describe("IAM", () => {
  let local: LocalScaleway;
  let api: ReturnType<typeof iamApi>;

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    api = iamApi(local);
  });
  afterAll(async () => {
    await local.stop();
  });

  it("creates an application with a policy and an API key whose secret is shown once", async () => {
    const app = await api.createApplication({ name: "ci-deployer", description: "CI", tags: ["ci"] });
    expect(app).toMatchObject({
      name: "ci-deployer",
      organizationId: local.organizationId,
      nbApiKeys: 0,
      tags: ["ci"],
    });

    const policy = await api.createPolicy({
      name: "ci-objects",
      description: "",
      applicationId: app.id,
      rules: [
        {
          permissionSetNames: ["ObjectStorageObjectsRead", "ObjectStorageObjectsWrite"],
          projectIds: [local.defaultProjectId],
          condition: "",
        },
        { permissionSetNames: ["IAMReadOnly"], organizationId: local.organizationId, condition: "" },
      ],
    });
    expect(policy).toMatchObject({ applicationId: app.id, nbRules: 2, nbPermissionSets: 3, nbScopes: 2 });
    const { rules } = await api.listRules({ policyId: policy.id });
    expect(rules.map((rule) => rule.permissionSetsScopeType)).toEqual(["projects", "organization"]);
    expect(rules[0]).toMatchObject({ projectIds: [local.defaultProjectId] });

    const key = await api.createAPIKey({
      applicationId: app.id,
      description: "deploy",
      expiresAt: new Date("2040-01-01"),
    });
    expect(key.accessKey).toMatch(/^SCW[0-9A-Z]{17}$/);
    expect(key.secretKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(key).toMatchObject({ applicationId: app.id, defaultProjectId: local.defaultProjectId });
    expect(key.expiresAt?.toISOString()).toBe("2040-01-01T00:00:00.000Z");

    const fetched = await api.getAPIKey({ accessKey: key.accessKey });
    expect(fetched.secretKey).toBeNull();
    expect(fetched.userId).toBeUndefined();
    expect((await api.getApplication({ applicationId: app.id })).nbApiKeys).toBe(1);

    const updated = await api.updateAPIKey({ accessKey: key.accessKey, description: "deploy v2" });
    expect(updated.description).toBe("deploy v2");
    expect((await api.listAPIKeys({ applicationId: app.id })).apiKeys.map((k) => k.accessKey)).toEqual([key.accessKey]);

    await api.deleteApplication({ applicationId: app.id });
    // The application's keys go with it.
    await expect(api.getAPIKey({ accessKey: key.accessKey })).rejects.toMatchObject({
      status: 404,
      body: { type: "not_found", resource: "access_key", resource_id: key.accessKey },
    });
    await api.deletePolicy({ policyId: policy.id });
  });

  it("gives a key without a bearer to the organisation's owner", async () => {
    const key = await api.createAPIKey({ description: "mine" });
    expect(key.userId).toBe(LOCAL_OWNER_USER_ID);
    expect(key.applicationId).toBeUndefined();
    await api.deleteAPIKey({ accessKey: key.accessKey });
  });

  it("answers the caller's own key: the owner's, with its preferred project", async () => {
    // How tools learn who runs them (sovstack state init keeps that principal in bucket policies).
    const own = await api.getAPIKey({ accessKey: local.env().SCW_ACCESS_KEY! });
    expect(own).toMatchObject({
      userId: LOCAL_OWNER_USER_ID,
      defaultProjectId: local.defaultProjectId,
      secretKey: null,
    });
    expect(own.applicationId).toBeUndefined();
    const { apiKeys } = await api.listAPIKeys({ userId: LOCAL_OWNER_USER_ID });
    expect(apiKeys.map((k) => k.accessKey)).toContain(local.env().SCW_ACCESS_KEY);
  });

  it("refuses a rule naming a permission set that does not exist, or mixing scope types", async () => {
    const attempt = api.createPolicy({
      name: "bad",
      description: "",
      noPrincipal: true,
      rules: [{ permissionSetNames: ["ObjectStorageEverything"], projectIds: [local.defaultProjectId], condition: "" }],
    });
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      body: {
        type: "invalid_arguments",
        details: [
          {
            argument_name: "rules[0].permission_set_names",
            reason: "constraint",
            help_message: "permission set ObjectStorageEverything does not exist",
          },
        ],
      },
    });
    const policy = await api.createPolicy({ name: "ok", description: "", noPrincipal: true, rules: [] });
    const mixed = api.setRules({
      policyId: policy.id,
      rules: [
        {
          permissionSetNames: ["IAMManager", "AllProductsFullAccess"],
          organizationId: local.organizationId,
          condition: "",
        },
      ],
    });
    await expect(mixed).rejects.toMatchObject({
      body: { details: [{ help_message: "permission sets must be of the same scope type" }] },
    });
    const { rules } = await api.setRules({
      policyId: policy.id,
      rules: [
        { permissionSetNames: ["SecretManagerSecretAccess"], projectIds: [local.defaultProjectId], condition: "" },
      ],
    });
    expect(rules).toHaveLength(1);
    expect((await api.getPolicy({ policyId: policy.id })).noPrincipal).toBe(true);
  });

  it("lists the permission sets sovstack uses, with their scope", async () => {
    const { permissionSets } = await api.listPermissionSets({ pageSize: 100 });
    const byName = new Map(permissionSets.map((set) => [set.name, set.scopeType]));
    for (const name of [
      "ObjectStorageObjectsRead",
      "ObjectStorageObjectsWrite",
      "ObjectStorageObjectsDelete",
      "ObjectStorageBucketsRead",
      "SecretManagerSecretAccess",
      "SecretManagerReadOnly",
      "ContainersPrivateAccess",
      "ContainerRegistryReadOnly",
      "RelationalDatabasesFullAccess",
      "RelationalDatabasesReadOnly",
      "AllProductsFullAccess",
    ])
      expect(byName.get(name), name).toBe("projects");
    expect(byName.get("IAMManager")).toBe("organization");
  });

  it("manages groups of users and applications", async () => {
    const app = await api.createApplication({ name: "worker", description: "" });
    const user = await api.createUser({
      member: {
        email: "dev@example.com",
        username: "dev",
        password: "",
        sendPasswordEmail: false,
        sendWelcomeEmail: false,
        firstName: "",
        lastName: "",
        phoneNumber: "",
        locale: "",
      },
    });
    expect(user).toMatchObject({ type: "member", status: "activated", locale: "en_US" });
    const group = await api.createGroup({ name: "devs", description: "" });
    const set = await api.setGroupMembers({ groupId: group.id, userIds: [user.id], applicationIds: [app.id] });
    expect(set).toMatchObject({ userIds: [user.id], applicationIds: [app.id] });
    const removed = await api.removeGroupMember({ groupId: group.id, applicationId: app.id });
    expect(removed.applicationIds).toEqual([]);
    await expect(api.removeGroupMember({ groupId: group.id, applicationId: app.id })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      api.addGroupMember({ groupId: group.id, userId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({
      status: 404,
      body: { resource: "user" },
    });
    await api.deleteUser({ userId: user.id });
    expect((await api.getGroup({ groupId: group.id })).userIds).toEqual([]);
    await api.deleteGroup({ groupId: group.id });
    await expect(api.getGroup({ groupId: group.id })).rejects.toMatchObject({
      status: 404,
      body: { message: "resource is not found", resource: "group", resource_id: group.id, type: "not_found" },
    });
  });

  it("lists the organisation's owner among its users, who cannot be deleted", async () => {
    const { users } = await api.listUsers({ type: "owner" });
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: LOCAL_OWNER_USER_ID, type: "owner", deletable: false });
    await expect(api.deleteUser({ userId: LOCAL_OWNER_USER_ID })).rejects.toMatchObject({ status: 412 });
  });

  it("paginates lists", async () => {
    for (let i = 0; i < 5; i++) await api.createApplication({ name: `paged-${i}`, description: "" });
    const first = await api.listApplications({ name: "paged-", pageSize: 2, page: 1 });
    expect(first.totalCount).toBe(5);
    expect(first.applications.map((a) => a.name)).toEqual(["paged-0", "paged-1"]);
    const third = await api.listApplications({ name: "paged-", pageSize: 2, page: 3 });
    expect(third.applications.map((a) => a.name)).toEqual(["paged-4"]);
    const all = await api.listApplications({ name: "paged-", pageSize: 2 }).all();
    expect(all).toHaveLength(5);
  });

  it("keeps SSH keys without their comment and shows the key's fingerprint", async () => {
    const key = await api.createSSHKey({
      name: "laptop",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILHy/M5FVm5ydLGcal3e5LNcfTalbeN7QL/ZGCvDEdqJ foobar@example.com",
    });
    expect(key.publicKey).toBe("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILHy/M5FVm5ydLGcal3e5LNcfTalbeN7QL/ZGCvDEdqJ");
    expect(key.fingerprint).toBe("256 MD5:fd:2d:1c:d2:34:96:3f:8d:de:19:1e:da:f5:c1:05:7d (ssh-ed25519)");
    expect((await api.updateSSHKey({ sshKeyId: key.id, disabled: true })).disabled).toBe(true);
    await api.deleteSSHKey({ sshKeyId: key.id });
  });
});

describe("IAM across a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-iam-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps applications, policies and API keys in the data directory", async () => {
    const first = await startLocalScaleway({ transitionMs: 50, dataDir });
    const api = iamApi(first);
    const app = await api.createApplication({ name: "persisted", description: "" });
    const policy = await api.createPolicy({
      name: "persisted",
      description: "",
      applicationId: app.id,
      rules: [{ permissionSetNames: ["AllProductsFullAccess"], organizationId: first.organizationId, condition: "" }],
    });
    const key = await api.createAPIKey({ applicationId: app.id, description: "" });
    await first.stop();

    const second = await startLocalScaleway({ transitionMs: 50, dataDir });
    try {
      const again = iamApi(second);
      expect((await again.getApplication({ applicationId: app.id })).nbApiKeys).toBe(1);
      expect((await again.listRules({ policyId: policy.id })).rules[0]?.permissionSetNames).toEqual([
        "AllProductsFullAccess",
      ]);
      expect((await again.getAPIKey({ accessKey: key.accessKey })).applicationId).toBe(app.id);
      expect((await again.listUsers({})).users.filter((u) => u.type === "owner")).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
