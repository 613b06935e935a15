/** One field of a protobuf message; `bytes` is set for length-delimited fields only. */
export interface ProtoField {
  readonly number: number;
  readonly wireType: number;
  readonly bytes?: Uint8Array;
}

/**
 * Walks the fields of a protobuf message without its schema: enough to count the
 * series, samples and entries of a push without generated code.
 */
export function* protoFields(message: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  while (pos < message.length) {
    const [key, afterKey] = varint(message, pos);
    pos = afterKey;
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      pos = varint(message, pos)[1];
      yield { number, wireType };
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4;
      yield { number, wireType };
    } else if (wireType === 2) {
      const [size, start] = varint(message, pos);
      pos = start + size;
      if (pos > message.length) throw new Error("protobuf: truncated field");
      yield { number, wireType, bytes: message.subarray(start, pos) };
    } else {
      throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
    if (pos > message.length) throw new Error("protobuf: truncated message");
  }
}

/** The length-delimited sub-messages of a field. */
export function* subMessages(message: Uint8Array, fieldNumber: number): Generator<Uint8Array> {
  for (const field of protoFields(message)) if (field.number === fieldNumber && field.bytes) yield field.bytes;
}

function varint(buffer: Uint8Array, start: number): [number, number] {
  let value = 0;
  let pos = start;
  for (let shift = 0; shift < 70; shift += 7) {
    const byte = buffer[pos++];
    if (byte === undefined) throw new Error("protobuf: truncated varint");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
  }
  throw new Error("protobuf: varint too long");
}
