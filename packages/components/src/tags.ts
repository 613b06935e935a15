/** Scaleway tags are plain strings; sovstack writes them as `key=value`, sorted. */
export function toTagList(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
}
