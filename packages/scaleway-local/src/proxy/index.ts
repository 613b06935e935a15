import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import type { HostRegistry } from "../context";
import { CertificateAuthority } from "./certificates";

export interface TlsProxyOptions {
  /** Loopback address to listen on. */
  readonly host: string;
  /** Port; 0 picks a free one. */
  readonly port: number;
  /** Hostnames the proxy terminates TLS for, and their handlers. */
  readonly hosts: HostRegistry;
  /** Where the generated CA (key and certificate) is kept and reused; unset: a new CA in a temporary folder. */
  readonly caDir?: string;
}

export interface TlsProxy {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY. */
  readonly url: string;
  /** PEM file of the CA that signs the certificates the proxy presents, for SSL_CERT_FILE. */
  readonly caCertFile: string;
  stop(): Promise<void>;
}

/**
 * An HTTP CONNECT proxy for clients that cannot be pointed at another endpoint (the
 * provider hard-codes https://<bucket>.s3.<region>.scw.cloud). For hostnames the local
 * Scaleway answers, it terminates TLS with a certificate of its own CA and hands the
 * request to that hostname's handler; it refuses every other destination, so nothing
 * leaves the machine.
 */
export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const ca = new CertificateAuthority(options.caDir);
  const contexts = new Map<string, SecureContext>();
  const contextFor = (hostname: string) => {
    let context = contexts.get(hostname);
    if (!context) {
      const pair = ca.issue(hostname);
      context = createSecureContext({ key: pair.keyPem, cert: pair.certPem });
      contexts.set(hostname, context);
    }
    return context;
  };

  // Decrypted requests arrive here, never on a network socket of their own.
  const tlsServer = createHttpsServer(
    { SNICallback: (servername, callback) => callback(null, contextFor(servername)) },
    (request: IncomingMessage, response: ServerResponse) => {
      const hostname = (request.headers.host ?? "").replace(/:\d+$/, "");
      const handler = options.hosts.find(hostname);
      if (!handler) {
        response.writeHead(502).end(`the local Scaleway does not serve ${hostname}`);
        return;
      }
      Promise.resolve(handler(request, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
        else response.destroy();
      });
    },
  );

  const proxy: Server = createHttpServer((_request, response) => {
    response
      .writeHead(405, { "content-type": "text/plain" })
      .end("this proxy only answers CONNECT for *.scw.cloud hosts");
  });
  proxy.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    const [hostname = "", port = "443"] = (request.url ?? "").split(":");
    if (!options.hosts.handles(hostname) || port !== "443") {
      client.end(
        "HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nthe local Scaleway proxy reaches no other host\r\n",
      );
      return;
    }
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) client.unshift(head);
    tlsServer.emit("connection", client);
  });
  // Sockets handed to the TLS server may close abruptly (dropped-connection faults); that is no crash.
  tlsServer.on("tlsClientError", () => undefined);
  proxy.on("clientError", (_error, socket) => socket.destroy());

  const port = await new Promise<number>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(options.port, options.host, () => resolve((proxy.address() as AddressInfo).port));
  });
  return {
    url: `http://${options.host}:${port}`,
    caCertFile: ca.certFile,
    stop: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        tlsServer.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
