/** Colour only on a terminal and never when NO_COLOR is set; everything else is plain text. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

const codes = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

export function paint(text: string, style: keyof typeof codes, stream: NodeJS.WriteStream = process.stdout): string {
  return useColor(stream) ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}

/** Progress goes to stderr, so that stdout stays clean for --json. */
export function progress(message: string): void {
  process.stderr.write(`${paint("›", "dim", process.stderr)} ${message}\n`);
}

/** The verdict of a failed command, last on stderr: `error: <what failed, and the fix>`. */
export function printError(message: string): void {
  process.stderr.write(`${paint("error:", "red", process.stderr)} ${message}\n`);
}

/** Rows as aligned columns, the first row being the header. */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "),
    )
    .join("\n");
}
