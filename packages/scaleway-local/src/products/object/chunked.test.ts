import { describe, expect, it } from "vitest";
import { computeChecksum, verifyPayload } from "./checksums";
import { decodeAwsChunked, isAwsChunked } from "./chunked";
import { parseXml, textOf, textsOf, children } from "./xml";

const decode = (body: string, headers: Record<string, string> = {}) =>
  decodeAwsChunked(Buffer.from(body, "latin1"), headers);

describe("aws-chunked payloads", () => {
  it("are recognised by x-amz-content-sha256 even when Content-Encoding was lost", () => {
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(isAwsChunked({ "content-encoding": "gzip, aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD" })).toBe(false);
  });

  it("decode signed chunks, unsigned chunks with trailers, and a last chunk without final CRLF", () => {
    expect(decode("3;chunk-signature=ab\r\nabc\r\n0;chunk-signature=cd\r\n\r\n").data.toString()).toBe("abc");
    const trailed = decode("2\r\nhi\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    expect(trailed.data.toString()).toBe("hi!");
    expect(trailed.trailers).toEqual({ "x-amz-checksum-crc32": "AAAAAA==" });
    expect(decode("1\r\nz\r\n0\r\n").data.toString()).toBe("z");
  });

  it("keep binary bytes as they are", () => {
    const bytes = Buffer.from([0, 255, 13, 10, 48, 13, 10]);
    const body = Buffer.concat([Buffer.from("7\r\n"), bytes, Buffer.from("\r\n0\r\n\r\n")]);
    expect(decodeAwsChunked(body, {}).data.equals(bytes)).toBe(true);
  });

  it("refuse a body shorter than announced, or a broken frame", () => {
    expect(() => decode("5\r\nabc")).toThrow(/number of bytes/);
    expect(() => decode("3\r\nabc\r\n0\r\n\r\n", { "x-amz-decoded-content-length": "4" })).toThrow(/number of bytes/);
    expect(() => decode("zz\r\nabc\r\n")).toThrow(/chunk size/);
    expect(() => decode("3\r\nabcd\r\n0\r\n\r\n")).toThrow(/CRLF/);
  });
});

describe("checksums", () => {
  it("compute what the SDKs send", () => {
    const hello = Buffer.from("hello");
    expect(computeChecksum("CRC32", hello)).toBe("NhCmhg==");
    expect(computeChecksum("CRC32C", hello)).toBe("mnG7TA==");
    expect(computeChecksum("SHA256", hello)).toBe("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    expect(computeChecksum("CRC64NVME", Buffer.from("123456789"))).toBe("rosUhgp5mIg=");
  });

  it("check Content-MD5 and x-amz-checksum-* against the payload", () => {
    const data = Buffer.from("payload");
    expect(verifyPayload(data, { "x-amz-checksum-crc32": computeChecksum("CRC32", data) }, {})).toMatchObject({
      algorithm: "CRC32",
      type: "FULL_OBJECT",
    });
    expect(() => verifyPayload(data, { "x-amz-checksum-sha1": "AAAA" }, {})).toThrow(/SHA1/);
    expect(() => verifyPayload(data, { "content-md5": "bm9wZQ==" }, {})).toThrow(/not valid/);
    expect(verifyPayload(data, {}, {})).toBeUndefined();
  });
});

describe("XML documents", () => {
  it("decode the character references Go writes, and keep lists as lists", () => {
    const parts = children(
      parseXml(
        "<CompleteMultipartUpload><Part><ETag>&#34;abc&#34;</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "CompleteMultipartUpload",
      ),
      "Part",
    );
    expect(textOf(parts[0], "ETag")).toBe('"abc"');
    const rule = children(
      parseXml(
        "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
        "CORSConfiguration",
      ),
      "CORSRule",
    )[0];
    expect(textsOf(rule, "AllowedMethod")).toEqual(["GET"]);
  });

  it("refuse what is not well-formed, or has another root", () => {
    expect(() => parseXml("<Tagging><TagSet></Tagging>", "Tagging")).toThrow(/not well-formed/);
    expect(() => parseXml("<Other/>", "Tagging")).toThrow(/not well-formed/);
  });
});
