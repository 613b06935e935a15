import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalContext } from "../../context";
import { handleS3 } from "./handler";
import { serviceFor } from "./registry";

export interface PlainS3Endpoint {
  /** `http://<host>:<port>`: path-style S3, every region. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The same Object Storage over plain HTTP on loopback, for clients that take an endpoint
 * instead of going through the HTTPS proxy: Pulumi's s3:// backend with
 * `?endpoint=http://127.0.0.1:<port>&s3ForcePathStyle=true&region=fr-par`, or the AWS SDKs
 * with `forcePathStyle`. Buckets are addressed by path; a bucket of any region is served.
 */
export async function startPlainS3Endpoint(
  context: LocalContext,
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<PlainS3Endpoint> {
  const host = options.host ?? "127.0.0.1";
  const service = serviceFor(context);
  let url = "";
  const server = createServer((request, response) => {
    handleS3(service, request, response, url).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  url = `http://${host.includes(":") ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  context.onStop(stop);
  return { url, stop };
}
