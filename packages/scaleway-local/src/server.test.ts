import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, ProxyAgent, fetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_DEFAULT_PROJECT_ID, startLocalScaleway, type LocalScaleway } from "./server";

const running: LocalScaleway[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

async function start(options: Parameters<typeof startLocalScaleway>[0] = {}) {
  const local = await startLocalScaleway({ transitionMs: 0, ...options });
  running.push(local);
  return local;
}

const api = (local: LocalScaleway, path: string, init: { method?: string; body?: unknown; token?: boolean } = {}) =>
  fetch(`${local.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token === false ? {} : { "x-auth-token": local.env().SCW_SECRET_KEY! }),
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
    dispatcher: new Agent(),
  });

describe("the local Scaleway server", () => {
  it("listens on loopback only and refuses another address", async () => {
    const local = await start();
    expect(new URL(local.apiUrl).hostname).toBe("127.0.0.1");
    await expect(startLocalScaleway({ host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
  });

  it("has the organisation's default project", async () => {
    const local = await start();
    const response = await api(local, `/account/v3/projects/${LOCAL_DEFAULT_PROJECT_ID}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: LOCAL_DEFAULT_PROJECT_ID, name: "default" });
  });

  it("answers 401 in Scaleway's shape without a token, 404 with it for a missing resource", async () => {
    const local = await start();
    const denied = await api(local, "/account/v3/projects", { token: false });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ type: "denied_authentication" });
    const missing = await api(local, "/account/v3/projects/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      message: "resource is not found",
      resource: "project",
      resource_id: "00000000-0000-4000-8000-000000000000",
      type: "not_found",
    });
  });

  it("paginates lists", async () => {
    const local = await start();
    for (let i = 0; i < 4; i++) await api(local, "/account/v3/projects", { method: "POST", body: { name: `p${i}` } });
    const page = await (await api(local, "/account/v3/projects?page=2&page_size=2")).json();
    expect(page).toMatchObject({ total_count: 5 });
    expect((page as { projects: unknown[] }).projects).toHaveLength(2);
  });

  it("keeps state across a restart with a data folder, and --reset starts clean", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "scaleway-local-"));
    const first = await start({ dataDir });
    const created = (await (
      await api(first, "/account/v3/projects", { method: "POST", body: { name: "kept" } })
    ).json()) as { id: string };
    await first.stop();
    running.pop();
    const second = await start({ dataDir });
    expect((await api(second, `/account/v3/projects/${created.id}`)).status).toBe(200);
    await second.stop();
    running.pop();
    const third = await start({ dataDir, reset: true });
    expect((await api(third, `/account/v3/projects/${created.id}`)).status).toBe(404);
  });

  it("injects faults per product and operation: 503, 429 with Retry-After, dropped connections", async () => {
    const local = await start();
    local.faults.set([
      { product: "account", operation: "ListProjects", rate: 1, statuses: [429], retryAfterSeconds: 7 },
    ]);
    const limited = await api(local, "/account/v3/projects");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await api(local, `/account/v3/projects/${LOCAL_DEFAULT_PROJECT_ID}`)).status).toBe(200);

    const admin = await fetch(`${local.apiUrl}/__local/faults`, {
      method: "PUT",
      body: JSON.stringify([{ product: "account", rate: 1, statuses: [503] }]),
      dispatcher: new Agent(),
    });
    expect(admin.status).toBe(200);
    expect((await api(local, `/account/v3/projects/${LOCAL_DEFAULT_PROJECT_ID}`)).status).toBe(503);

    local.faults.set([{ product: "account", dropRate: 1 }]);
    await expect(api(local, "/account/v3/projects")).rejects.toThrow();
  });

  it("refuses a fault rule that makes no sense", async () => {
    const local = await start();
    const response = await fetch(`${local.apiUrl}/__local/faults`, {
      method: "PUT",
      body: JSON.stringify([{ rate: 2 }]),
      dispatcher: new Agent(),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/rate must be from 0 to 1/);
  });

  it("counts API calls per product and operation", async () => {
    const local = await start();
    await api(local, "/account/v3/projects");
    await api(local, "/account/v3/projects");
    expect(local.calls.snapshot()).toMatchObject({ "account.ListProjects": 2 });
  });

  it("tunnels HTTPS for registered *.scw.cloud hosts with its own CA, and nothing else", async () => {
    const local = await start();
    const ca = readFileSync(local.proxy.caCertFile, "utf8");
    expect(ca).toMatch(/BEGIN CERTIFICATE/);
    const agent = new ProxyAgent({ uri: local.proxy.url, requestTls: { ca } });
    await expect(fetch("https://example.com/", { dispatcher: agent })).rejects.toThrow();
    await agent.close();
  });
});
