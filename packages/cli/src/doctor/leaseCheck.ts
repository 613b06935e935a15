import { stackAddress } from "../engine/project";
import { leaseName } from "../state/layout";
import { isExpired } from "../state/lease/lease";
import { leaseStoreFor } from "../state/lease/forBackend";
import { ok, oneLine, warn, type CheckResult, type DoctorContext } from "./check";

/** Who holds the deployment lease of the environment, if anyone. A held lease is a warning: it ends. */
export async function checkLease(context: DoctorContext, environment: string): Promise<CheckResult> {
  let record;
  try {
    const store = leaseStoreFor(context.backendUrl, { env: context.env });
    const name = leaseName(stackAddress(environment, context.projectDir));
    record = await withTimeout(store.inspect(name), context.timeoutMs ?? 10_000);
  } catch (error) {
    return warn("lock", `could not read the lease of ${environment}: ${oneLine(error)}`, "see the backend check");
  }
  if (!record) return ok("lock", `no deployment of ${environment} holds the lease`);
  const holder = `${record.who} (${record.operation}${record.commit ? ` of ${record.commit.slice(0, 12)}` : ""}, pid ${record.pid} on ${record.host})`;
  if (isExpired(record, (context.now ?? Date.now)())) {
    return ok(
      "lock",
      `free: the lease ${holder} left expired at ${record.expiresAt}; the next deployment takes it over`,
    );
  }
  return warn(
    "lock",
    `${environment} is being deployed: ${holder} holds the lease since ${record.acquiredAt}, until ${record.expiresAt} unless renewed`,
    `wait for it to finish; if that deployment is dead, \`sovstack state unlock ${environment} --force\``,
  );
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
