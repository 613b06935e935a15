/**
 * Which failures are worth another try. Transient: 429 (honouring Retry-After), 5xx,
 * timeouts and broken connections. Final: everything else, including a quota
 * exceeded, which says which quota so that the operator can raise it.
 */
export interface FailureKind {
  readonly transient: boolean;
  /** Wait the server asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Short description for logs: "HTTP 503", "connection reset"... */
  readonly reason: string;
}

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

const TRANSIENT_S3_CODES = new Set([
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "RequestTimeout",
  "RequestTimeTooSkewed",
]);

export class QuotaExceededError extends Error {
  constructor(
    readonly quotas: ReadonlyArray<{ resource: string; quota?: number; current?: number }>,
    options?: ErrorOptions,
  ) {
    super(
      `Scaleway quota exceeded: ${quotas
        .map((q) => `${q.resource}${q.quota !== undefined ? ` (quota ${q.quota}, in use ${q.current ?? "?"})` : ""}`)
        .join(
          ", ",
        )}. Fix: ask Scaleway support to raise the quota (console: Organization > Quotas) or remove unused resources.`,
      options,
    );
    this.name = "QuotaExceededError";
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const message = body && typeof body === "object" && "message" in body ? String(body.message) : `HTTP ${status}`;
    super(`HTTP ${status}: ${message}`);
    this.name = "HttpError";
  }
}

export function classify(error: unknown): FailureKind {
  const e = error as {
    name?: string;
    code?: string;
    cause?: { code?: string };
    status?: number;
    headers?: Record<string, string>;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string> };
    Code?: string;
  };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return { transient: true, reason: "timed out" };
  const code = e?.code ?? e?.cause?.code;
  if (code && CONNECTION_CODES.has(code)) return { transient: true, reason: `connection failed (${code})` };
  if (e?.name && TRANSIENT_S3_CODES.has(e.name)) return { transient: true, reason: e.name };

  const status = e?.status ?? e?.$metadata?.httpStatusCode;
  if (status === undefined) return { transient: false, reason: e?.name ?? "error" };
  const headers = e.headers ?? e.$response?.headers ?? {};
  if (status === 429)
    return { transient: true, retryAfterMs: parseRetryAfter(headers["retry-after"]), reason: "HTTP 429" };
  if (status >= 500 && status !== 501) return { transient: true, reason: `HTTP ${status}` };
  return { transient: false, reason: `HTTP ${status}` };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The quota error of a Scaleway answer, if it is one. */
export function quotaError(status: number, body: unknown): QuotaExceededError | undefined {
  const b = body as { type?: string; details?: Array<{ resource: string; quota?: number; current?: number }> };
  if (status === 403 && b?.type === "quotas_exceeded") return new QuotaExceededError(b.details ?? []);
  return undefined;
}
