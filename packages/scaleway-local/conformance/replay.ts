import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { readFileSync } from "node:fs";
import { Agent, ProxyAgent, fetch } from "undici";
import { startLocalScaleway, type LocalScaleway } from "../src/server";
import { readCassette, type Interaction } from "./cassette";
import { parseBody, shapeDifferences } from "./shape";

export interface InteractionResult {
  readonly cassette: string;
  readonly id: number;
  readonly call: string;
  /** The API called: `rdb/v1`, `instance/v1`, or `s3`. */
  readonly api: string;
  /** Whether the local Scaleway serves that API at all (the stack uses only APIs it serves). */
  readonly served: boolean;
  readonly passed: boolean;
  readonly problems: readonly string[];
}

export interface ProductReport {
  readonly product: string;
  readonly passed: number;
  readonly total: number;
  readonly skipped: number;
  readonly results: readonly InteractionResult[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** Access keys are anonymised to this in recorded URLs; their answers still name the real key. */
const ANONYMISED_ACCESS_KEY = "SCWXXXXXXXXXXXXXXXXX";
const ACCESS_KEY = /^SCW[0-9A-Z]{17}$/;

/**
 * Replays every recording of a product against a fresh local Scaleway each, in order,
 * and compares status codes and body shapes. IDs differ by nature: each ID the real
 * API answered is mapped to the one the local Scaleway answered at the same place,
 * and later requests are rewritten with it.
 */
export async function replayProduct(
  recordingsDir: string,
  product: string,
  options: { caDir: string; only?: string },
): Promise<ProductReport> {
  const folder = join(recordingsDir, product);
  const files = readdirSync(folder).filter(
    (f) => f.endsWith(".cassette.yaml") && (!options.only || f.includes(options.only)),
  );
  const results: InteractionResult[] = [];
  let skipped = 0;
  for (const file of files.sort()) {
    const local = await startLocalScaleway({ transitionMs: 0, caDir: options.caDir });
    try {
      const outcome = await replayCassette(local, join(folder, file));
      results.push(...outcome.results);
      skipped += outcome.skipped;
    } finally {
      await local.stop();
    }
  }
  return { product, passed: results.filter((r) => r.passed).length, total: results.length, skipped, results };
}

async function replayCassette(local: LocalScaleway, file: string) {
  const ids = new Map<string, string>();
  const results: InteractionResult[] = [];
  let skipped = 0;
  const caCert = readFileSync(local.proxy.caCertFile, "utf8");
  const served = await servedApis(local);
  const proxyAgent = new ProxyAgent({ uri: local.proxy.url, requestTls: { ca: caCert } });
  const directAgent = new Agent();
  try {
    for (const interaction of readCassette(file)) {
      const target = targetOf(interaction, local);
      if (!target) {
        skipped++;
        continue;
      }
      adoptAccountIds(`${target.url} ${interaction.request.body ?? ""}`, ids, local);
      await adoptUsers(`${target.url} ${interaction.request.body ?? ""}`, ids, local, directAgent);
      const url = rewrite(target.url, ids).replace(ANONYMISED_ACCESS_KEY, () => accessKeyOf(interaction, ids));
      // Bodies of binary uploads come as bytes, not text: nothing to rewrite in them.
      const body =
        typeof interaction.request.body === "string"
          ? rewrite(interaction.request.body, ids)
          : (interaction.request.body as Uint8Array | undefined);
      const headers: Record<string, string> = { "x-auth-token": local.env().SCW_SECRET_KEY! };
      for (const [name, values] of Object.entries(interaction.request.headers ?? {})) {
        if (/^(content-type|content-md5|x-amz-|if-)/i.test(name) && values[0])
          headers[name.toLowerCase()] = rewrite(values[0], ids);
      }
      const call = `${interaction.request.method} ${new URL(interaction.request.url).pathname.replace(UUID, "{id}")}`;
      const api = apiOf(interaction.request.url);
      const where = {
        cassette: basename(file),
        id: interaction.id,
        call,
        api,
        served: api === "s3" || served.has(api),
      };
      let status: number;
      let text: string;
      let contentType: string;
      try {
        const response = await fetch(url, {
          method: interaction.request.method,
          headers,
          body:
            body && interaction.request.method !== "GET" && interaction.request.method !== "HEAD" ? body : undefined,
          dispatcher: target.viaProxy ? proxyAgent : directAgent,
        });
        status = response.status;
        contentType = response.headers.get("content-type") ?? "";
        text = await response.text();
      } catch (error) {
        results.push({ ...where, passed: false, problems: [`request failed: ${(error as Error).message}`] });
        continue;
      }
      const problems: string[] = [];
      if (status !== interaction.response.code)
        problems.push(`status ${status}, recorded ${interaction.response.code}`);
      const recordedType = interaction.response.headers?.["Content-Type"]?.[0] ?? "";
      const expected = parseBody(interaction.response.body, recordedType);
      const actual = parseBody(text, contentType);
      if (expected !== undefined && status === interaction.response.code) {
        if (actual === undefined) problems.push("body missing or not parseable");
        else problems.push(...shapeDifferences(expected, actual));
      }
      if (expected !== undefined && actual !== undefined) learnIds(expected, actual, ids);
      results.push({ ...where, passed: problems.length === 0, problems });
    }
  } finally {
    await proxyAgent.close();
    await directAgent.close();
  }
  return { results, skipped };
}

/** The APIs the local Scaleway has routes for, as `name/version`. */
async function servedApis(local: LocalScaleway): Promise<Set<string>> {
  const response = await fetch(`${local.apiUrl}/__local/routes`, { dispatcher: new Agent() });
  const { routes } = (await response.json()) as { routes: Array<{ path: string }> };
  return new Set(routes.map((route) => route.path.split("/").slice(1, 3).join("/")));
}

function apiOf(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname !== "api.scaleway.com") return "s3";
  return parsed.pathname.split("/").slice(1, 3).join("/");
}

/** Where to send a recorded request: the REST APIs directly, *.scw.cloud through the proxy. */
function targetOf(interaction: Interaction, local: LocalScaleway): { url: string; viaProxy: boolean } | undefined {
  const url = new URL(interaction.request.url);
  if (url.hostname === "api.scaleway.com")
    return { url: `${local.apiUrl}${url.pathname}${url.search}`, viaProxy: false };
  if (url.hostname.endsWith(".scw.cloud") && url.protocol === "https:") return { url: url.toString(), viaProxy: true };
  return undefined;
}

/**
 * The recordings ran in an existing organisation and project, which the local Scaleway
 * has under other IDs: a project or organisation ID used before any answer gave it is
 * taken as the default project or the organisation.
 */
function adoptAccountIds(text: string, ids: Map<string, string>, local: LocalScaleway): void {
  const patterns: Array<[RegExp, string]> = [
    [/(?:project_id|default_project_id|projects\/)["=:\s]*"?([0-9a-f-]{36})/g, local.defaultProjectId],
    [/(?:organization_id|organizations\/)["=:\s]*"?([0-9a-f-]{36})/g, local.organizationId],
  ];
  for (const [pattern, localId] of patterns) {
    for (const match of text.matchAll(pattern)) if (!ids.has(match[1]!)) ids.set(match[1]!, localId);
  }
}

/**
 * Users of the recorded organisation that no answer gave (its owner, its members) are
 * created in the local organisation the first time a request names them.
 */
async function adoptUsers(text: string, ids: Map<string, string>, local: LocalScaleway, agent: Agent): Promise<void> {
  const named = [
    ...[...text.matchAll(/users\/([0-9a-f-]{36})/g)].map((m) => m[1]!),
    ...[...text.matchAll(/"user_ids?":\s*(\[[^\]]*\]|"[^"]*")/g)].flatMap((m) => m[1]!.match(UUID) ?? []),
  ];
  for (const id of named) {
    if (ids.has(id)) continue;
    const response = await fetch(`${local.apiUrl}/iam/v1alpha1/users`, {
      method: "POST",
      headers: { "x-auth-token": local.env().SCW_SECRET_KEY!, "content-type": "application/json" },
      body: JSON.stringify({
        member: { email: `adopted-${id.slice(0, 8)}@example.com`, username: `adopted-${id.slice(0, 8)}` },
      }),
      dispatcher: agent,
    });
    const user = (await response.json()) as { id?: string };
    if (user.id) ids.set(id, user.id);
  }
}

/** The local access key for an anonymised one: the one mapped to the key the recorded answer names, else the last one answered. */
function accessKeyOf(interaction: Interaction, ids: ReadonlyMap<string, string>): string {
  const answered = interaction.response.body?.match(/SCW[0-9A-Z]{17}/)?.[0];
  return (answered && ids.get(answered)) ?? ids.get(ANONYMISED_ACCESS_KEY) ?? ANONYMISED_ACCESS_KEY;
}

function rewrite(text: string, ids: ReadonlyMap<string, string>): string {
  return text.replace(UUID, (id) => ids.get(id) ?? id);
}

/** Maps IDs found at the same place in the recorded and the local answer. */
function learnIds(expected: unknown, actual: unknown, ids: Map<string, string>): void {
  if (
    typeof expected === "string" &&
    typeof actual === "string" &&
    ACCESS_KEY.test(expected) &&
    ACCESS_KEY.test(actual)
  ) {
    if (!ids.has(expected)) ids.set(expected, actual);
    ids.set(ANONYMISED_ACCESS_KEY, actual);
    return;
  }
  if (typeof expected === "string" && typeof actual === "string") {
    const recorded = expected.match(UUID);
    const answered = actual.match(UUID);
    recorded?.forEach((id, index) => {
      const mapped = answered?.[index];
      if (mapped && !ids.has(id)) ids.set(id, mapped);
    });
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    expected.forEach((item, index) => learnIds(item, actual[index], ids));
    return;
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      learnIds(value, (actual as Record<string, unknown>)[key], ids);
    }
  }
}
