/** Encoders for the push tests: protobuf messages and Snappy blocks made of literals only. */

type ProtoValue = Uint8Array | string | number | { double: number };

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A protobuf message: numbers as varints, `{ double }` as fixed64, strings and bytes length-delimited. */
export function protoMessage(fields: ReadonlyArray<readonly [number, ProtoValue]>): Buffer {
  return Buffer.concat(
    fields.map(([number, value]) => {
      if (typeof value === "number") return Buffer.concat([varint(number * 8), varint(value)]);
      if (typeof value === "object" && "double" in value) {
        const double = Buffer.alloc(8);
        double.writeDoubleLE(value.double);
        return Buffer.concat([varint(number * 8 + 1), double]);
      }
      const bytes = typeof value === "string" ? Buffer.from(value) : Buffer.from(value);
      return Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes]);
    }),
  );
}

/** A valid Snappy block that stores the data as literals (no compression). */
export function snappyLiterals(data: Uint8Array): Buffer {
  const parts = [varint(data.length)];
  for (let start = 0; start < data.length; start += 60) {
    const chunk = data.subarray(start, start + 60);
    parts.push(Buffer.from([(chunk.length - 1) << 2]), Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

/** A remote-write request with `samples` samples in each of the series named. */
export function remoteWrite(series: readonly string[], samples: number): Buffer {
  return protoMessage(
    series.map((name) => [
      1,
      protoMessage([
        [
          1,
          protoMessage([
            [1, "__name__"],
            [2, name],
          ]),
        ],
        ...Array.from({ length: samples }, (_, i): [number, ProtoValue] => [
          2,
          protoMessage([
            [1, { double: i }],
            [2, Date.now() + i],
          ]),
        ]),
      ]),
    ]),
  );
}
