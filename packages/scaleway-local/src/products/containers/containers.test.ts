import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../../server";
import { endpointClient, restClient, waitFor } from "./test-client";

/**
 * The v1 API with plain HTTP: the JavaScript SDK (@scaleway/sdk 2.78.0) only has the
 * v1beta1 containers API, which v1beta1.test.ts drives with the SDK itself.
 */
const V1 = "/containers/v1/regions/fr-par";

describe("Serverless Containers v1", () => {
  let local: LocalScaleway;
  let call: ReturnType<typeof restClient>;

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    call = restClient(local);
  });
  afterAll(async () => {
    await local.stop();
  });

  const createNamespace = async (name: string, extra: Record<string, unknown> = {}) => {
    const created = await call("POST", `${V1}/namespaces`, { name, project_id: local.defaultProjectId, ...extra });
    expect(created.status).toBe(200);
    return created.body;
  };
  const until = (path: string, status: string) =>
    waitFor(
      () => call("GET", path),
      (answer) => answer.body?.status === status,
    );
  const untilGone = (path: string) =>
    waitFor(
      () => call("GET", path),
      (answer) => answer.status === 404,
    );

  it("creates a namespace and a container with the API's defaults, then lists, updates and deletes them", async () => {
    const namespace = await createNamespace("tf-acctest-basic");
    expect(namespace).toMatchObject({ status: "creating", organization_id: local.organizationId, region: "fr-par" });
    expect(namespace).not.toHaveProperty("registry_endpoint");
    await until(`${V1}/namespaces/${namespace.id}`, "ready");

    const created = await call("POST", `${V1}/containers`, {
      namespace_id: namespace.id,
      name: "web",
      image: "nginx:1.29.4-alpine",
      privacy: "public",
      protocol: "http1",
      port: 80,
      sandbox: "unknown_sandbox",
      timeout: "300.000000000s",
      environment_variables: null,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      status: "creating",
      min_scale: 0,
      max_scale: 5,
      memory_limit_bytes: 2048000000,
      mvcpu_limit: 1000,
      timeout: "300s",
      sandbox: "v2",
      local_storage_limit_bytes: 1000000000,
      scaling_option: { concurrent_requests_threshold: 50 },
      liveness_probe: { failure_threshold: 30, interval: "10s", timeout: "1s", tcp: {} },
      startup_probe: null,
      https_connections_only: false,
      public_endpoint: `https://tfacctestbasic${namespace.id.slice(0, 8)}-web.functions.fnc.fr-par.scw.cloud`,
    });
    expect(created.body).not.toHaveProperty("error_message");
    const ready = await until(`${V1}/containers/${created.body.id}`, "ready");
    expect(ready.body.error_message).toBe("");

    const listed = await call("GET", `${V1}/containers?namespace_id=${namespace.id}&name=web`);
    expect(listed.body).toMatchObject({ total_count: 1, containers: [{ id: created.body.id }] });

    const updated = await call("PATCH", `${V1}/containers/${created.body.id}`, {
      privacy: "unknown_privacy",
      https_connection_only: true,
      min_scale: 1,
      liveness_probe: {
        failure_threshold: 40,
        interval: "12.000000000s",
        timeout: "1.000000000s",
        http: { path: "/up" },
      },
    });
    expect(updated.body).toMatchObject({
      status: "updating",
      privacy: "public",
      https_connections_only: true,
      min_scale: 1,
      liveness_probe: { failure_threshold: 40, interval: "12s", http: { path: "/up" } },
    });
    await until(`${V1}/containers/${created.body.id}`, "ready");

    const deleted = await call("DELETE", `${V1}/containers/${created.body.id}`);
    expect(deleted.body.status).toBe("deleting");
    const gone = await untilGone(`${V1}/containers/${created.body.id}`);
    expect(gone.body).toEqual({
      message: "resource is not found",
      resource: "container",
      resource_id: created.body.id,
      type: "not_found",
    });

    await call("DELETE", `${V1}/namespaces/${namespace.id}`);
    await untilGone(`${V1}/namespaces/${namespace.id}`);
  });

  it("shows a transitional status to the first read however short the transition, then moves on", async () => {
    const namespace = await createNamespace("life-cycle");
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await call("GET", `${V1}/namespaces/${namespace.id}`)).body.status).toBe("creating");
    expect((await call("GET", `${V1}/namespaces/${namespace.id}`)).body.status).toBe("ready");

    // Only environment changes redeploy: a description does not.
    const described = await call("PATCH", `${V1}/namespaces/${namespace.id}`, { description: "d" });
    expect(described.body.status).toBe("ready");
    const env = await call("PATCH", `${V1}/namespaces/${namespace.id}`, { environment_variables: { A: "1" } });
    expect(env.body.status).toBe("updating");
    await until(`${V1}/namespaces/${namespace.id}`, "ready");

    await call("DELETE", `${V1}/namespaces/${namespace.id}`);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await call("GET", `${V1}/namespaces/${namespace.id}`)).body.status).toBe("deleting");
    expect((await call("GET", `${V1}/namespaces/${namespace.id}`)).status).toBe(404);
  });

  it("paginates lists and rejects a wrong page size with Scaleway's error", async () => {
    for (const name of ["page-a", "page-b", "page-c"]) await createNamespace(name);
    const first = await call("GET", `${V1}/namespaces?name=page-&page_size=2&order_by=name_asc`);
    expect(first.body.total_count).toBe(3);
    expect(first.body.namespaces.map((ns: { name: string }) => ns.name)).toEqual(["page-a", "page-b"]);
    const second = await call("GET", `${V1}/namespaces?name=page-&page_size=2&page=2&order_by=name_asc`);
    expect(second.body.namespaces.map((ns: { name: string }) => ns.name)).toEqual(["page-c"]);
    const wrong = await call("GET", `${V1}/namespaces?page_size=0`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ type: "invalid_arguments", details: [{ argument_name: "page_size" }] });
  });

  it("validates input and refuses two containers of one name in a namespace", async () => {
    const namespace = await createNamespace("validation");
    const noImage = await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "x" });
    expect(noImage.status).toBe(400);
    expect(noImage.body).toMatchObject({
      type: "invalid_arguments",
      details: [{ argument_name: "image", reason: "required" }],
    });
    const badName = await call("POST", `${V1}/containers`, {
      namespace_id: namespace.id,
      name: "Not_A_Label",
      image: "i",
    });
    expect(badName.status).toBe(400);
    const first = await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "twin", image: "i" });
    expect(first.status).toBe(200);
    const twin = await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "twin", image: "i" });
    expect(twin.status).toBe(409);
    const refused = await call("PATCH", `${V1}/containers/${first.body.id}`, { image: "changed", min_scale: 9 });
    expect(refused.status).toBe(400);
    expect((await call("GET", `${V1}/containers/${first.body.id}`)).body).toMatchObject({ image: "i", min_scale: 0 });
    const unknownNamespace = await call("POST", `${V1}/containers`, {
      namespace_id: "00000000-0000-4000-8000-000000000000",
      name: "x",
      image: "i",
    });
    expect(unknownNamespace.body).toMatchObject({ type: "not_found", resource: "namespace" });
  });

  it("keeps secret environment variables hashed, and an empty value keeps a key", async () => {
    const namespace = await createNamespace("secrets", { secret_environment_variables: { S1: "one", S2: "two" } });
    expect(JSON.stringify(namespace)).not.toMatch(/"one"|"two"/);
    expect(namespace.secret_environment_variables.S1).toMatch(/^\$argon2id\$/);
    const updated = await call("PATCH", `${V1}/namespaces/${namespace.id}`, {
      secret_environment_variables: { S1: "", S3: "three" },
    });
    expect(Object.keys(updated.body.secret_environment_variables).sort()).toEqual(["S1", "S3"]);
    expect(updated.body.secret_environment_variables.S1).toBe(namespace.secret_environment_variables.S1);
  });

  it("runs cron, SQS and NATS triggers, redeploying only for configuration changes", async () => {
    const namespace = await createNamespace("triggers");
    const container = (await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "c", image: "i" }))
      .body;
    const cron = await call("POST", `${V1}/triggers`, {
      container_id: container.id,
      name: "nightly",
      cron_config: { schedule: "5 4 * * *", timezone: "Europe/Paris", body: '{"a":1}', headers: null },
    });
    expect(cron.body).toMatchObject({
      status: "creating",
      source_type: "cron",
      destination_config: { http_path: "/", http_method: "post" },
      cron_config: { schedule: "5 4 * * *", timezone: "Europe/Paris", headers: {} },
    });
    await until(`${V1}/triggers/${cron.body.id}`, "ready");
    const renamed = await call("PATCH", `${V1}/triggers/${cron.body.id}`, {
      name: "renamed",
      cron_config: { schedule: null, timezone: null, body: null, headers: null },
    });
    expect(renamed.body).toMatchObject({ status: "ready", name: "renamed" });
    const rescheduled = await call("PATCH", `${V1}/triggers/${cron.body.id}`, {
      cron_config: { schedule: "0 0 * * *" },
    });
    expect(rescheduled.body).toMatchObject({ status: "updating", cron_config: { schedule: "0 0 * * *" } });
    const badCron = await call("PATCH", `${V1}/triggers/${cron.body.id}`, { cron_config: { schedule: "every day" } });
    expect(badCron.status).toBe(400);

    const sqs = await call("POST", `${V1}/triggers`, {
      container_id: container.id,
      name: "queue",
      sqs_config: {
        region: null,
        endpoint: "https://sqs",
        access_key_id: "AK",
        secret_access_key: "SK",
        queue_url: "https://q",
      },
    });
    expect(sqs.body.sqs_config).toEqual({
      region: "fr-par",
      endpoint: "https://sqs",
      queue_url: "https://q",
      access_key_id: "AK",
    });
    const nats = await call("POST", `${V1}/triggers`, {
      container_id: container.id,
      name: "subject",
      destination_config: { http_path: "/events", http_method: "put" },
      nats_config: {
        server_urls: ["nats://nats"],
        subject: "orders",
        credentials_file_content: "-----BEGIN NATS USER JWT-----",
      },
    });
    expect(nats.body).toMatchObject({
      source_type: "nats",
      destination_config: { http_path: "/events", http_method: "put" },
    });
    expect(JSON.stringify([sqs.body, nats.body])).not.toMatch(/SK|NATS USER JWT/);
    const wrongSource = await call("PATCH", `${V1}/triggers/${nats.body.id}`, {
      sqs_config: { queue_url: "https://q" },
    });
    expect(wrongSource.status).toBe(400);
    const listed = await call("GET", `${V1}/triggers?container_id=${container.id}`);
    expect(listed.body.total_count).toBe(3);

    // Deleting the namespace takes its containers and their triggers along.
    await call("DELETE", `${V1}/namespaces/${namespace.id}`);
    await untilGone(`${V1}/namespaces/${namespace.id}`);
    expect((await call("GET", `${V1}/containers/${container.id}`)).status).toBe(404);
    expect((await call("DELETE", `${V1}/triggers/${sqs.body.id}`)).body).toMatchObject({ resource: "trigger" });
  });

  it("attaches custom domains, and answers a missing one in each version's shape", async () => {
    const namespace = await createNamespace("domains");
    const container = (await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "c", image: "i" }))
      .body;
    const domain = await call("POST", `${V1}/domains`, {
      container_id: container.id,
      hostname: "app.example.com",
      tags: null,
    });
    expect(domain.body).toMatchObject({ status: "creating", hostname: "app.example.com", tags: [] });
    const ready = await until(`${V1}/domains/${domain.body.id}`, "ready");
    expect(ready.body.error_message).toBe("");
    const legacy = await call("GET", `/containers/v1beta1/regions/fr-par/domains/${domain.body.id}`);
    expect(legacy.body).toMatchObject({ url: "https://app.example.com", status: "ready" });
    const taken = await call("POST", `${V1}/domains`, { container_id: container.id, hostname: "app.example.com" });
    expect(taken.status).toBe(409);
    await call("DELETE", `${V1}/domains/${domain.body.id}`);
    await untilGone(`${V1}/domains/${domain.body.id}`);
    expect((await call("GET", `/containers/v1beta1/regions/fr-par/domains/${domain.body.id}`)).body).toEqual({
      message: "Domain was not found",
    });
  });
});

describe("container endpoints through the HTTPS proxy", () => {
  let local: LocalScaleway;
  let call: ReturnType<typeof restClient>;
  let endpoints: ReturnType<typeof endpointClient>;

  beforeAll(async () => {
    // Long enough for a request to see a container before it is ready, TLS handshake included.
    local = await startLocalScaleway({ transitionMs: 500 });
    call = restClient(local);
    endpoints = endpointClient(local);
  });
  afterAll(async () => {
    await endpoints.close();
    await local.stop();
  });

  const deploy = async (namespaceName: string, container: Record<string, unknown>) => {
    const namespace = (
      await call("POST", `${V1}/namespaces`, {
        name: namespaceName,
        project_id: local.defaultProjectId,
        environment_variables: { FROM_NAMESPACE: "visible-value" },
      })
    ).body;
    // The proxy makes a certificate per host on first use, which takes a while: ask before the container exists.
    const host = `${namespaceName.replace(/-/g, "")}${namespace.id.slice(0, 8)}-${container.name}.functions.fnc.fr-par.scw.cloud`;
    expect((await endpoints.get(`https://${host}/health`)).status).toBe(404);
    const created = (
      await call("POST", `${V1}/containers`, { namespace_id: namespace.id, image: "nginx", ...container })
    ).body;
    return { namespace, container: created };
  };

  it("answers /health 503 until the container is ready, then 200, and describes it without values", async () => {
    const { container } = await deploy("endpoint-ns", {
      name: "api",
      environment_variables: { PLAIN: "plain-value" },
      secret_environment_variables: { DB_PASSWORD: "hunter2" },
    });
    const health = `${container.public_endpoint}/health`;
    expect((await endpoints.get(health)).status).toBe(503);
    await waitFor(
      () => call("GET", `${V1}/containers/${container.id}`),
      (answer) => answer.body.status === "ready",
    );
    expect(await endpoints.get(health)).toEqual({ status: 200, body: { status: "ok", container: "api" } });

    const page = await endpoints.get(`${container.public_endpoint}/some/page`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ container: "api", image: "nginx", path: "/some/page" });
    expect(page.body.environment_variables).toEqual(["FROM_NAMESPACE", "PLAIN"]);
    const text = JSON.stringify(page.body);
    for (const secret of ["plain-value", "visible-value", "hunter2", "DB_PASSWORD"]) expect(text).not.toContain(secret);
  });

  it("answers the liveness probe's own HTTP path, and 404 for a host no container has", async () => {
    const { container } = await deploy("probe-ns", {
      name: "probed",
      liveness_probe: { failure_threshold: 3, interval: "10s", timeout: "1s", http: { path: "/healthz" } },
    });
    await waitFor(
      () => endpoints.get(`${container.public_endpoint}/healthz`),
      (answer) => answer.status === 200,
    );
    const missing = await endpoints.get("https://nobody00000000-none.functions.fnc.fr-par.scw.cloud/health");
    expect(missing.status).toBe(404);
  });

  it("opens a private container only with a token of its own or of its namespace", async () => {
    const { namespace, container } = await deploy("private-ns", { name: "secret", privacy: "private" });
    const other = (
      await call("POST", `${V1}/containers`, { namespace_id: namespace.id, name: "other", image: "nginx" })
    ).body;
    await waitFor(
      () => call("GET", `${V1}/containers/${container.id}`),
      (answer) => answer.body.status === "ready",
    );
    const health = `${container.public_endpoint}/health`;
    expect((await endpoints.get(health)).status).toBe(401);
    expect((await endpoints.get(health, { "x-auth-token": "not-a-token" })).status).toBe(403);

    const tokens = "/containers/v1beta1/regions/fr-par/tokens";
    const own = (await call("POST", tokens, { container_id: container.id })).body;
    expect(own).toMatchObject({ status: "creating", container_id: container.id, expires_at: null });
    expect(own.public_key).toContain("BEGIN RSA PUBLIC KEY");
    await waitFor(
      () => endpoints.get(health, { "x-auth-token": own.token }),
      (answer) => answer.status === 200,
    );
    expect((await call("GET", `${tokens}/${own.id}`)).body).toMatchObject({ token: "<hidden>", public_key: "" });

    const foreign = (await call("POST", tokens, { container_id: other.id })).body;
    await waitFor(
      () => call("GET", `${tokens}/${foreign.id}`),
      (answer) => answer.body.status === "ready",
    );
    expect((await endpoints.get(health, { "x-auth-token": foreign.token })).status).toBe(403);

    const namespaceToken = (
      await call("POST", tokens, { namespace_id: namespace.id, expires_at: "2999-01-01T00:00:00+02:00" })
    ).body;
    expect(namespaceToken.expires_at).toBe("2998-12-31T22:00:00Z");
    await waitFor(
      () => endpoints.get(health, { "x-auth-token": namespaceToken.token }),
      (answer) => answer.status === 200,
    );

    const deleted = await call("DELETE", `${tokens}/${own.id}`);
    expect(deleted.body).toMatchObject({ status: "deleting", token: "" });
    expect((await endpoints.get(health, { "x-auth-token": own.token })).status).toBe(403);
    await waitFor(
      () => call("GET", `${tokens}/${own.id}`),
      (answer) => answer.status === 404,
    );
    expect((await call("DELETE", `${tokens}/${own.id}`)).body).toEqual({ message: "Token was not found" });
  });
});

describe("persistence", () => {
  it("keeps namespaces, containers and tokens across a restart with a dataDir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "containers-state-"));
    try {
      let local = await startLocalScaleway({ transitionMs: 50, dataDir });
      let call = restClient(local);
      const namespace = (await call("POST", `${V1}/namespaces`, { name: "kept", project_id: local.defaultProjectId }))
        .body;
      const container = (
        await call("POST", `${V1}/containers`, {
          namespace_id: namespace.id,
          name: "kept",
          image: "i",
          privacy: "private",
        })
      ).body;
      const token = (await call("POST", "/containers/v1beta1/regions/fr-par/tokens", { container_id: container.id }))
        .body;
      await local.stop();
      expect(readFileSync(join(dataDir, "state.json"), "utf8")).toContain(container.id);

      local = await startLocalScaleway({ transitionMs: 50, dataDir });
      call = restClient(local);
      const endpoints = endpointClient(local);
      try {
        const again = await waitFor(
          () => call("GET", `${V1}/containers/${container.id}`),
          (answer) => answer.body?.status === "ready",
        );
        expect(again.body).toMatchObject({ name: "kept", public_endpoint: container.public_endpoint });
        expect((await call("GET", `${V1}/namespaces/${namespace.id}`)).status).toBe(200);
        const health = await endpoints.get(`${container.public_endpoint}/health`, { "x-auth-token": token.token });
        expect(health.status).toBe(200);
      } finally {
        await endpoints.close();
        await local.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
