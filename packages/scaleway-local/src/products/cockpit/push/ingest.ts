import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import type { HostHandler } from "../../../context";
import type { DataSourceRecord, DataSources } from "../data-sources";
import type { DataSourceType } from "../retention";
import type { Tokens } from "../tokens";
import { countLokiJson, countLokiProtobuf } from "./loki";
import { countOtlpMetricsJson, countOtlpMetricsProtobuf } from "./otlp";
import { countRemoteWrite } from "./remote-write";
import { snappyDecompress } from "./snappy";

/** Hostnames of the push endpoints, which the HTTPS proxy hands over. */
export const COCKPIT_HOSTS = /\.cockpit\.(fr-par|nl-ams|pl-waw)\.scw\.cloud$/;

const DATA_SOURCE_HOST = /^([0-9a-f-]{36})\.(metrics|logs|traces)\.cockpit\.(fr-par|nl-ams|pl-waw)\.scw\.cloud$/;

type Counter = (body: Buffer, request: IncomingMessage) => number;

/**
 * The push paths of each data source type and how a push is counted: samples for metrics,
 * bytes for logs (log lines for Loki, the decoded body for OTLP) and traces.
 */
const PUSH_PATHS: Record<DataSourceType, Record<string, Counter>> = {
  metrics: {
    "/api/v1/push": (body) => countRemoteWrite(snappyDecompress(body)).samples,
    "/otlp/v1/metrics": (body, request) =>
      isJson(request)
        ? countOtlpMetricsJson(decoded(body, request).toString("utf8"))
        : countOtlpMetricsProtobuf(decoded(body, request)),
  },
  logs: {
    "/loki/api/v1/push": (body, request) =>
      isJson(request)
        ? countLokiJson(decoded(body, request).toString("utf8")).bytes
        : countLokiProtobuf(snappyDecompress(body)).bytes,
    "/otlp/v1/logs": (body, request) => decoded(body, request).length,
  },
  traces: {
    "/otlp/v1/traces": (body, request) => decoded(body, request).length,
  },
};

/**
 * Push endpoints of custom data sources, `https://<id>.<type>.cockpit.<region>.scw.cloud`:
 * Prometheus remote-write, Loki and OTLP pushes are authenticated with a Cockpit token
 * (X-Token, Bearer or Basic, as the agents Scaleway documents send it), counted, and the
 * count is added to the data source's usage. The data itself is not kept.
 */
export function pushHandler(dataSources: DataSources, tokens: Tokens): HostHandler {
  return async (request, response) => {
    const body = await readBody(request);
    const hostname = (request.headers.host ?? "").replace(/:\d+$/, "");
    const path = new URL(request.url ?? "/", "https://local").pathname;
    const match = DATA_SOURCE_HOST.exec(hostname);
    const dataSource = match && dataSources.find(match[1]!);
    if (!match || !dataSource || dataSource.type !== match[2] || dataSource.region !== match[3]) {
      return reply(response, 404, `no Cockpit data source answers at ${hostname}`);
    }
    const count = PUSH_PATHS[dataSource.type][path];
    if (!count || request.method !== "POST") {
      return reply(
        response,
        404,
        `${request.method} ${path} is not a push endpoint of a ${dataSource.type} data source`,
      );
    }
    const refused = refusal(dataSource, secretOf(request), tokens);
    if (refused) return reply(response, refused.status, refused.message);
    let quantity: number;
    try {
      quantity = count(body, request);
    } catch (error) {
      return reply(response, 400, `invalid push body: ${(error as Error).message}`);
    }
    dataSources.recordUsage(dataSource.id, quantity);
    // Loki answers 204; Mimir and the OTLP receivers answer 200.
    return reply(response, path.startsWith("/loki/") ? 204 : 200, "");
  };
}

/** Why a push may not write to the data source, if it may not. */
function refusal(
  dataSource: DataSourceRecord,
  secret: string | undefined,
  tokens: Tokens,
): { status: number; message: string } | undefined {
  const token = secret ? tokens.findBySecret(secret) : undefined;
  if (!token) return { status: 401, message: "unauthorized: a Cockpit token is required (X-Token header)" };
  if (token.project_id !== dataSource.project_id || token.region !== dataSource.region) {
    return { status: 403, message: "forbidden: the token belongs to another project or region" };
  }
  if (!(token.scopes as string[]).includes(`write_only_${dataSource.type}`)) {
    return { status: 403, message: `forbidden: the token lacks the write_only_${dataSource.type} scope` };
  }
  if (dataSource.origin === "scaleway") {
    return { status: 403, message: "forbidden: Scaleway data sources receive the data of Scaleway products only" };
  }
  return undefined;
}

/** The token secret, from the headers the agents use: X-Token, Bearer, or Basic (either part). */
function secretOf(request: IncomingMessage): string | undefined {
  const header = request.headers["x-token"];
  if (typeof header === "string" && header) return header;
  const authorization = request.headers.authorization ?? "";
  const [scheme = "", value = ""] = authorization.split(" ");
  if (/^bearer$/i.test(scheme)) return value || undefined;
  if (/^basic$/i.test(scheme)) {
    const [user = "", password = ""] = Buffer.from(value, "base64").toString("utf8").split(":");
    return password || user || undefined;
  }
  return undefined;
}

function isJson(request: IncomingMessage): boolean {
  return String(request.headers["content-type"] ?? "").includes("json");
}

/** The body without its Content-Encoding (gzip by default for the OpenTelemetry Collector). */
function decoded(body: Buffer, request: IncomingMessage): Buffer {
  const encoding = String(request.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "deflate") return inflateSync(body);
  if (encoding === "snappy") return snappyDecompress(body);
  return body;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, text ? { "content-type": "text/plain; charset=utf-8" } : {});
  response.end(text);
}
