import type { IncomingMessage, ServerResponse } from "node:http";
import type { Faults } from "./faults/faults";
import type { ProductRoutes } from "./http/router";
import type { Lifecycle } from "./state/lifecycle";
import type { Store } from "./state/store";

/** Handler of requests that arrive over TLS through the proxy, for one family of hostnames. */
export type HostHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** Hostnames under *.scw.cloud that the local Scaleway answers (S3 buckets, container endpoints). */
export class HostRegistry {
  private readonly entries: Array<{ pattern: RegExp; handler: HostHandler }> = [];

  register(pattern: RegExp, handler: HostHandler): void {
    this.entries.push({ pattern, handler });
  }

  /** The handler for a hostname (port removed), if any. */
  find(hostname: string): HostHandler | undefined {
    return this.entries.find((entry) => entry.pattern.test(hostname))?.handler;
  }

  /** Whether the proxy should terminate TLS for this hostname. */
  handles(hostname: string): boolean {
    return this.find(hostname) !== undefined;
  }
}

/** Counts API calls per product and operation, for benchmarks and tests. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  record(product: string, operation: string): void {
    const key = `${product}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, n) => sum + n, 0);
  }

  reset(): void {
    this.counts.clear();
  }
}

/** What every product gets to build its API on. */
export interface LocalContext {
  readonly store: Store;
  readonly lifecycle: Lifecycle;
  readonly faults: Faults;
  readonly calls: CallCounter;
  readonly hosts: HostRegistry;
  readonly organizationId: string;
  readonly defaultProjectId: string;
  /** Folder for product data (e.g. PostgreSQL clusters); undefined when state is in memory. */
  readonly dataDir: string | undefined;
  /** Registers work to do when the local Scaleway stops (stop servers, flush files). */
  onStop(task: () => void | Promise<void>): void;
}

/** One Scaleway product of the local Scaleway: its REST routes and, if any, hostnames. */
export interface Product {
  readonly name: string;
  register(routes: ProductRoutes, context: LocalContext): void | Promise<void>;
}
