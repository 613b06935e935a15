import { HttpError, quotaError } from "../resilience/classify";
import { withRetry } from "../resilience/retry";

export interface ReachabilityProblem {
  readonly instance: string;
  readonly problem: string;
}

interface Endpoint {
  readonly id: string;
  readonly private_network?: unknown;
  readonly load_balancer?: unknown;
  readonly direct_access?: unknown;
}

/**
 * Asks the Scaleway API (or the local Scaleway) which endpoints each database instance
 * has: only private network endpoints are allowed, none on a load balancer (public) or
 * with direct access.
 */
export async function checkDatabaseReachability(
  instanceIds: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<ReachabilityProblem[]> {
  const apiUrl = env.SCW_API_URL ?? "https://api.scaleway.com";
  const problems: ReachabilityProblem[] = [];
  for (const qualified of instanceIds) {
    const [region, id] = qualified.includes("/")
      ? qualified.split("/")
      : [env.SCW_DEFAULT_REGION ?? "fr-par", qualified];
    const instance = await withRetry(
      async (signal) => {
        const response = await fetch(`${apiUrl}/rdb/v1/regions/${region}/instances/${id}`, {
          headers: { "x-auth-token": env.SCW_SECRET_KEY ?? "" },
          signal,
        });
        const body = (await response.json()) as { endpoints?: Endpoint[]; name?: string };
        if (!response.ok) {
          throw (
            quotaError(response.status, body) ??
            new HttpError(response.status, body, Object.fromEntries(response.headers))
          );
        }
        return body;
      },
      { what: `read database instance ${qualified}` },
    );
    const name = instance.name ?? qualified;
    const endpoints = instance.endpoints ?? [];
    if (endpoints.length === 0) problems.push({ instance: name, problem: "has no endpoint at all" });
    for (const endpoint of endpoints) {
      if (endpoint.load_balancer)
        problems.push({ instance: name, problem: `endpoint ${endpoint.id} is public (load balancer)` });
      if (endpoint.direct_access)
        problems.push({ instance: name, problem: `endpoint ${endpoint.id} has direct access` });
      if (!endpoint.private_network)
        problems.push({ instance: name, problem: `endpoint ${endpoint.id} is not on a private network` });
    }
  }
  return problems;
}
