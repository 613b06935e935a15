import { spawn, type ChildProcess } from "node:child_process";
import { binaries } from "./binaries";
import type { OsUser } from "./osUser";

/** Messages in English whatever the machine's locale: we read them. */
const ENV = { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" };

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * If the process exits without stopping its servers, they are asked to stop (fast
 * shutdown) on the way out. A server orphaned by a process killed outright is stopped by
 * the next start on its data folder (see PostgresCluster).
 */
function track(child: ChildProcess) {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of running) server.kill("SIGINT");
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves once the server accepts connections (read-only ones for a standby). */
  readonly ready: Promise<void>;
}

/** Starts `postgres -D dataDir` as the server's OS account; `log` receives what it writes. */
export async function spawnServer(
  dataDir: string,
  port: number,
  flags: readonly string[],
  owner: OsUser | undefined,
  log: (text: string) => void,
): Promise<ServerProcess> {
  const { postgres } = await binaries();
  const child = spawn(postgres, ["-D", dataDir, "-p", String(port), ...flags], {
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  track(child);
  const ready = new Promise<void>((resolve, reject) => {
    // A server that neither comes up nor fails (a disk that hangs) must not hang its callers.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("postgres did not accept connections within 60 s"));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      log(text);
      if (/database system is ready to accept (read-only )?connections/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${signal ?? `code ${code}`})`));
    });
  });
  return { child, ready };
}

/** Runs initdb as the server's OS account. */
export async function runInitdb(args: readonly string[], owner: OsUser | undefined): Promise<void> {
  const { initdb } = await binaries();
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(initdb, args, {
      env: ENV,
      stdio: ["ignore", "pipe", "pipe"],
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`initdb failed (code ${code}):\n${output.join("").slice(-2000)}`)),
    );
  });
}

/** Asks a server to stop (fast shutdown) and waits for it; insists after 15 s. */
export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGQUIT"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
  });
}
