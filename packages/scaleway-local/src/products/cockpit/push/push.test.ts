import { describe, expect, it } from "vitest";
import { countLokiJson, countLokiProtobuf } from "./loki";
import { countOtlpMetricsJson, countOtlpMetricsProtobuf } from "./otlp";
import { countRemoteWrite } from "./remote-write";
import { snappyDecompress } from "./snappy";
import { protoMessage, remoteWrite, snappyLiterals } from "./testing";

describe("snappy", () => {
  it("decodes literals, including long ones", () => {
    const data = Buffer.from("x".repeat(1000) + "hello cockpit");
    expect(snappyDecompress(snappyLiterals(data)).equals(data)).toBe(true);
  });

  it("decodes overlapping copies (runs)", () => {
    // "ab" as a literal, then a copy of 10 bytes at offset 2 (1-byte-offset form).
    const copyTag = 1 | ((10 - 4) << 2);
    const block = Buffer.from([12, (2 - 1) << 2, 0x61, 0x62, copyTag, 2]);
    expect(snappyDecompress(block).toString()).toBe("abababababab");
  });

  it("refuses a truncated block", () => {
    expect(() => snappyDecompress(snappyLiterals(Buffer.from("hello")).subarray(0, 4))).toThrow(/snappy/);
  });
});

describe("push counters", () => {
  it("counts remote-write series and samples", () => {
    expect(countRemoteWrite(remoteWrite(["up", "http_requests_total"], 3))).toEqual({ series: 2, samples: 6 });
  });

  it("counts Loki entries and line bytes, in protobuf and JSON", () => {
    const push = protoMessage([
      [
        1,
        protoMessage([
          [1, '{job="api"}'],
          [
            2,
            protoMessage([
              [1, protoMessage([[1, 1]])],
              [2, "hello"],
            ]),
          ],
          [
            2,
            protoMessage([
              [1, protoMessage([[1, 2]])],
              [2, "world!"],
            ]),
          ],
        ]),
      ],
    ]);
    expect(countLokiProtobuf(push)).toEqual({ entries: 2, bytes: 11 });
    const json = JSON.stringify({
      streams: [
        {
          stream: { job: "api" },
          values: [
            ["1", "héllo"],
            ["2", "x"],
          ],
        },
      ],
    });
    expect(countLokiJson(json)).toEqual({ entries: 2, bytes: 7 });
    expect(() => countLokiJson("{}")).toThrow(/streams/);
  });

  it("counts OTLP metric data points, in protobuf and JSON", () => {
    const gauge = protoMessage([
      [1, protoMessage([])],
      [1, protoMessage([])],
    ]);
    const metric = protoMessage([
      [1, "cpu"],
      [5, gauge],
    ]);
    const request = protoMessage([
      [
        1,
        protoMessage([
          [
            2,
            protoMessage([
              [2, metric],
              [2, metric],
            ]),
          ],
        ]),
      ],
    ]);
    expect(countOtlpMetricsProtobuf(request)).toBe(4);
    const json = {
      resourceMetrics: [
        { scopeMetrics: [{ metrics: [{ sum: { dataPoints: [{}, {}, {}] } }, { gauge: { dataPoints: [{}] } }] }] },
      ],
    };
    expect(countOtlpMetricsJson(JSON.stringify(json))).toBe(4);
  });
});
