import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** One recorded exchange of a go-vcr cassette (version 2). */
export interface Interaction {
  readonly id: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly body?: string;
    readonly headers?: Record<string, string[]>;
  };
  readonly response: { readonly code: number; readonly body?: string; readonly headers?: Record<string, string[]> };
}

export function readCassette(file: string): Interaction[] {
  const document = parse(readFileSync(file, "utf8")) as { interactions?: Interaction[] };
  return document.interactions ?? [];
}
