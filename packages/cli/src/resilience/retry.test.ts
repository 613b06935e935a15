import { describe, expect, it } from "vitest";
import { HttpError, QuotaExceededError, classify, parseRetryAfter, quotaError } from "./classify";
import { RetriesExhaustedError, withRetry } from "./retry";

const noSleep = { sleep: async () => undefined, random: () => 1 };

describe("withRetry", () => {
  it("retries 5xx and 429 and succeeds", async () => {
    const failures = [new HttpError(503, {}), new HttpError(429, {}, { "retry-after": "2" }), new HttpError(500, {})];
    const delays: number[] = [];
    const result = await withRetry(
      async () => {
        const failure = failures.shift();
        if (failure) throw failure;
        return "done";
      },
      { ...noSleep, baseDelayMs: 100, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe("done");
    // Backoff doubles (full jitter at its top here), and Retry-After wins when longer.
    expect(delays).toEqual([100, 2000, 400]);
  });

  it("retries broken connections and timeouts", async () => {
    let calls = 0;
    await withRetry(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      if (calls === 2) throw Object.assign(new Error("timeout"), { name: "TimeoutError" });
      return true;
    }, noSleep);
    expect(calls).toBe(3);
  });

  it("does not retry a client error", async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new HttpError(400, { message: "invalid argument(s)" });
      }, noSleep),
    ).rejects.toThrow(/HTTP 400/);
    expect(calls).toBe(1);
  });

  it("gives up after the last try, saying what it was doing", async () => {
    await expect(
      withRetry(
        async () => {
          throw new HttpError(503, {});
        },
        { ...noSleep, attempts: 3, what: "read the state" },
      ),
    ).rejects.toThrow(new RetriesExhaustedError("read the state", 3, new HttpError(503, {})).message);
  });

  it("times out a try that hangs, and retries it", async () => {
    let calls = 0;
    const result = await withRetry(
      (signal) =>
        new Promise<string>((resolve, reject) => {
          calls++;
          if (calls > 1) return resolve("second try");
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
      { ...noSleep, timeoutMs: 20 },
    );
    expect(result).toBe("second try");
  });

  it("spreads retries with jitter", async () => {
    const delays: number[] = [];
    await expect(
      withRetry(
        async () => {
          throw new HttpError(503, {});
        },
        {
          attempts: 4,
          baseDelayMs: 100,
          sleep: async () => undefined,
          random: () => 0.5,
          onRetry: ({ delayMs }) => delays.push(delayMs),
        },
      ),
    ).rejects.toThrow();
    expect(delays).toEqual([50, 100, 200]);
  });
});

describe("classify", () => {
  it("reads S3 SDK errors", () => {
    expect(classify({ name: "SlowDown", $metadata: { httpStatusCode: 503 } }).transient).toBe(true);
    expect(classify({ name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }).transient).toBe(false);
    expect(classify({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } }).transient).toBe(false);
  });

  it("parses Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", Date.parse("2026-01-01T00:00:00Z"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("names the quota that was exceeded and the fix", () => {
    const error = quotaError(403, {
      type: "quotas_exceeded",
      details: [{ resource: "serverless_containers", quota: 50, current: 50 }],
    });
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error!.message).toContain("serverless_containers (quota 50, in use 50)");
    expect(error!.message).toContain("Fix:");
    expect(quotaError(403, { type: "permissions_denied" })).toBeUndefined();
  });
});
