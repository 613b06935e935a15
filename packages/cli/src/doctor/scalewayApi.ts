import { HttpError } from "../resilience/classify";
import { withRetry } from "../resilience/retry";
import { fail, ok, oneLine, warn, type CheckResult, type DoctorContext } from "./check";
import type { ScalewayCredentials } from "./scalewayCredentials";

export const SCALEWAY_API = "https://api.scaleway.com";

/** One authenticated call to the Scaleway API, and when it was made. */
export interface ApiProbe {
  readonly url: string;
  /** The answer's HTTP status and body, or why there was none. */
  readonly status?: number;
  readonly body?: { message?: string; name?: string; type?: string };
  readonly error?: string;
  /** The answer's Date header, and the local time halfway through the call. */
  readonly serverDate?: string;
  readonly localMidpoint?: number;
}

/**
 * GET /account/v3/projects/{id} with the secret key: it needs a valid key with read
 * access to the project the stack deploys to, which is what a deployment needs first.
 * Transient failures (5xx, 429, timeouts) are tried again.
 */
export async function probeScalewayApi(
  context: DoctorContext,
  credentials: ScalewayCredentials,
  projectId: string | undefined,
): Promise<ApiProbe> {
  const base = (context.env.SCW_API_URL || SCALEWAY_API).replace(/\/+$/, "");
  const url = projectId ? `${base}/account/v3/projects/${projectId}` : `${base}/account/v3/projects`;
  const now = context.now ?? Date.now;
  try {
    return await withRetry(
      async (signal) => {
        const sent = now();
        const response = await fetch(url, {
          headers: credentials.secretKey ? { "X-Auth-Token": credentials.secretKey } : {},
          signal,
        });
        const localMidpoint = (sent + now()) / 2;
        const body = (await response.json().catch(() => ({}))) as ApiProbe["body"];
        if (response.status === 429 || response.status >= 500) {
          throw new HttpError(response.status, body, Object.fromEntries(response.headers.entries()));
        }
        return {
          url,
          status: response.status,
          body,
          serverDate: response.headers.get("date") ?? undefined,
          localMidpoint,
        };
      },
      { attempts: context.attempts ?? 3, timeoutMs: context.timeoutMs ?? 10_000, what: `call ${base}` },
    );
  } catch (error) {
    return { url, error: oneLine(error) };
  }
}

/** Whether the key works: the answer to the probe. */
export function checkCredentialsWork(probe: ApiProbe, credentials: ScalewayCredentials): CheckResult {
  const name = "scaleway api";
  if (!credentials.secretKey) return warn(name, "not tried: no secret key", "set the credentials first (see above)");
  if (probe.error) {
    return fail(
      name,
      `no answer from ${probe.url}: ${probe.error}`,
      "check the network, a proxy or firewall, and SCW_API_URL if you set it",
    );
  }
  const message = probe.body?.message ? `: ${probe.body.message}` : "";
  switch (probe.status) {
    case 200:
      return ok(name, `the key reads project ${probe.body?.name ? `"${probe.body.name}" ` : ""}(${probe.url})`);
    case 401:
      return fail(
        name,
        `Scaleway refused the secret key (HTTP 401${message})`,
        "the key is wrong, expired or deleted: create a new API key (IAM > API keys) and export SCW_ACCESS_KEY and SCW_SECRET_KEY",
      );
    case 403:
      return fail(
        name,
        `the key may not read the project (HTTP 403${message})`,
        "give the key's user or application a policy with ProjectManager (or AllProductsFullAccess) on this project",
      );
    case 404:
      return fail(
        name,
        `no such project (HTTP 404${message})`,
        "check SCW_DEFAULT_PROJECT_ID (or the stack's projectId): `scw account project list` lists yours",
      );
    default:
      return fail(
        name,
        `unexpected answer HTTP ${probe.status}${message} from ${probe.url}`,
        "try again; if it persists, see https://status.scaleway.com",
      );
  }
}

/** Signed S3 requests fail past 15 minutes of skew, and leases expire by the clock: more than a minute fails. */
export const MAX_CLOCK_SKEW_MS = 60_000;

export function checkClock(probe: ApiProbe): CheckResult {
  if (!probe.serverDate || probe.localMidpoint === undefined) {
    return warn("clock", `not checked: no answer from ${probe.url}`, "see the scaleway api check");
  }
  const server = Date.parse(probe.serverDate);
  if (Number.isNaN(server)) return warn("clock", `not checked: unreadable Date header "${probe.serverDate}"`);
  // The Date header has a resolution of one second: allow for it.
  const skewMs = probe.localMidpoint - server;
  const ahead = skewMs > 0 ? "ahead of" : "behind";
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) {
    return fail(
      "clock",
      `the local clock is ${seconds} s ${ahead} Scaleway's: signed requests and leases go wrong`,
      "synchronise the clock with NTP (e.g. `timedatectl set-ntp true`, or chrony)",
    );
  }
  return ok("clock", `within ${Math.max(1, seconds)} s of Scaleway's`);
}
