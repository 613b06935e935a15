/** Helpers of the Cockpit tests: a local Scaleway with the real SDK pointed at it. */
import { readFileSync } from "node:fs";
import { Cockpit, createClient } from "@scaleway/sdk";
import { Agent, ProxyAgent, fetch, type RequestInit } from "undici";
import {
  LOCAL_ACCESS_KEY,
  LOCAL_SECRET_KEY,
  startLocalScaleway,
  type LocalScaleway,
  type LocalScalewayOptions,
} from "../../server";

export interface CockpitHarness {
  readonly local: LocalScaleway;
  readonly regional: InstanceType<typeof Cockpit.v1.RegionalAPI>;
  readonly global: InstanceType<typeof Cockpit.v1.GlobalAPI>;
  /** Raw call of the REST API, for exact bodies and statuses. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  /** HTTPS through the local proxy, as an agent pushing to *.scw.cloud would. */
  push(url: string, init: RequestInit): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

export async function startCockpit(options: LocalScalewayOptions = {}): Promise<CockpitHarness> {
  const local = await startLocalScaleway({ transitionMs: 50, ...options });
  const client = createClient({
    accessKey: LOCAL_ACCESS_KEY,
    secretKey: LOCAL_SECRET_KEY,
    apiURL: local.apiUrl,
    defaultProjectId: local.defaultProjectId,
    defaultOrganizationId: local.organizationId,
    defaultRegion: "fr-par",
    defaultZone: "fr-par-1",
  });
  const direct = new Agent();
  const proxy = new ProxyAgent({
    uri: local.proxy.url,
    requestTls: { ca: readFileSync(local.proxy.caCertFile, "utf8") },
  });
  return {
    local,
    regional: new Cockpit.v1.RegionalAPI(client),
    global: new Cockpit.v1.GlobalAPI(client),
    async api(path, init = {}) {
      const response = await fetch(`${local.apiUrl}${path}`, {
        method: init.method ?? "GET",
        headers: {
          "x-auth-token": LOCAL_SECRET_KEY,
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        dispatcher: direct,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async push(url, init) {
      const response = await fetch(url, { ...init, dispatcher: proxy });
      return { status: response.status, text: await response.text() };
    },
    async stop() {
      await proxy.close();
      await direct.close();
      await local.stop();
    },
  };
}

/** Polls until `check` holds (statuses move after the transition delay). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
