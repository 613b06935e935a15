/** A command used the wrong way: exit code 64, and the message says the fix. */
export class UsageError extends Error {
  override name = "UsageError";
}
