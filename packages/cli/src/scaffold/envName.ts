import { UsageError } from "../usageError";

/** Stack names sovstack accepts: they name a file, a Pulumi stack and a lease. */
const ENV_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;

export function checkEnvName(name: string): void {
  if (ENV_NAME.test(name) && !name.includes("--")) return;
  throw new UsageError(
    `"${name}" is not a valid environment name: use 1 to 32 lowercase letters, digits and single dashes, ` +
      `starting with a letter and not ending with a dash (e.g. dev, staging, qa-2). Fix: choose such a name.`,
  );
}
