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
} as const;
