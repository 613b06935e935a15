import { mkdtempSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent as HttpsAgent, type AgentOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { ProxyAgent, fetch, type Headers } from "undici";
import {
  LOCAL_ACCESS_KEY,
  LOCAL_SECRET_KEY,
  startLocalScaleway,
  type LocalScaleway,
  type LocalScalewayOptions,
} from "../../server";

type Callback = (error: Error | null, socket?: Duplex) => void;

/**
 * An HTTPS agent that reaches every host through an HTTP CONNECT proxy, as Go clients do
 * with HTTPS_PROXY: for tests that drive the AWS SDK through the local Scaleway's proxy.
 */
export class TunnellingAgent extends HttpsAgent {
  constructor(
    private readonly proxyUrl: string,
    private readonly caPem: string,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options, ca: caPem });
  }

  // Node calls this with a callback when it is given one: the tunnel opens asynchronously.
  override createConnection(
    options: { host?: string; port?: number; servername?: string },
    callback: Callback,
  ): undefined {
    const proxy = new URL(this.proxyUrl);
    const target = `${options.host}:${options.port ?? 443}`;
    const connectRequest = httpRequest({
      host: proxy.hostname,
      port: proxy.port,
      method: "CONNECT",
      path: target,
      headers: { host: target },
    });
    connectRequest.once("connect", (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`the proxy refused ${target}: ${response.statusCode}`));
        return;
      }
      const secure = tlsConnect({ socket, servername: options.servername ?? options.host, ca: this.caPem });
      secure.once("secureConnect", () => callback(null, secure));
      secure.once("error", (error) => callback(error));
    });
    connectRequest.once("error", (error) => callback(error));
    connectRequest.end();
    return undefined;
  }
}

/** A local Scaleway with clients for its Object Storage, through the proxy as the provider reaches it. */
export interface S3Fixture {
  readonly local: LocalScaleway;
  /** An AWS SDK client for `https://s3.<region>.scw.cloud` (virtual-hosted unless forcePathStyle). */
  client(config?: Partial<S3ClientConfig> & { region?: string }): S3Client;
  /** A raw HTTPS request through the proxy; signed with a (never verified) SigV4 header unless anonymous. */
  raw(url: string, init?: RawInit): Promise<RawResponse>;
  stop(): Promise<void>;
}

export interface RawInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly anonymous?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export const TEST_AUTHORIZATION =
  "AWS4-HMAC-SHA256 Credential=SCWLOCALXXXXXXXXXXXX/20260101/fr-par/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

const sharedCa = mkdtempSync(join(tmpdir(), "scaleway-local-s3-ca-"));

export async function startS3(options: LocalScalewayOptions = {}): Promise<S3Fixture> {
  const local = await startLocalScaleway({ transitionMs: 50, caDir: sharedCa, ...options });
  const ca = readFileSync(local.proxy.caCertFile, "utf8");
  const clients: S3Client[] = [];
  const dispatcher = new ProxyAgent({ uri: local.proxy.url, requestTls: { ca } });
  return {
    local,
    client(config = {}) {
      const region = config.region ?? "fr-par";
      const client = new S3Client({
        region,
        endpoint: `https://s3.${region}.scw.cloud`,
        credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_SECRET_KEY },
        // The SDK builds its Node HTTP handler from these options.
        requestHandler: { httpsAgent: new TunnellingAgent(local.proxy.url, ca) },
        maxAttempts: 1,
        ...config,
      });
      clients.push(client);
      return client;
    },
    async raw(url, init = {}) {
      const response = await fetch(url, {
        method: init.method ?? "GET",
        headers: { ...(init.anonymous ? {} : { authorization: TEST_AUTHORIZATION }), ...init.headers },
        body: init.body,
        dispatcher,
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    },
    async stop() {
      for (const client of clients) client.destroy();
      await dispatcher.close();
      await local.stop();
    },
  };
}

/** The S3 error a call was refused with (its name and HTTP status); fails the test if the call succeeded. */
export function rejection(promise: Promise<unknown>): Promise<{ name: string; status: number }> {
  return promise.then(
    () => {
      throw new Error("the call succeeded");
    },
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      status: error.$metadata?.httpStatusCode as number,
    }),
  );
}
