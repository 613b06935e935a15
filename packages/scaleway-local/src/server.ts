import { mkdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { CallCounter, HostRegistry, type LocalContext } from "./context";
import { Faults, faultsFromEnv, type FaultRule } from "./faults/faults";
import { ScalewayError, rateLimited, serverError, unauthorized } from "./http/errors";
import { ProductRoutes, Router, type ApiRequest, type Method } from "./http/router";
import { products } from "./products";
import { startPlainS3Endpoint } from "./products/object";
import { startTlsProxy, type TlsProxy } from "./proxy";
import { Lifecycle } from "./state/lifecycle";
import { Store } from "./state/store";

export interface LocalScalewayOptions {
  /** Loopback address. @default "127.0.0.1" */
  readonly host?: string;
  /** Port of the REST APIs; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Port of the plain-HTTP, path-style S3 endpoint (for state backends and tools); 0 picks a free one. @default 0 */
  readonly s3Port?: number;
  /** Port of the HTTPS proxy for *.scw.cloud; 0 picks a free one. @default 0 */
  readonly proxyPort?: number;
  /** Where state, databases and the CA are kept across restarts. Unset: memory and a temporary folder. */
  readonly dataDir?: string;
  /** Where the CA of the HTTPS proxy is kept and reused. @default `<dataDir>/ca`, or a temporary folder */
  readonly caDir?: string;
  /** Start from nothing: delete what dataDir holds first. */
  readonly reset?: boolean;
  /** How long `creating`, `provisioning` and the like last, in ms. @default 200 */
  readonly transitionMs?: number;
  /** Faults from the start (also read from SCW_LOCAL_FAULTS). */
  readonly faults?: readonly FaultRule[];
}

export interface LocalScaleway {
  /** Base URL of the REST APIs, for SCW_API_URL. */
  readonly apiUrl: string;
  readonly proxy: TlsProxy;
  /** Object Storage over plain HTTP, path-style (`http://127.0.0.1:<port>/<bucket>/<key>`). */
  readonly s3Url: string;
  readonly organizationId: string;
  readonly defaultProjectId: string;
  readonly faults: Faults;
  readonly calls: CallCounter;
  /** Environment variables that point the Scaleway SDKs, the scw CLI and the provider here. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

/** Identity of the local organisation; fixed so that configurations can name its default project. */
export const LOCAL_ORGANIZATION_ID = "11111111-1111-4111-8111-111111111111";
export const LOCAL_DEFAULT_PROJECT_ID = "11111111-1111-4111-8111-111111111111";
/** Credentials of the right shape; the local Scaleway accepts any such pair. */
export const LOCAL_ACCESS_KEY = "SCWLOCALXXXXXXXXXXXX";
export const LOCAL_SECRET_KEY = "22222222-2222-4222-8222-222222222222";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function startLocalScaleway(options: LocalScalewayOptions = {}): Promise<LocalScaleway> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host))
    throw new Error(`The local Scaleway listens on loopback only; ${host} is not a loopback address.`);
  if (options.dataDir && options.reset) rmSync(options.dataDir, { recursive: true, force: true });
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  const store = new Store(options.dataDir ? join(options.dataDir, "state.json") : undefined);
  const faults = new Faults([...(options.faults ?? []), ...faultsFromEnv(process.env.SCW_LOCAL_FAULTS)]);
  const calls = new CallCounter();
  const hosts = new HostRegistry();
  const stopTasks: Array<() => void | Promise<void>> = [];
  const context: LocalContext = {
    store,
    lifecycle: new Lifecycle(options.transitionMs ?? Number(process.env.SCW_LOCAL_TRANSITION_MS ?? 200)),
    faults,
    calls,
    hosts,
    organizationId: LOCAL_ORGANIZATION_ID,
    defaultProjectId: LOCAL_DEFAULT_PROJECT_ID,
    dataDir: options.dataDir,
    onStop: (task) => stopTasks.push(task),
  };

  const router = new Router();
  for (const product of products) await product.register(new ProductRoutes(router, product.name), context);
  const s3 = await startPlainS3Endpoint(context, { host, port: options.s3Port ?? 0 });

  const server = createServer((request, response) => {
    handle(router, context, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { message: String(error), type: "internal_error" });
      else response.destroy();
    });
  });
  const port = await listen(server, host, options.port ?? 0);
  const apiUrl = `http://${host}:${port}`;
  const caDir = options.caDir ?? (options.dataDir ? join(options.dataDir, "ca") : undefined);
  const proxy = await startTlsProxy({ host, port: options.proxyPort ?? 0, hosts, caDir });

  return {
    apiUrl,
    proxy,
    s3Url: s3.url,
    organizationId: LOCAL_ORGANIZATION_ID,
    defaultProjectId: LOCAL_DEFAULT_PROJECT_ID,
    faults,
    calls,
    env: () => ({
      SCW_API_URL: apiUrl,
      SCW_ACCESS_KEY: LOCAL_ACCESS_KEY,
      SCW_SECRET_KEY: LOCAL_SECRET_KEY,
      SCW_DEFAULT_ORGANIZATION_ID: LOCAL_ORGANIZATION_ID,
      SCW_DEFAULT_PROJECT_ID: LOCAL_DEFAULT_PROJECT_ID,
      SCW_DEFAULT_REGION: "fr-par",
      SCW_DEFAULT_ZONE: "fr-par-1",
      HTTPS_PROXY: proxy.url,
      https_proxy: proxy.url,
      NO_PROXY: "127.0.0.1,localhost,::1",
      no_proxy: "127.0.0.1,localhost,::1",
      SSL_CERT_FILE: proxy.caCertFile,
      NODE_EXTRA_CA_CERTS: proxy.caCertFile,
      // Emptied on purpose: with a CA bundle, the provider's S3 client fails ("unable to add
      // custom RootCAs HTTPClient"); Go reads SSL_CERT_FILE instead.
      AWS_CA_BUNDLE: "",
    }),
    async stop() {
      await proxy.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const task of stopTasks.reverse()) await task();
      store.flush();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function handle(router: Router, context: LocalContext, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://local");
  const rawBody = await readBody(request);
  if (url.pathname.startsWith("/__local/"))
    return admin(router, context, request.method ?? "GET", url.pathname, rawBody, response);

  const route = router.match(request.method ?? "GET", url.pathname);
  if (!route)
    return send(response, 404, { message: `no route for ${request.method} ${url.pathname}`, type: "not_found" });
  context.calls.record(route.info.product, route.info.operation);

  const decision = context.faults.decide(route.info.product, route.info.operation);
  if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  if (decision.kind === "drop") return void request.socket.destroy();
  try {
    if (decision.kind === "fail") {
      throw decision.status === 429
        ? rateLimited(decision.retryAfterSeconds)
        : serverError(decision.status as 500 | 503);
    }
    if (!request.headers["x-auth-token"]) throw unauthorized();
    let body: Record<string, unknown> = {};
    if (rawBody.length > 0 && String(request.headers["content-type"] ?? "").includes("json")) {
      body = JSON.parse(rawBody.toString("utf8")) as Record<string, unknown>;
    }
    const apiRequest: ApiRequest = {
      method: (request.method ?? "GET") as Method,
      path: url.pathname,
      params: route.params,
      query: Object.fromEntries(url.searchParams.entries()),
      queryAll: Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key)]),
      ),
      headers: request.headers,
      body,
      rawBody,
    };
    const reply = await route.handler(apiRequest);
    send(response, reply.status ?? 200, reply.body, reply.headers);
  } catch (error) {
    if (error instanceof ScalewayError) return send(response, error.status, error.body, error.headers);
    if (error instanceof SyntaxError)
      return send(response, 400, { message: `invalid JSON body: ${error.message}`, type: "invalid_request_error" });
    throw error;
  }
}

function admin(
  router: Router,
  context: LocalContext,
  method: string,
  path: string,
  rawBody: Buffer,
  response: ServerResponse,
) {
  if (path === "/__local/health") return send(response, 200, { status: "ok" });
  if (path === "/__local/routes") return send(response, 200, { routes: router.list() });
  if (path === "/__local/calls") {
    if (method === "DELETE") context.calls.reset();
    return send(response, 200, { total: context.calls.total(), calls: context.calls.snapshot() });
  }
  if (path === "/__local/faults") {
    if (method === "PUT") {
      try {
        context.faults.set(faultsFromEnv(rawBody.toString("utf8") || "[]"));
      } catch (error) {
        return send(response, 400, { message: (error as Error).message, type: "invalid_arguments" });
      }
    }
    if (method === "DELETE") context.faults.set([]);
    return send(response, 200, { rules: context.faults.list() });
  }
  return send(response, 404, { message: `no admin endpoint ${path}`, type: "not_found" });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined || status === 204 ? "" : JSON.stringify(body);
  response.writeHead(status, {
    ...(text ? { "content-type": "application/json" } : {}),
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
