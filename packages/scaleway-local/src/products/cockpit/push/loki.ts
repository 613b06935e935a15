import { protoFields, subMessages } from "./protobuf";

export interface LogCount {
  readonly entries: number;
  /** Bytes of the log lines, which is what Cockpit bills for logs. */
  readonly bytes: number;
}

/** Counts a Loki push in protobuf (logproto.PushRequest: streams → entries → line). */
export function countLokiProtobuf(message: Uint8Array): LogCount {
  let entries = 0;
  let bytes = 0;
  for (const stream of subMessages(message, 1)) {
    for (const entry of subMessages(stream, 2)) {
      entries++;
      for (const field of protoFields(entry)) if (field.number === 2 && field.bytes) bytes += field.bytes.length;
    }
  }
  return { entries, bytes };
}

/** Counts a Loki push in JSON: `{"streams":[{"stream":{…},"values":[["<ns>","<line>"],…]}]}`. */
export function countLokiJson(text: string): LogCount {
  const body = JSON.parse(text) as { streams?: Array<{ values?: unknown[] }> };
  if (!Array.isArray(body.streams)) throw new Error("a Loki push needs a streams list");
  let entries = 0;
  let bytes = 0;
  for (const stream of body.streams) {
    for (const value of stream.values ?? []) {
      if (!Array.isArray(value) || typeof value[1] !== "string") throw new Error("a Loki entry is [timestamp, line]");
      entries++;
      bytes += Buffer.byteLength(value[1]);
    }
  }
  return { entries, bytes };
}
