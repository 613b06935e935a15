import { invalidArgument } from "../../http/errors";

export type DataSourceType = "metrics" | "logs" | "traces";
export type DataSourceOrigin = "scaleway" | "external" | "custom";
export const DATA_SOURCE_TYPES: readonly DataSourceType[] = ["metrics", "logs", "traces"];
export const DATA_SOURCE_ORIGINS: readonly DataSourceOrigin[] = ["scaleway", "external", "custom"];

export interface Retention {
  readonly min_days: number;
  readonly max_days: number;
  readonly default_days: number;
}

// Limits as Scaleway documents them since June 2025 (Cockpit concepts, "retention period").
const CUSTOM: Record<DataSourceType, Retention> = {
  metrics: { min_days: 1, max_days: 1825, default_days: 31 },
  logs: { min_days: 1, max_days: 1825, default_days: 7 },
  traces: { min_days: 1, max_days: 1825, default_days: 7 },
};
const PRODUCT: Record<"metrics" | "logs", Retention> = {
  metrics: { min_days: 31, max_days: 1825, default_days: 31 },
  logs: { min_days: 1, max_days: 1825, default_days: 7 },
};

export function retentionOf(origin: DataSourceOrigin, type: DataSourceType): Retention {
  return origin === "scaleway" && type !== "traces" ? PRODUCT[type] : CUSTOM[type];
}

/** The retention to keep: the given one within limits, or the default of the type. */
export function checkRetention(origin: DataSourceOrigin, type: DataSourceType, days: number | undefined): number {
  const limits = retentionOf(origin, type);
  if (days === undefined || days === 0) return limits.default_days;
  if (days < limits.min_days || days > limits.max_days) {
    throw invalidArgument(
      "retention_days",
      `retention_days must be between ${limits.min_days} and ${limits.max_days} for ${type}`,
    );
  }
  return days;
}

/** Body of GET /regions/{region}/config. */
export function configView(): Record<string, Retention> {
  return {
    custom_metrics_retention: CUSTOM.metrics,
    custom_logs_retention: CUSTOM.logs,
    custom_traces_retention: CUSTOM.traces,
    product_metrics_retention: PRODUCT.metrics,
    product_logs_retention: PRODUCT.logs,
  };
}
