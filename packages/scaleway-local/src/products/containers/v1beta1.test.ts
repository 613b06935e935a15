import { Container, createClient } from "@scaleway/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../../server";

/** The v1beta1 API through the real JavaScript SDK, which has no v1 containers API. */
describe("Serverless Containers v1beta1 with @scaleway/sdk", () => {
  let local: LocalScaleway;
  let api: InstanceType<typeof Container.v1beta1.API>;
  // The SDK's waiters poll at one second at the soonest.
  const wait = { minDelay: 1, maxDelay: 1, timeout: 10 };

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    const env = local.env();
    const client = createClient({
      apiURL: local.apiUrl,
      accessKey: env.SCW_ACCESS_KEY,
      secretKey: env.SCW_SECRET_KEY,
      defaultProjectId: local.defaultProjectId,
      defaultOrganizationId: local.organizationId,
      defaultRegion: "fr-par",
    });
    api = new Container.v1beta1.API(client);
  });
  afterAll(async () => {
    await local.stop();
  });

  it("creates a namespace with its registry, a container that waits for a deploy, and deletes both", async () => {
    const created = await api.createNamespace({
      name: "sdk-namespace",
      environmentVariables: { MODE: "test" },
      secretEnvironmentVariables: [{ key: "TOKEN", value: "s3cr3t" }],
    });
    expect(created.status).toBe("pending");
    expect(created.registryEndpoint).toMatch(/^rg\.fr-par\.scw\.cloud\/funcscwsdknamespace[0-9a-f]{8}$/);
    expect(created.secretEnvironmentVariables).toEqual([
      { key: "TOKEN", hashedValue: expect.stringMatching(/^\$argon2id/) },
    ]);
    const namespace = await api.waitForNamespace({ namespaceId: created.id }, wait);
    expect(namespace.status).toBe("ready");

    const container = await api.createContainer({
      namespaceId: namespace.id,
      name: "sdk-container",
      memoryLimit: 256,
      cpuLimit: 140,
      httpOption: "redirected",
      healthCheck: { failureThreshold: 5, interval: "10s", http: { path: "/ping" } },
    });
    expect(container).toMatchObject({
      status: "created",
      memoryLimit: 256,
      cpuLimit: 140,
      httpOption: "redirected",
      registryImage: `${namespace.registryEndpoint}/sdk-container:latest`,
      healthCheck: { failureThreshold: 5, interval: "10s", http: { path: "/ping" } },
    });
    expect(container.domainName).toMatch(/^sdknamespace[0-9a-f]{8}-sdk-container\.functions\.fnc\.fr-par\.scw\.cloud$/);

    expect((await api.deployContainer({ containerId: container.id })).status).toBe("pending");
    expect((await api.waitForContainer({ containerId: container.id }, wait)).status).toBe("ready");

    const updated = await api.updateContainer({ containerId: container.id, minScale: 1, redeploy: true });
    expect(updated).toMatchObject({ status: "pending", minScale: 1 });
    const listed = await api.listContainers({ namespaceId: namespace.id });
    expect(listed.totalCount).toBe(1);

    await api.deleteContainer({ containerId: container.id });
    await api.deleteNamespace({ namespaceId: namespace.id });
    await expect(api.waitForNamespace({ namespaceId: namespace.id }, wait)).rejects.toThrow(/not found/i);
  });

  it("keeps crons as triggers and issues tokens", async () => {
    const namespace = await api.createNamespace({ name: "sdk-crons" });
    const container = await api.createContainer({ namespaceId: namespace.id, name: "cron-target" });
    const cron = await api.createCron({ containerId: container.id, schedule: "5 4 * * *", args: { test: "scw" } });
    expect(cron).toMatchObject({ status: "pending", args: { test: "scw" }, schedule: "5 4 * * *" });
    expect((await api.waitForCron({ cronId: cron.id }, wait)).status).toBe("ready");
    const renamed = await api.updateCron({ cronId: cron.id, name: "renamed", schedule: "0 0 * * *" });
    expect(renamed).toMatchObject({ name: "renamed", schedule: "0 0 * * *" });
    expect((await api.listCrons({ containerId: container.id })).totalCount).toBe(1);

    const token = await api.createToken({ namespaceId: namespace.id, description: "ci" });
    expect(token.token.split(".")).toHaveLength(3);
    const read = await api.waitForToken({ tokenId: token.id }, wait);
    expect(read).toMatchObject({ status: "ready", token: "<hidden>", namespaceId: namespace.id, description: "ci" });
    expect((await api.listTokens({ namespaceId: namespace.id })).totalCount).toBe(1);

    await api.deleteCron({ cronId: cron.id });
    await expect(api.waitForCron({ cronId: cron.id }, wait)).rejects.toThrow(/not found/i);
  });
});
