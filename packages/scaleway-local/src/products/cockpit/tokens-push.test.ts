import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { protoMessage, remoteWrite, snappyLiterals } from "./push/testing";
import { startCockpit, type CockpitHarness } from "./testing";

let harness: CockpitHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const PROJECT = "66666666-6666-4666-8666-666666666666";
const OTHER_PROJECT = "77777777-7777-4777-8777-777777777777";

describe("Cockpit tokens", () => {
  it("shows the secret key once, lists, filters by scope and deletes", async () => {
    harness = await startCockpit();
    const { regional } = harness;
    const writer = await regional.createToken({
      projectId: PROJECT,
      name: "writer",
      tokenScopes: ["write_only_metrics", "write_only_logs"],
    });
    expect(writer.secretKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(writer.scopes).toEqual(["write_only_metrics", "write_only_logs"]);
    await regional.createToken({ projectId: PROJECT, name: "reader", tokenScopes: ["read_only_metrics"] });

    const again = await harness.api(`/cockpit/v1/regions/fr-par/tokens/${writer.id}`);
    expect(again.body).toMatchObject({ id: writer.id, name: "writer", secret_key: null, region: "fr-par" });

    const all = await regional.listTokens({ projectId: PROJECT, orderBy: "name_asc" });
    expect(all.tokens.map((token) => token.name)).toEqual(["reader", "writer"]);
    const readers = await regional.listTokens({ projectId: PROJECT, tokenScopes: ["read_only_metrics"] });
    expect(readers.tokens.map((token) => token.name)).toEqual(["reader"]);

    await regional.deleteToken({ tokenId: writer.id });
    const gone = await harness.api(`/cockpit/v1/regions/fr-par/tokens/${writer.id}`, { method: "DELETE" });
    expect(gone).toEqual({
      status: 404,
      body: { message: "resource is not found", resource: "token", resource_id: writer.id, type: "not_found" },
    });
    const badScope = await harness.api("/cockpit/v1/regions/fr-par/tokens", {
      method: "POST",
      body: { project_id: PROJECT, name: "x", token_scopes: ["write_everything"] },
    });
    expect(badScope.status).toBe(400);
  });
});

describe("Cockpit push endpoints", () => {
  it("accepts remote-write, Loki and OTLP pushes from a token with write scopes and counts them", async () => {
    harness = await startCockpit();
    const { regional } = harness;
    const metrics = await regional.createDataSource({ projectId: PROJECT, name: "m", type: "metrics" });
    const logs = await regional.createDataSource({ projectId: PROJECT, name: "l", type: "logs" });
    const traces = await regional.createDataSource({ projectId: PROJECT, name: "t", type: "traces" });
    const token = await regional.createToken({
      projectId: PROJECT,
      name: "agent",
      tokenScopes: ["write_only_metrics", "write_only_logs", "write_only_traces"],
    });
    const secret = token.secretKey!;

    const pushed = await harness.push(`${metrics.url}/api/v1/push`, {
      method: "POST",
      headers: {
        "x-token": secret,
        "content-type": "application/x-protobuf",
        "content-encoding": "snappy",
        "x-prometheus-remote-write-version": "0.1.0",
      },
      body: snappyLiterals(remoteWrite(["up", "http_requests_total"], 5)),
    });
    expect(pushed.status).toBe(200);

    // Loki's JSON push, gzipped, with basic auth as promtail and the Python handlers send it.
    const lokiJson = JSON.stringify({
      streams: [
        {
          stream: { job: "api" },
          values: [
            ["1", "hello"],
            ["2", "world"],
          ],
        },
      ],
    });
    const loki = await harness.push(`${logs.url}/loki/api/v1/push`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${PROJECT}:${secret}`).toString("base64")}`,
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
      body: gzipSync(lokiJson),
    });
    expect(loki.status).toBe(204);

    // Loki's protobuf push is snappy-compressed.
    const entry = protoMessage([
      [1, protoMessage([[1, 1]])],
      [2, "0123456789"],
    ]);
    const lokiProto = protoMessage([
      [
        1,
        protoMessage([
          [1, '{job="api"}'],
          [2, entry],
        ]),
      ],
    ]);
    const lokiBinary = await harness.push(`${logs.url}/loki/api/v1/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/x-protobuf" },
      body: snappyLiterals(lokiProto),
    });
    expect(lokiBinary.status).toBe(204);

    const otlp = await harness.push(`${traces.url}/otlp/v1/traces`, {
      method: "POST",
      headers: { "x-token": secret, "content-type": "application/x-protobuf" },
      body: Buffer.alloc(100, 1),
    });
    expect(otlp.status).toBe(200);

    const usage = async (id: string) =>
      (
        (await harness!.api(`/cockpit/v1/regions/fr-par/data-sources/${id}`)).body as {
          current_month_usage: number;
        }
      ).current_month_usage;
    expect(await usage(metrics.id)).toBe(10);
    expect(await usage(logs.id)).toBe(20);
    expect(await usage(traces.id)).toBe(100);

    const overview = await regional.getUsageOverview({ projectId: PROJECT, interval: "3600s" });
    expect(overview.externalMetricsUsage).toMatchObject({ unit: "samples", quantityOverInterval: 10 });
    expect(overview.externalLogsUsage).toMatchObject({
      unit: "bytes",
      quantityOverInterval: 20,
      dataSourceId: logs.id,
    });
    expect(overview.externalTracesUsage?.quantityOverInterval).toBe(100);
  });

  it("refuses pushes without a token, with the wrong scope or project, and for unknown sources", async () => {
    harness = await startCockpit();
    const { regional } = harness;
    const metrics = await regional.createDataSource({ projectId: PROJECT, name: "m", type: "metrics" });
    const reader = await regional.createToken({ projectId: PROJECT, name: "r", tokenScopes: ["read_only_metrics"] });
    const stranger = await regional.createToken({
      projectId: OTHER_PROJECT,
      name: "s",
      tokenScopes: ["write_only_metrics"],
    });
    const body = snappyLiterals(remoteWrite(["up"], 1));
    const send = (url: string, headers: Record<string, string>) =>
      harness!.push(url, { method: "POST", headers: { "content-type": "application/x-protobuf", ...headers }, body });

    expect((await send(`${metrics.url}/api/v1/push`, {})).status).toBe(401);
    expect((await send(`${metrics.url}/api/v1/push`, { "x-token": "nope" })).status).toBe(401);
    expect((await send(`${metrics.url}/api/v1/push`, { "x-token": reader.secretKey! })).status).toBe(403);
    expect((await send(`${metrics.url}/api/v1/push`, { "x-token": stranger.secretKey! })).status).toBe(403);
    const unknown = `https://00000000-0000-4000-8000-000000000000.metrics.cockpit.fr-par.scw.cloud/api/v1/push`;
    expect((await send(unknown, { "x-token": reader.secretKey! })).status).toBe(404);
    expect((await send(`${metrics.url}/loki/api/v1/push`, { "x-token": reader.secretKey! })).status).toBe(404);

    const writer = await regional.createToken({ projectId: PROJECT, name: "w", tokenScopes: ["write_only_metrics"] });
    const garbage = await harness.push(`${metrics.url}/api/v1/push`, {
      method: "POST",
      headers: { "x-token": writer.secretKey! },
      body: Buffer.from([200, 1, 2]),
    });
    expect(garbage.status).toBe(400);
    expect((await regional.getDataSource({ dataSourceId: metrics.id })).id).toBe(metrics.id);
  });
});
