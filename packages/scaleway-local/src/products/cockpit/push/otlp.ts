import { subMessages } from "./protobuf";

// Metric fields that hold data points: gauge, sum, histogram, exponential histogram, summary.
const POINT_KINDS_PROTO = [5, 7, 9, 10, 11];
const POINT_KINDS_JSON = ["gauge", "sum", "histogram", "exponentialHistogram", "exponential_histogram", "summary"];

/**
 * Counts the data points of an OTLP metrics export (ExportMetricsServiceRequest:
 * resource_metrics → scope_metrics → metrics → <kind> → data_points), each billed as a sample.
 */
export function countOtlpMetricsProtobuf(message: Uint8Array): number {
  let points = 0;
  for (const resource of subMessages(message, 1)) {
    for (const scope of subMessages(resource, 2)) {
      for (const metric of subMessages(scope, 2)) {
        for (const kind of POINT_KINDS_PROTO) {
          for (const data of subMessages(metric, kind)) points += [...subMessages(data, 1)].length;
        }
      }
    }
  }
  return points;
}

/** The same count for OTLP/JSON, which names fields in lowerCamelCase (snake_case accepted too). */
export function countOtlpMetricsJson(text: string): number {
  type Node = Record<string, unknown>;
  const list = (node: Node | undefined, ...keys: string[]): Node[] => {
    for (const key of keys) if (Array.isArray(node?.[key])) return node[key] as Node[];
    return [];
  };
  let points = 0;
  const body = JSON.parse(text) as Node;
  for (const resource of list(body, "resourceMetrics", "resource_metrics")) {
    for (const scope of list(resource, "scopeMetrics", "scope_metrics")) {
      for (const metric of list(scope, "metrics")) {
        for (const kind of POINT_KINDS_JSON) {
          points += list(metric[kind] as Node | undefined, "dataPoints", "data_points").length;
        }
      }
    }
  }
  return points;
}
