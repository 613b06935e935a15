import { createClient, Rdb } from "@scaleway/sdk";
import pg from "pg";
import type { LocalScaleway } from "../../server";

/** What the tests of the Managed Databases API share: a real SDK client and a real PostgreSQL client. */

export const PASSWORD = "thiZ_is_v&ry_s3cret";

export function rdbApi(local: LocalScaleway) {
  const env = local.env();
  const client = createClient({
    accessKey: env.SCW_ACCESS_KEY!,
    secretKey: env.SCW_SECRET_KEY!,
    apiURL: local.apiUrl,
    defaultOrganizationId: local.organizationId,
    defaultProjectId: local.defaultProjectId,
    defaultRegion: "fr-par",
    defaultZone: "fr-par-1",
  });
  return new Rdb.v1.API(client);
}

/** Polls every second, the shortest the SDK allows: local life cycles last tens of milliseconds. */
export const FAST = { minDelay: 1, maxDelay: 1, timeout: 60 };

export async function connect(port: number, user: string, password: string, database: string) {
  const client = new pg.Client({ host: "127.0.0.1", port, user, password, database });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Runs one statement as `user` and disconnects. */
export async function query(port: number, user: string, password: string, database: string, text: string) {
  const client = await connect(port, user, password, database);
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A raw call to the REST API, for answers the SDK turns into exceptions. */
export async function call(local: LocalScaleway, method: string, path: string, body?: unknown) {
  const response = await fetch(`${local.apiUrl}${path}`, {
    method,
    headers: { "x-auth-token": local.env().SCW_SECRET_KEY!, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
