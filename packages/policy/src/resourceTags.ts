import { asRecord, asString, isUnknown, type Plain } from "./inputs";

/**
 * Tags as a key-value map. Most Scaleway resources take tags as a list of strings, which
 * sovstack writes `key=value`; buckets and objects take a map. A list entry without `=`
 * is a key with an empty value. Unknown: the tags are not known yet (preview).
 */
export function tagsOf(tags: Plain | undefined): ReadonlyMap<string, string> | undefined {
  if (tags === undefined || tags === null || isUnknown(tags)) return undefined;
  const found = new Map<string, string>();
  if (Array.isArray(tags)) {
    for (const tag of tags as readonly Plain[]) {
      const text = asString(tag);
      if (text === undefined) continue;
      const at = text.indexOf("=");
      if (at < 0) found.set(text.trim(), "");
      else found.set(text.slice(0, at).trim(), text.slice(at + 1).trim());
    }
    return found;
  }
  const record = asRecord(tags);
  if (!record) return undefined;
  for (const [key, value] of Object.entries(record)) {
    const text = asString(value);
    if (text !== undefined) found.set(key, text.trim());
  }
  return found;
}
