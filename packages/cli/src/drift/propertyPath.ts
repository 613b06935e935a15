/**
 * Pulumi's property paths, as the engine writes them in a step's detailed diff:
 * `minScale`, `environmentVariables.LOG_LEVEL`, `tags[2]`, `labels["app.kubernetes.io/name"]`.
 */
export type PathSegment = string | number;

export function parsePropertyPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const char = path[i];
    if (char === ".") {
      i++;
      continue;
    }
    if (char === "[") {
      const close = findClosingBracket(path, i);
      const inner = path.slice(i + 1, close);
      if (inner.startsWith('"')) segments.push(JSON.parse(inner) as string);
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else segments.push(inner); // `[*]` and the like: kept as written
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
    segments.push(path.slice(i, end));
    i = end;
  }
  return segments;
}

function findClosingBracket(path: string, open: number): number {
  let i = open + 1;
  if (path[i] === '"') {
    // A quoted key may hold `]` or `.`; skip to the closing quote, honouring escapes.
    i++;
    while (i < path.length && path[i] !== '"') i += path[i] === "\\" ? 2 : 1;
    i++;
  }
  const close = path.indexOf("]", i);
  if (close < 0) throw new Error(`Unterminated [ in the property path ${JSON.stringify(path)}`);
  return close;
}

/** Writes segments back as a path, quoting keys that are not plain identifiers. */
export function formatPropertyPath(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join("");
}
