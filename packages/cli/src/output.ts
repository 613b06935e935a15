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
