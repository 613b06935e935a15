import { join } from "node:path";
import { ScalewayError } from "../../http/errors";
import { ClusterManager, type PostgresCluster } from "../../postgres";

export type ServerState = "none" | "starting" | "running" | "failed";

/**
 * The real servers behind instances and Read Replicas, by resource id. Making a server
 * (a copy of the template, a clone, a restored snapshot) runs in the background so the API
 * answers at once; calls that need the server wait for it.
 */
export class RdbServers {
  readonly manager: ClusterManager;
  private readonly work = new Map<string, Promise<PostgresCluster>>();
  private readonly failures = new Map<string, Error>();
  private readonly removals = new Set<Promise<void>>();
  /** Copies being taken from a server (clone, upgrade, replica, snapshot), which its removal waits for. */
  private readonly copies = new Set<{ sourceId: string; done: Promise<unknown> }>();

  constructor(dataDir: string | undefined, onPortChange: (id: string, port: number) => void) {
    this.manager = new ClusterManager({ root: dataDir ? join(dataDir, "postgres") : undefined, onPortChange });
  }

  /** Runs `make` in the background as the way `id` gets its server. */
  launch(id: string, make: () => Promise<PostgresCluster>, onReady?: (cluster: PostgresCluster) => void): void {
    this.failures.delete(id);
    const promise = make();
    this.work.set(id, promise);
    promise.then(
      (cluster) => {
        if (this.work.get(id) !== promise) return;
        this.work.delete(id);
        onReady?.(cluster);
      },
      (error: unknown) => {
        if (this.work.get(id) !== promise) return;
        this.work.delete(id);
        const failure = error instanceof Error ? error : new Error(String(error));
        this.failures.set(id, failure);
        // The API only shows `error`: the reason goes where the person running it looks.
        console.error(`[scaleway-local] rdb: the PostgreSQL server of ${id} failed: ${failure.message}`);
      },
    );
  }

  state(id: string): ServerState {
    if (this.failures.has(id)) return "failed";
    if (this.work.has(id)) return "starting";
    const cluster = this.manager.get(id);
    if (!cluster) return "none";
    if (cluster.state === "running") return "running";
    if (cluster.state === "failed") return "failed";
    // Stopped under us (killed, crashed): started again on the next look.
    if (cluster.state === "stopped") this.launch(id, async () => (await cluster.start(), cluster));
    return "starting";
  }

  failure(id: string): Error | undefined {
    return this.failures.get(id) ?? this.manager.get(id)?.failure;
  }

  /** The running server of `id`, waiting for it to be made or started. */
  async cluster(id: string): Promise<PostgresCluster> {
    const pending = this.work.get(id);
    if (pending) await pending.catch(() => undefined);
    const failure = this.failures.get(id);
    const cluster = this.manager.get(id);
    if (failure || !cluster) throw unavailable(id, failure);
    try {
      await cluster.start();
    } catch (error) {
      throw unavailable(id, error as Error);
    }
    return cluster;
  }

  /**
   * Runs `task`, which copies the server of `sourceId`, once that server is up. Registered
   * at once, so that deleting the source right after (a major upgrade, then deleting the
   * old instance) waits for the copy, as on the service.
   */
  copyFrom<T>(sourceId: string, task: () => Promise<T>): Promise<T> {
    const done = (async () => {
      await this.cluster(sourceId);
      return task();
    })();
    const entry = { sourceId, done };
    this.copies.add(entry);
    void done.catch(() => undefined).finally(() => this.copies.delete(entry));
    return done;
  }

  /** Stops and deletes the server of `id` (in the background: deletion answers at once). */
  remove(id: string): void {
    const pending = this.work.get(id);
    const copies = [...this.copies].filter((copy) => copy.sourceId === id).map((copy) => copy.done);
    this.work.delete(id);
    this.failures.delete(id);
    const removal = (async () => {
      await pending?.catch(() => undefined);
      await Promise.all(copies.map((copy) => copy.catch(() => undefined)));
      await this.manager.remove(id).catch(() => undefined);
    })();
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }

  async stopAll(): Promise<void> {
    const busy = [...this.work.values(), ...this.removals, ...[...this.copies].map((copy) => copy.done)];
    await Promise.all(busy.map((pending) => pending.catch(() => undefined)));
    await this.manager.stopAll();
  }
}

function unavailable(id: string, cause: Error | undefined): ScalewayError {
  return new ScalewayError(500, {
    message: `the PostgreSQL server of ${id} is not running${cause ? `: ${cause.message}` : ""}`,
    type: "internal_error",
  });
}
