import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Checksum } from "./checksums";
import { invalidUri } from "./errors";

export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;

/** `<bucket>.s3.<region>.scw.cloud` (virtual-hosted) or `s3.<region>.scw.cloud` (path style). */
export const S3_HOST = /^(?:([a-z0-9.-]+)\.)?s3\.(fr-par|nl-ams|pl-waw)\.scw\.cloud$/;

/** A request as the S3 operations see it: addressed, with its payload decoded. */
export interface S3Request {
  readonly requestId: string;
  readonly method: string;
  /** Region of the endpoint; undefined on the plain-HTTP endpoint, which serves every region. */
  readonly region: string | undefined;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The payload, aws-chunked framing removed. */
  body: Buffer;
  trailers: Readonly<Record<string, string>>;
  /** The payload's checksum, checked against what the client sent (header or trailer). */
  checksum: Checksum | undefined;
  /** `https://s3.fr-par.scw.cloud` or `http://127.0.0.1:<port>`, for Location answers. */
  readonly endpoint: string;
  /** Whether the bucket was in the hostname. */
  readonly virtualHosted: boolean;
}

export interface Address {
  readonly region: string | undefined;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly virtualHosted: boolean;
  readonly endpoint: string;
}

/** Finds bucket and key from the Host header and the path, in both addressing styles. */
export function addressOf(hostHeader: string, rawPath: string, plainEndpoint: string | undefined): Address {
  const hostname = hostHeader.replace(/:\d+$/, "").toLowerCase();
  const match = plainEndpoint ? null : S3_HOST.exec(hostname);
  const region = match?.[2];
  const endpoint = plainEndpoint ?? `https://s3.${region ?? "fr-par"}.scw.cloud`;
  const path = rawPath.split("?")[0] ?? "/";
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalidUri();
    }
  };
  if (match?.[1]) {
    const key = decode(path.slice(1));
    return { region, bucket: match[1], key: key || undefined, virtualHosted: true, endpoint };
  }
  const rest = path.slice(1);
  const slash = rest.indexOf("/");
  const bucket = decode(slash < 0 ? rest : rest.slice(0, slash));
  const key = slash < 0 ? "" : decode(rest.slice(slash + 1));
  return { region, bucket: bucket || undefined, key: key || undefined, virtualHosted: false, endpoint };
}

/** A request ID shaped like Scaleway's: `txg` + 21 hex digits, `-`, the time in hex. */
export function newRequestId(): string {
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(10, "0");
  return `txg${randomBytes(11).toString("hex").slice(0, 21)}-${time}`;
}

export function header(request: Pick<S3Request, "headers">, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The resource an error is about: `/bucket` or `/bucket/key`. */
export function resourceOf(request: Pick<S3Request, "bucket" | "key">): string {
  if (!request.bucket) return "/";
  return request.key === undefined ? `/${request.bucket}` : `/${request.bucket}/${request.key}`;
}
