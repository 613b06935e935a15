import { nameOf, shortType } from "../drift/driftReport";
import { CheckpointParseError, declaredResources, parseCheckpoint, resourcesOf, type Checkpoint } from "./checkpoint";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface VerifyProblem {
  readonly severity: "error" | "warning";
  readonly message: string;
  /** For a pending operation: which (create, update, delete…) and the resource's full URN. */
  readonly pending?: { readonly operation: string; readonly urn: string };
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly resourceCount: number;
  readonly problems: readonly VerifyProblem[];
  readonly checkpoint?: Checkpoint;
}

/**
 * Whether a checkpoint can be trusted: it parses, it is Pulumi's format version 3 for the
 * right stack, every reference between resources (parent, provider, dependencies) points
 * to a resource recorded before it, URNs are unique, custom resources have IDs, and every
 * secret is ciphertext, never plaintext. Pending operations left by an interrupted run
 * are reported as warnings: the next `up` resolves them.
 */
export function verifyCheckpoint(bytes: Buffer | undefined, expectedStack?: string): VerifyReport {
  if (!bytes) return report([{ severity: "error", message: "there is no checkpoint" }]);
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(bytes);
  } catch (error) {
    if (error instanceof CheckpointParseError) return report([{ severity: "error", message: error.message }]);
    throw error;
  }
  const problems: VerifyProblem[] = [];
  const error = (message: string) => problems.push({ severity: "error", message });
  if (checkpoint.version !== 3) error(`checkpoint format version is ${checkpoint.version}; Pulumi writes 3`);
  if (expectedStack && !String(checkpoint.checkpoint.stack).endsWith(expectedStack))
    error(`the checkpoint is of stack ${checkpoint.checkpoint.stack}, not ${expectedStack}`);

  const seen = new Set<string>();
  const pendingDeletes = new Set<string>();
  const resources = resourcesOf(checkpoint);
  for (const [index, resource] of resources.entries()) {
    const at = `resource ${index + 1} (${resource.urn ?? "no URN"})`;
    if (typeof resource.urn !== "string" || !resource.urn.startsWith("urn:pulumi:")) error(`${at} has no valid URN`);
    if (typeof resource.type !== "string") error(`${at} has no type`);
    // A replaced resource whose delete failed stays beside its replacement, marked delete.
    if (seen.has(resource.urn) && !resource.delete && !pendingDeletes.has(resource.urn)) error(`${at} appears twice`);
    if (resource.delete) pendingDeletes.add(resource.urn);
    if (resource.custom && !resource.id && !resource.type?.startsWith("pulumi:providers:"))
      error(`${at} is a cloud resource without an ID`);
    if (resource.parent && !seen.has(resource.parent)) error(`${at} has a parent recorded after it or missing`);
    if (resource.provider) {
      const providerUrn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
      if (!seen.has(providerUrn)) error(`${at} uses a provider that is missing`);
    }
    for (const dependency of resource.dependencies ?? [])
      if (!seen.has(dependency)) error(`${at} depends on ${dependency}, which is missing or recorded after it`);
    for (const path of plaintextSecrets(resource)) error(`${at} keeps the secret ${path} in plain text`);
    seen.add(resource.urn);
  }
  for (const operation of checkpoint.checkpoint.latest?.pending_operations ?? []) {
    const { urn } = operation.resource;
    const resource = `${shortType(operation.resource.type ?? typeOfUrn(urn))} ${nameOf(urn)}`;
    const pending = { operation: PENDING_NOUNS[operation.type] ?? operation.type, urn };
    problems.push(
      operation.type === "creating"
        ? {
            severity: "warning",
            // The URN stays in the text: the fix (`pulumi refresh --import-pending-creates <urn> --import-pending-creates <id>`) needs it.
            message: `a stopped deployment left a pending create of ${resource} (${urn}): it may exist in Scaleway without being recorded, and up refuses to run until it is imported or cleared (docs/runbooks/stuck-lock.md, step 5)`,
            pending,
          }
        : {
            severity: "warning",
            message: `an interrupted deployment left a pending ${pending.operation} of ${resource}; the next up resolves it`,
            pending,
          },
    );
  }
  return report(problems, checkpoint);
}

/** Pulumi's names of pending operations (creating, updating…) as nouns. */
const PENDING_NOUNS: Readonly<Record<string, string>> = {
  creating: "create",
  updating: "update",
  deleting: "delete",
  reading: "read",
  importing: "import",
};

/** The type in a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`), for an operation without one. */
function typeOfUrn(urn: string): string {
  return urn.split("::")[2]?.split("$").at(-1) ?? "";
}

function report(problems: VerifyProblem[], checkpoint?: Checkpoint): VerifyReport {
  return {
    ok: !problems.some((problem) => problem.severity === "error"),
    // Counted as `state history` counts them: the stack and providers left out.
    resourceCount: checkpoint ? declaredResources(checkpoint).length : 0,
    problems,
    checkpoint,
  };
}

/** Property paths of secret values stored decrypted (`plaintext`) instead of as `ciphertext`. */
function plaintextSecrets(resource: { inputs?: unknown; outputs?: unknown }): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (SECRET_SIG in record) {
      if (!("ciphertext" in record) || "plaintext" in record) found.push(path);
      return;
    }
    for (const [key, inner] of Object.entries(record)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(resource.inputs, "inputs");
  walk(resource.outputs, "outputs");
  return found;
}
