import { classify, type FailureKind } from "./classify";

export interface RetryOptions {
  /** Tries in all, the first included. @default 5 */
  readonly attempts?: number;
  /** First backoff, doubled at each try. @default 250 */
  readonly baseDelayMs?: number;
  /** Cap of one backoff (Retry-After may ask for more, up to maxRetryAfterMs). @default 8000 */
  readonly maxDelayMs?: number;
  /** Longest Retry-After honoured. @default 60000 */
  readonly maxRetryAfterMs?: number;
  /** Time limit of one try. @default 30000 */
  readonly timeoutMs?: number;
  /** What the operation is, for messages: "create the state bucket". */
  readonly what?: string;
  readonly onRetry?: (info: { attempt: number; delayMs: number; failure: FailureKind }) => void;
  /** Injected in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export class RetriesExhaustedError extends Error {
  constructor(what: string, attempts: number, cause: unknown) {
    super(`Could not ${what} after ${attempts} tries: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "RetriesExhaustedError";
  }
}

/**
 * Runs `operation` with a time limit per try and retries transient failures with
 * exponential backoff and full jitter (so that many clients do not retry in step),
 * never waiting less than a Retry-After the server sent.
 */
export async function withRetry<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 8000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    try {
      return await operation(signal);
    } catch (error) {
      const failure = classify(signal.aborted ? signal.reason : error);
      if (!failure.transient) throw error;
      if (attempt >= attempts) throw new RetriesExhaustedError(options.what ?? "complete the call", attempts, error);
      const backoff = random() * Math.min(cap, base * 2 ** (attempt - 1));
      const delayMs = Math.max(backoff, Math.min(failure.retryAfterMs ?? 0, options.maxRetryAfterMs ?? 60_000));
      options.onRetry?.({ attempt, delayMs, failure });
      await sleep(delayMs);
    }
  }
}
