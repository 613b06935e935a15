import { decompress, UnreadableObjectError } from "./compression";

/** A resource of a Pulumi deployment, as the checkpoint keeps it. */
export interface CheckpointResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly dependencies?: readonly string[];
  readonly protect?: boolean;
  /** An old copy of a replaced resource, still to delete. */
  readonly delete?: boolean;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

export interface Deployment {
  readonly manifest?: { readonly time?: string; readonly version?: string };
  readonly secrets_providers?: { readonly type?: string; readonly state?: unknown };
  readonly resources?: readonly CheckpointResource[];
  readonly pending_operations?: ReadonlyArray<{
    readonly type: string;
    readonly resource: { readonly urn: string; readonly type?: string };
  }>;
}

/** The file Pulumi's DIY backends write: `{ version: 3, checkpoint: { stack, config, latest } }`. */
export interface Checkpoint {
  readonly version: number;
  readonly checkpoint: { readonly stack: string; readonly config?: unknown; readonly latest?: Deployment };
}

export class CheckpointParseError extends Error {
  override name = "CheckpointParseError";
}

/** The bytes of a checkpoint as stored, compressed or not: read by content, as the engine reads them. */
export function parseCheckpoint(bytes: Buffer): Checkpoint {
  let text: string;
  try {
    text = decompress(bytes).toString("utf8");
  } catch (error) {
    if (error instanceof UnreadableObjectError) throw new CheckpointParseError(`the checkpoint ${error.message}`);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckpointParseError(`the checkpoint is not valid JSON (${(error as Error).message})`);
  }
  const candidate = value as Partial<Checkpoint> | null;
  if (!candidate || typeof candidate !== "object" || typeof candidate.checkpoint !== "object" || !candidate.checkpoint)
    throw new CheckpointParseError("the checkpoint has no `checkpoint` object");
  return candidate as Checkpoint;
}

export function resourcesOf(checkpoint: Checkpoint): readonly CheckpointResource[] {
  return checkpoint.checkpoint.latest?.resources ?? [];
}

/** Resources a person declared: not the stack itself, not provider instances. */
export function declaredResources(checkpoint: Checkpoint): CheckpointResource[] {
  return resourcesOf(checkpoint).filter(
    (resource) => resource.type !== "pulumi:pulumi:Stack" && !resource.type.startsWith("pulumi:providers:"),
  );
}
