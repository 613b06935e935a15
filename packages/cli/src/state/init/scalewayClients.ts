import { Account, createClient, Iam, Secret } from "@scaleway/sdk";
import { withRetry, type RetryOptions } from "../../resilience/retry";
import { REGIONS, type Region, type ScalewayCredentials } from "./plan";

export type IamApi = InstanceType<typeof Iam.v1alpha1.API>;
export type SecretApi = InstanceType<typeof Secret.v1beta1.API>;
export type ProjectApi = InstanceType<typeof Account.v3.ProjectAPI>;

/** The Scaleway APIs state init and the commands that read passphrases use. */
export interface ScalewayClients {
  readonly iam: IamApi;
  readonly secret: SecretApi;
  readonly projects: ProjectApi;
  /** Access key of the caller, to find out who it is. */
  readonly accessKey: string;
  readonly organizationId: string | undefined;
  readonly projectId: string;
  readonly region: Region;
}

/** Time limit of one HTTP exchange with the API; withRetry tries again after it. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * Clients of the Scaleway SDK for `credentials`, at SCW_API_URL when set (a local
 * Scaleway) and with a time limit on every exchange.
 */
export function scalewayClients(credentials: ScalewayCredentials, projectId: string, region: Region): ScalewayClients {
  const client = createClient({
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    apiURL: credentials.apiUrl,
    defaultProjectId: projectId,
    defaultRegion: region,
    ...(credentials.organizationId ? { defaultOrganizationId: credentials.organizationId } : {}),
    // The SDK has no time limit of its own: a hung exchange would hang init.
    interceptors: [
      { request: ({ request }) => new Request(request, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }) },
    ],
  });
  return {
    iam: new Iam.v1alpha1.API(client),
    secret: new Secret.v1beta1.API(client),
    projects: new Account.v3.ProjectAPI(client),
    accessKey: credentials.accessKey,
    organizationId: credentials.organizationId,
    projectId,
    region,
  };
}

/**
 * Clients for the credentials, project and region in the environment (SCW_ACCESS_KEY,
 * SCW_SECRET_KEY, SCW_DEFAULT_PROJECT_ID, SCW_DEFAULT_REGION, SCW_API_URL), for
 * commands that read passphrases.
 */
export function scalewayClientsFromEnv(env: NodeJS.ProcessEnv = process.env): ScalewayClients {
  const missing = ["SCW_ACCESS_KEY", "SCW_SECRET_KEY", "SCW_DEFAULT_PROJECT_ID"].filter((name) => !env[name]);
  if (missing.length)
    throw new Error(
      `${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set, so Secret Manager cannot be read. ` +
        "Fix: export them (the deploy identity's API key and project), or export PULUMI_CONFIG_PASSPHRASE.",
    );
  const region = env.SCW_DEFAULT_REGION ?? "fr-par";
  if (!(REGIONS as readonly string[]).includes(region))
    throw new Error(`SCW_DEFAULT_REGION ${region} is not one of ${REGIONS.join(", ")}. Fix: set one of them.`);
  return scalewayClients(
    {
      accessKey: env.SCW_ACCESS_KEY!,
      secretKey: env.SCW_SECRET_KEY!,
      apiUrl: env.SCW_API_URL ?? "https://api.scaleway.com",
      organizationId: env.SCW_DEFAULT_ORGANIZATION_ID,
    },
    env.SCW_DEFAULT_PROJECT_ID!,
    region as Region,
  );
}

/**
 * One API call with a time limit, retried on 429, 5xx, timeouts and broken connections
 * (withRetry). Calls that create something must be safe to repeat: see getOrCreate.
 */
export function callScaleway<T>(what: string, call: () => Promise<T>, retry: RetryOptions = {}): Promise<T> {
  return withRetry((signal) => abortable(call(), signal), { what, timeoutMs: CALL_TIMEOUT_MS, ...retry });
}

/**
 * Creates something only if it does not exist, safely retried: when a try fails after
 * the API may have created it (a timeout, a 503 on the way back), the next try looks for
 * it first instead of creating a second one.
 */
export async function getOrCreate<T>(what: string, find: () => Promise<T | undefined>, create: () => Promise<T>) {
  let tried = false;
  return withRetry(
    async (signal) => {
      if (tried) {
        const found = await abortable(find(), signal);
        if (found !== undefined) return found;
      }
      tried = true;
      return abortable(create(), signal);
    },
    { what, timeoutMs: CALL_TIMEOUT_MS },
  );
}

/** Whether an SDK error is the API's 404. */
export function isNotFound(error: unknown): boolean {
  return (error as { status?: number })?.status === 404;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}
