/**
 * What a data source ingested, per UTC day: samples for metrics, bytes for logs and
 * traces (the units Cockpit bills). Days keep the record small and let a month or an
 * interval be summed.
 */
export type UsageByDay = Record<string, number>;

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addUsage(days: UsageByDay | undefined, quantity: number, at: Date = new Date()): UsageByDay {
  const key = dayOf(at);
  return { ...days, [key]: (days?.[key] ?? 0) + quantity };
}

export function currentMonthUsage(days: UsageByDay | undefined, now: Date = new Date()): number {
  const month = dayOf(now).slice(0, 7);
  return Object.entries(days ?? {})
    .filter(([day]) => day.startsWith(month))
    .reduce((sum, [, quantity]) => sum + quantity, 0);
}

/** Usage over the days that overlap the last `seconds` before now. */
export function usageOverInterval(days: UsageByDay | undefined, seconds: number, now: Date = new Date()): number {
  const first = dayOf(new Date(now.getTime() - seconds * 1000));
  return Object.entries(days ?? {})
    .filter(([day]) => day >= first)
    .reduce((sum, [, quantity]) => sum + quantity, 0);
}
