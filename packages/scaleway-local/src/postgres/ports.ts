import { createServer } from "node:net";

/**
 * A TCP port free on loopback right now. Another process may take it before PostgreSQL
 * binds it: the cluster retries with another one when that happens.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
