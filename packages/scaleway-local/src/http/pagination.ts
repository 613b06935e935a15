import { invalidArgument } from "./errors";

/**
 * Scaleway's page-based pagination: `page` from 1, `page_size` (default 20, at most 100
 * for most APIs), and the list key with `total_count` beside it.
 */
export function paginate<T>(
  items: readonly T[],
  query: Readonly<Record<string, string>>,
  listKey: string,
  options: { readonly defaultPageSize?: number; readonly maxPageSize?: number } = {},
): Record<string, unknown> {
  const page = query.page === undefined ? 1 : Number(query.page);
  const pageSize = query.page_size === undefined ? (options.defaultPageSize ?? 20) : Number(query.page_size);
  const max = options.maxPageSize ?? 100;
  if (!Number.isInteger(page) || page < 1) throw invalidArgument("page", "must be greater or equal to 1");
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max) {
    throw invalidArgument("page_size", `must be between 1 and ${max}`);
  }
  const start = (page - 1) * pageSize;
  return { [listKey]: items.slice(start, start + pageSize), total_count: items.length };
}

/** Sorts by `order_by` values such as `created_at_asc` / `name_desc`. */
export function orderBy<T extends Record<string, unknown>>(
  items: T[],
  order: string | undefined,
  fallback: string,
): T[] {
  const match = /^(.*)_(asc|desc)$/.exec(order ?? fallback);
  if (!match) return items;
  const [, field, direction] = match;
  const sign = direction === "desc" ? -1 : 1;
  return [...items].sort((a, b) => sign * String(a[field!] ?? "").localeCompare(String(b[field!] ?? "")));
}
