/**
 * A word a POSIX shell reads back as `value`: left bare when it holds only characters no
 * shell treats specially, else in single quotes (a quote inside written '\'').
 */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
