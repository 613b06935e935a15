/** What one doctor check found: ok, a warning, or a failure that stops deployments. */
export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  /** Short name: toolchain, credentials, backend... */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, in one line. Never a secret. */
  readonly detail: string;
  /** One line saying what to do, for warnings and failures. */
  readonly fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: "ok", detail });
export const warn = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: "warn",
  detail,
  fix,
});
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "fail", detail, fix });

/** What the checks look at: the environment variables, the backend, the project. */
export interface DoctorContext {
  /** The environment (stack) to check; checks of an environment are skipped without one. */
  readonly environment?: string;
  readonly backendUrl: string;
  /** The Pulumi project folder, holding Pulumi.<env>.yaml. */
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Time limit of one network call. @default 10 s */
  readonly timeoutMs?: number;
  /** Tries of one network call (transient failures). @default 3 */
  readonly attempts?: number;
  /** The local clock. */
  readonly now?: () => number;
}

/** The message of an error and of its causes (fetch's "fetch failed" says nothing alone), made one line. */
export function oneLine(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current && parts.length < 4; current = (current as Error).cause) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
  }
  return parts.join(": ").replace(/\s+/g, " ").trim();
}
