import { createInterface } from "node:readline/promises";
import { UsageError } from "../usageError";

/** Asks questions one by one; each shows its default, taken when the answer is empty. */
export interface Prompter {
  /** `check` returns a problem to show before asking again, or nothing when the answer is fine. */
  ask(question: string, defaultValue: string, check?: (answer: string) => string | undefined): Promise<string>;
  close(): void;
}

/**
 * A prompter on two streams. Lines are read through one iterator, so that answers
 * piped in all at once (a script, a test) are each kept for their question.
 */
export function streamPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const lines = createInterface({ input, terminal: false });
  const next = lines[Symbol.asyncIterator]();
  return {
    async ask(question, defaultValue, check) {
      for (;;) {
        output.write(`${question}${defaultValue ? ` [${defaultValue}]` : ""}: `);
        const line = await next.next();
        if (line.done) {
          output.write("\n");
          throw new UsageError(
            `No answer to "${question}": the input ended. Fix: answer every question, or pass flags without --interactive.`,
          );
        }
        const answer = line.value.trim() || defaultValue;
        const problem = check?.(answer);
        if (!problem) return answer;
        output.write(`  ${problem}\n`);
      }
    },
    close: () => lines.close(),
  };
}
