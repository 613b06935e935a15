/**
 * Where Pulumi's DIY backends (file, s3, postgres) keep a stack, in the "project" layout
 * that `.pulumi/meta.yaml` (version: 1) announces. sovstack reads and writes these keys
 * directly for history, backup, restore and migration.
 */
export interface StackAddress {
  readonly project: string;
  readonly stack: string;
}

export const META_KEY = ".pulumi/meta.yaml";
export const META_CONTENT = "version: 1\n";

/**
 * The current checkpoint of the stack, uncompressed; the engine may keep it compressed as
 * `<key>.gz` instead (see currentCheckpoint.ts for which object it reads).
 */
export function checkpointKey({ project, stack }: StackAddress): string {
  return `.pulumi/stacks/${project}/${stack}.json`;
}

/** One `<stack>-<unix nanoseconds>.history.json` and `.checkpoint.json` pair per update (`.json.gz` compressed). */
export function historyPrefix({ project, stack }: StackAddress): string {
  return `.pulumi/history/${project}/${stack}/`;
}

/** Pulumi's own per-update lock files, `<lock id>.json`, under the stack's full name (DIY stacks are in "organization"). */
export function pulumiLockPrefix({ project, stack }: StackAddress): string {
  return `.pulumi/locks/organization/${project}/${stack}/`;
}

/** The name of the stack's lease: unique in a backend that holds several projects. */
export function leaseName({ project, stack }: StackAddress): string {
  return `${project}/${stack}`;
}

/** Every key that belongs to the stack, for backup and migration. */
export function stackPrefixes(address: StackAddress): string[] {
  return [checkpointKey(address), historyPrefix(address)];
}
