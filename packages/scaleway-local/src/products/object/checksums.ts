import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { crc32 } from "node:zlib";
import { badDigest, invalidDigest, invalidRequest } from "./errors";

/** The flexible checksums S3 clients send (x-amz-checksum-<name>). */
export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as the headers carry it; composite checksums end with `-<parts>`. */
  readonly value: string;
  readonly type: "FULL_OBJECT" | "COMPOSITE";
}

export const checksumHeader = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;
/** The element name in XML answers: ChecksumCRC32, ChecksumSHA256... */
export const checksumElement = (algorithm: ChecksumAlgorithm) => `Checksum${algorithm}`;

export function parseAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (!value) return undefined;
  const upper = value.toUpperCase() as ChecksumAlgorithm;
  if (!CHECKSUM_ALGORITHMS.includes(upper)) throw invalidRequest(`Checksum algorithm ${value} is not supported.`);
  return upper;
}

export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case "CRC32":
      return uint32(crc32(data));
    case "CRC32C":
      return uint32(crc32c(data));
    case "CRC64NVME":
      return crc64nvme(data);
    case "SHA1":
      return createHash("sha1").update(data).digest("base64");
    case "SHA256":
      return createHash("sha256").update(data).digest("base64");
  }
}

export const md5Hex = (data: Buffer) => createHash("md5").update(data).digest("hex");

function uint32(value: number): string {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer.toString("base64");
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC64_POLY = 0x9a6c9329ac4bc9b5n;
const CRC64_MASK = 0xffffffffffffffffn;
const CRC64_TABLE = (() => {
  const table: bigint[] = [];
  for (let n = 0n; n < 256n; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1n ? CRC64_POLY ^ (c >> 1n) : c >> 1n;
    table.push(c);
  }
  return table;
})();

function crc64nvme(data: Buffer): string {
  let crc = CRC64_MASK;
  for (const byte of data) crc = CRC64_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE((crc ^ CRC64_MASK) & CRC64_MASK);
  return buffer.toString("base64");
}

/**
 * Checks what the client said about the payload it sent: Content-MD5, and an
 * x-amz-checksum-* header or trailer. Returns the checksum to keep with the object.
 * x-amz-content-sha256 is part of the signature, which is not verified either.
 */
export function verifyPayload(
  data: Buffer,
  headers: IncomingHttpHeaders,
  trailers: Readonly<Record<string, string>>,
): Checksum | undefined {
  const contentMd5 = headers["content-md5"];
  if (typeof contentMd5 === "string") {
    const expected = Buffer.from(contentMd5, "base64");
    if (expected.length !== 16) throw invalidDigest();
    if (!expected.equals(createHash("md5").update(data).digest())) throw badDigest();
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const sent = trailers[name] ?? (typeof headers[name] === "string" ? (headers[name] as string) : undefined);
    if (sent === undefined) continue;
    const value = computeChecksum(algorithm, data);
    if (value !== sent) throw badDigest(algorithm);
    return { algorithm, value, type: "FULL_OBJECT" };
  }
  const declared = trailerAlgorithm(headers) ?? parseAlgorithm(headerText(headers, "x-amz-sdk-checksum-algorithm"));
  // An algorithm announced without a value (trailer lost): keep a checksum computed here.
  return declared ? { algorithm: declared, value: computeChecksum(declared, data), type: "FULL_OBJECT" } : undefined;
}

function trailerAlgorithm(headers: IncomingHttpHeaders): ChecksumAlgorithm | undefined {
  const trailer = headerText(headers, "x-amz-trailer");
  const match = /^x-amz-checksum-([a-z0-9]+)$/i.exec(trailer?.trim() ?? "");
  return match ? parseAlgorithm(match[1]) : undefined;
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
