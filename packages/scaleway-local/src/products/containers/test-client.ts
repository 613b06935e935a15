import { readFileSync } from "node:fs";
import { fetch, ProxyAgent } from "undici";
import type { LocalScaleway } from "../../server";

/** Test helpers: plain HTTP calls to the REST APIs and, through the proxy, to container endpoints. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers field by field, as JSON.
type Json = any;

export interface Answer<T = Json> {
  readonly status: number;
  readonly body: T;
}

export function restClient(local: LocalScaleway) {
  return async function call<T = Json>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${local.apiUrl}${path}`, {
      method,
      headers: { "x-auth-token": local.env().SCW_SECRET_KEY!, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** HTTPS requests to *.scw.cloud hosts through the local proxy, trusting its CA. */
export function endpointClient(local: LocalScaleway) {
  const agent = new ProxyAgent({
    uri: local.proxy.url,
    requestTls: { ca: readFileSync(local.proxy.caCertFile, "utf8") },
  });
  const get = async (url: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(url, { headers, dispatcher: agent });
    return { status: response.status, body: await response.json() };
  };
  return { get, close: () => agent.close() };
}

/** Polls until `done` holds for what `read` answers, or fails after `timeoutMs`. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
