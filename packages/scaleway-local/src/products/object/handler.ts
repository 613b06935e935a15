import type { IncomingMessage, ServerResponse } from "node:http";
import { grantsPublicRead } from "./acl";
import { credentialsOf } from "./auth";
import { verifyPayload } from "./checksums";
import { decodeAwsChunked, isAwsChunked } from "./chunked";
import { corsHeaders } from "./cors";
import { S3Error, accessDenied, faultError } from "./errors";
import { policyAllowsAnyone } from "./policy";
import { addressOf, newRequestId, resourceOf, type S3Request } from "./request";
import { routeOf, type Route } from "./router";
import type { ObjectService, S3Reply } from "./service";
import { escapeXml } from "./xml";

/**
 * Serves one S3 request: addresses it, counts it and applies faults under its operation
 * name, checks credentials, decodes the payload, runs the operation and writes the answer
 * or the S3 XML error. `plainEndpoint` is set for the plain-HTTP endpoint (path style only).
 */
export async function handleS3(
  service: ObjectService,
  incoming: IncomingMessage,
  response: ServerResponse,
  plainEndpoint?: string,
): Promise<void> {
  const requestId = newRequestId();
  let request: S3Request | undefined;
  try {
    const address = addressOf(incoming.headers.host ?? "", incoming.url ?? "/", plainEndpoint);
    request = {
      ...address,
      requestId,
      method: incoming.method ?? "GET",
      query: new URLSearchParams((incoming.url ?? "").split("?").slice(1).join("?")),
      headers: incoming.headers,
      body: Buffer.alloc(0),
      trailers: {},
      checksum: undefined,
    };
    const route = routeOf(request);
    const raw = await readBody(incoming);
    service.context.calls.record("object", route.name);
    const decision = service.context.faults.decide("object", route.name);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.kind === "drop") return void incoming.socket.destroy();
    if (decision.kind === "fail") throw faultError(decision.status, decision.retryAfterSeconds);
    authorise(service, route, request);
    const payload = isAwsChunked(request.headers)
      ? decodeAwsChunked(raw, request.headers)
      : { data: raw, trailers: {} as Record<string, string> };
    request.body = payload.data;
    request.trailers = payload.trailers;
    request.checksum = verifyPayload(payload.data, request.headers, payload.trailers);
    const reply = await route.run(service, request);
    write(response, request, reply, corsFor(service, request));
  } catch (error) {
    if (!(error instanceof S3Error)) {
      if (response.headersSent) return void response.destroy();
      console.error("object storage: unexpected error", error);
    }
    const s3Error =
      error instanceof S3Error
        ? error
        : new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    writeError(response, request, requestId, incoming.method === "HEAD", s3Error);
  }
}

/** Anonymous requests pass only for what ACLs or the bucket policy make public. */
function authorise(service: ObjectService, route: Route, request: S3Request): void {
  if (credentialsOf(request) || route.audience === "anyone") return;
  const bucket = request.bucket ? service.state.bucket(request.bucket) : undefined;
  if (bucket && (!request.region || bucket.region === request.region)) {
    if (route.audience === "public-bucket-read") {
      if (grantsPublicRead(bucket.acl) || policyAllowsAnyone(bucket, "s3:ListBucket", bucket.id)) return;
    }
    if (route.audience === "public-object-read" && request.key !== undefined) {
      const current = service.state.current(bucket.id, request.key);
      if (current && grantsPublicRead(current.acl)) return;
      if (policyAllowsAnyone(bucket, "s3:GetObject", `${bucket.id}/${request.key}`)) return;
    }
  }
  throw accessDenied();
}

function corsFor(service: ObjectService, request: S3Request): Record<string, string> {
  if (!request.headers.origin || !request.bucket || request.method === "OPTIONS") return {};
  return corsHeaders(service.state.bucket(request.bucket), request);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function write(response: ServerResponse, request: S3Request, reply: S3Reply, extra: Record<string, string>): void {
  const body =
    reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
  const headers: Record<string, string> = { ...extra };
  for (const [name, value] of Object.entries(reply.headers ?? {})) if (value !== undefined) headers[name] = value;
  headers["x-amz-request-id"] = request.requestId;
  // Scaleway repeats the request ID here.
  headers["x-amz-id-2"] = request.requestId;
  const status = reply.status ?? 200;
  // HEAD answers the length of what GET would send; 204 and 304 send none.
  if (headers["content-length"] === undefined && status !== 204 && status !== 304)
    headers["content-length"] = String(body?.length ?? 0);
  response.writeHead(status, headers);
  response.end(request.method === "HEAD" || status === 204 || status === 304 ? undefined : body);
}

function writeError(
  response: ServerResponse,
  request: S3Request | undefined,
  requestId: string,
  head: boolean,
  error: S3Error,
): void {
  if (response.headersSent) return void response.destroy();
  // As recorded: no XML declaration; RequestId and HostId, then Resource and the code's extras.
  const xml = [
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>`,
    `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId>`,
    request ? `<Resource>${escapeXml(resourceOf(request))}</Resource>` : "",
    ...Object.entries(error.details).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`),
    "</Error>",
  ].join("");
  const body = Buffer.from(xml);
  response.writeHead(error.status, {
    "content-type": "application/xml",
    ...error.headers,
    ...(head || error.status === 304 ? {} : { "content-length": String(body.length) }),
    "x-amz-request-id": requestId,
    "x-amz-id-2": requestId,
  });
  response.end(head ? undefined : body);
}
