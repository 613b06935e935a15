import { bucketLimits } from "./config/limits";

/**
 * Names of the things sovstack creates. Scaleway names are visible in the console,
 * so they say which stack, which environment and which part they belong to.
 */
export function resourceName(prefix: string, environment: string, part: string): string {
  return `${prefix}-${environment}-${part}`;
}

export function defaultBucketName(prefix: string, key: string, environment: string): string {
  return `${prefix}-${key}-${environment}`;
}

/**
 * Why a bucket name is not valid, or undefined when it is: globally unique DNS names,
 * 3-63 characters, lowercase letters, digits, hyphens and dots, no IP address.
 */
export function bucketNameProblem(name: string): string | undefined {
  const { min, max } = bucketLimits.nameLength;
  if (name.length < min || name.length > max) return `is ${name.length} characters long; it must be ${min} to ${max}`;
  if (name.includes("_")) return "contains an underscore, which DNS names do not allow";
  if (/[A-Z]/.test(name)) return "contains uppercase letters";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "is an IP address";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return "must start and end with a lowercase letter or digit and hold only lowercase letters, digits, hyphens and dots";
  }
  if (/\.\.|\.-|-\./.test(name)) return "has a dot next to a dot or a hyphen";
  return undefined;
}
