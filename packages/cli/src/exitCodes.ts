/** What `sovstack` exits with; scripts and CI rely on these (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** drift: the infrastructure differs from the code; preview --expect-no-changes: changes pending. */
  changes: 2,
  invalidConfiguration: 3,
  locked: 4,
  policyViolation: 5,
  usage: 64,
  /** Ctrl-C or SIGTERM stopped a deployment (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
