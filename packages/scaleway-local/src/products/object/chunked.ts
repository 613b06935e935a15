import type { IncomingHttpHeaders } from "node:http";
import { incompleteBody, invalidRequest } from "./errors";

/** A request payload with the aws-chunked framing removed, and its trailing headers. */
export interface Payload {
  readonly data: Buffer;
  readonly trailers: Readonly<Record<string, string>>;
}

/**
 * Whether the body is aws-chunked: SDKs that stream (signed chunks, or the unsigned
 * payload with a trailing checksum that aws-sdk-go-v2 and the JS SDK send by default)
 * say so in x-amz-content-sha256; Content-Encoding may be lost by proxies, that header is not.
 */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  if (sha.startsWith("STREAMING-")) return true;
  return String(headers["content-encoding"] ?? "")
    .split(",")
    .some((encoding) => encoding.trim() === "aws-chunked");
}

const CRLF = Buffer.from("\r\n");

/**
 * Decodes `size[;chunk-signature=...]\r\n data \r\n ... 0\r\n [trailer: value\r\n]* \r\n`.
 * Chunk signatures are not checked, like every other signature here.
 */
export function decodeAwsChunked(raw: Buffer, headers: IncomingHttpHeaders): Payload {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let position = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, position);
    if (lineEnd < 0) throw incompleteBody();
    const sizeText = raw.subarray(position, lineEnd).toString("latin1").split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw invalidRequest("The chunk size of the aws-chunked body is not valid.");
    const size = parseInt(sizeText, 16);
    position = lineEnd + 2;
    if (size === 0) break;
    if (position + size > raw.length) throw incompleteBody();
    parts.push(raw.subarray(position, position + size));
    position += size;
    if (raw.subarray(position, position + 2).equals(CRLF)) position += 2;
    else throw invalidRequest("A chunk of the aws-chunked body is not followed by CRLF.");
  }
  // Trailing headers, up to an empty line or the end of the body.
  while (position < raw.length) {
    let lineEnd = raw.indexOf(CRLF, position);
    if (lineEnd < 0) lineEnd = raw.length;
    const line = raw.subarray(position, lineEnd).toString("latin1");
    position = lineEnd + 2;
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const data = Buffer.concat(parts);
  const declared = headers["x-amz-decoded-content-length"];
  if (declared !== undefined && Number(declared) !== data.length) throw incompleteBody();
  return { data, trailers };
}
