/**
 * Decoder of Snappy's block format (no framing), which Prometheus remote-write and Loki's
 * protobuf pushes compress their bodies with. Written here to spare a native dependency.
 */
export function snappyDecompress(input: Uint8Array): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = input[pos++];
    if (byte === undefined || shift > 28) throw new Error("snappy: bad length preamble");
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let written = 0;
  const need = (count: number) => {
    if (pos + count > input.length) throw new Error("snappy: truncated input");
  };
  while (pos < input.length) {
    const tag = input[pos++]!;
    if ((tag & 3) === 0) {
      let size = tag >> 2;
      if (size >= 60) {
        const bytes = size - 59;
        need(bytes);
        size = 0;
        for (let i = 0; i < bytes; i++) size += input[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      size += 1;
      need(size);
      if (written + size > length) throw new Error("snappy: literal overflows the output");
      out.set(input.subarray(pos, pos + size), written);
      written += size;
      pos += size;
      continue;
    }
    let size: number;
    let offset: number;
    if ((tag & 3) === 1) {
      need(1);
      size = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | input[pos++]!;
    } else if ((tag & 3) === 2) {
      need(2);
      size = (tag >> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      need(4);
      size = (tag >> 2) + 1;
      offset = Buffer.from(input.subarray(pos, pos + 4)).readUInt32LE(0);
      pos += 4;
    }
    if (offset === 0 || offset > written || written + size > length) throw new Error("snappy: bad copy");
    // Copies may overlap what they write (runs), so byte by byte.
    for (let i = 0; i < size; i++, written++) out[written] = out[written - offset]!;
  }
  if (written !== length) throw new Error("snappy: output shorter than announced");
  return out;
}
