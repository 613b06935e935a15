import type { IncomingHttpHeaders } from "node:http";
import FindMyWay, { type HTTPVersion } from "find-my-way";
import { ScalewayError } from "./errors";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD";

/** A request as a product handler sees it: parsed JSON body, path parameters, query. */
export interface ApiRequest {
  readonly method: Method;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, the last value of each. */
  readonly query: Readonly<Record<string, string>>;
  /** Every value of each query parameter: the SDKs repeat keys for lists (`types=a&types=b`). */
  readonly queryAll: Readonly<Record<string, readonly string[]>>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; `{}` when there is none. */
  readonly body: Record<string, unknown>;
  /** The raw body, for the few calls that are not JSON. */
  readonly rawBody: Buffer;
}

export interface ApiReply {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest) => ApiReply | Promise<ApiReply>;

/** Where a route belongs: faults and call counts are set per product and operation. */
export interface RouteInfo {
  readonly product: string;
  readonly operation: string;
}

export interface MatchedRoute {
  readonly handler: Handler;
  readonly info: RouteInfo;
  readonly params: Record<string, string>;
}

/** Routes of the REST APIs, registered by each product. */
export class Router {
  private readonly routes = FindMyWay<HTTPVersion.V1>({ ignoreTrailingSlash: true });
  private readonly registered: Array<RouteInfo & { method: Method; path: string }> = [];

  on(method: Method, path: string, info: RouteInfo, handler: Handler): void {
    // find-my-way wants a (req, res) handler; we only use its matching, so the store holds ours.
    this.routes.on(method, path, () => undefined, { handler, info });
    this.registered.push({ method, path, ...info });
  }

  match(method: string, path: string): MatchedRoute | undefined {
    const found = this.routes.find(method as Method, path);
    if (!found) return undefined;
    const store = found.store as { handler: Handler; info: RouteInfo };
    return { handler: store.handler, info: store.info, params: (found.params ?? {}) as Record<string, string> };
  }

  /** Every route, for the admin endpoint and the docs. */
  list(): ReadonlyArray<RouteInfo & { method: Method; path: string }> {
    return this.registered;
  }
}

/** A product's routes, all under one product name. */
export class ProductRoutes {
  constructor(
    private readonly router: Router,
    readonly product: string,
    private readonly prepare?: (request: ApiRequest) => Promise<void>,
  ) {}

  /**
   * The same routes, each handler preceded by asynchronous work on the request (hashing
   * secrets, say), so that models can stay synchronous.
   */
  before(prepare: (request: ApiRequest) => Promise<void>): ProductRoutes {
    return new ProductRoutes(this.router, this.product, prepare);
  }

  get(path: string, operation: string, handler: Handler) {
    this.on("GET", path, operation, handler);
  }
  post(path: string, operation: string, handler: Handler) {
    this.on("POST", path, operation, handler);
  }
  patch(path: string, operation: string, handler: Handler) {
    this.on("PATCH", path, operation, handler);
  }
  put(path: string, operation: string, handler: Handler) {
    this.on("PUT", path, operation, handler);
  }
  delete(path: string, operation: string, handler: Handler) {
    this.on("DELETE", path, operation, handler);
  }

  private on(method: Method, path: string, operation: string, handler: Handler) {
    const prepare = this.prepare;
    const wrapped: Handler = prepare
      ? async (request) => {
          await prepare(request);
          return handler(request);
        }
      : handler;
    this.router.on(method, path, { product: this.product, operation }, wrapped);
  }
}

export function isScalewayError(error: unknown): error is ScalewayError {
  return error instanceof ScalewayError;
}
