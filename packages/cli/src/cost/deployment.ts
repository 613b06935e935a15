import type { Deployment } from "@pulumi/pulumi/automation";
import type { CostedResource } from "./resources";

/** A resource of an exported deployment (`pulumi stack export`, `stack.exportStack()`). */
interface DeployedResource {
  readonly urn?: string;
  readonly type?: string;
  readonly id?: string;
  readonly custom?: boolean;
  readonly delete?: boolean;
  readonly inputs?: Record<string, unknown>;
}

/** Pulumi's marker of a secret value in a checkpoint (sdk/go/common/resource/properties.go). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * A secret as exported: with its plaintext (exportStack decrypts) or only a ciphertext.
 * The estimator reads sizes and counts, never secret values, so a ciphertext becomes undefined.
 */
function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) {
    if (typeof record.plaintext !== "string") return undefined;
    try {
      return revealSecrets(JSON.parse(record.plaintext));
    } catch {
      return record.plaintext;
    }
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, revealSecrets(inner)]));
}

/** The resource name, the last `::` part of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
function nameOf(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}

function resourcesOf(deployment: Deployment | { resources?: unknown } | undefined): DeployedResource[] {
  const inner =
    deployment && "deployment" in deployment ? (deployment.deployment as { resources?: unknown }) : deployment;
  const resources = inner?.resources;
  return Array.isArray(resources) ? (resources as DeployedResource[]) : [];
}

/**
 * The resources of a deployed stack, from its exported deployment, in the shape of a
 * planned one, so that both can be estimated and compared. Left out: components and the
 * stack (custom false), providers, and resources pending deletion (left over by a failed
 * replacement, not part of what the stack runs).
 */
export function resourcesFromDeployment(deployment: Deployment | { resources?: unknown }): CostedResource[] {
  return resourcesOf(deployment)
    .filter((resource) => resource.custom !== false && resource.delete !== true)
    .filter((resource) => typeof resource.type === "string" && typeof resource.urn === "string")
    .filter((resource) => !resource.type!.startsWith("pulumi:"))
    .map((resource) => ({
      type: resource.type!,
      name: nameOf(resource.urn!),
      inputs: (revealSecrets(resource.inputs ?? {}) ?? {}) as Record<string, unknown>,
      id: resource.id,
    }));
}

/** The stack a deployment belongs to, from the first URN (`urn:pulumi:<stack>::…`). */
export function stackNameOf(deployment: Deployment | { resources?: unknown }): string | undefined {
  const urn = resourcesOf(deployment).find((resource) => typeof resource.urn === "string")?.urn;
  return urn ? /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] : undefined;
}
