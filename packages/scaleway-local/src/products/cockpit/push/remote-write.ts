import { protoFields, subMessages } from "./protobuf";

/**
 * Counts a Prometheus remote-write 1.0 request (prometheus.WriteRequest, already
 * decompressed): series in field 1, and per series samples (field 2) and native
 * histograms (field 4), each billed as one sample.
 */
export function countRemoteWrite(message: Uint8Array): { series: number; samples: number } {
  let series = 0;
  let samples = 0;
  for (const timeSeries of subMessages(message, 1)) {
    series++;
    for (const field of protoFields(timeSeries)) if (field.number === 2 || field.number === 4) samples++;
  }
  return { series, samples };
}
