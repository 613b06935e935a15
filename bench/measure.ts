/** Timing helpers of the benchmarks: wall-clock milliseconds, several runs, median and spread. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

export async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** Runs `work` `runs` times and reports the median, with min and max in the note. */
export async function median(name: string, runs: number, work: () => Promise<unknown> | unknown): Promise<Figure> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await time(work)).ms);
  samples.sort((a, b) => a - b);
  const mid = samples[Math.floor(samples.length / 2)]!;
  return {
    name,
    value: mid,
    unit: "ms",
    note: `median of ${runs}, min ${samples[0]!.toFixed(0)}, max ${samples.at(-1)!.toFixed(0)}`,
  };
}

export function print(section: string, figures: readonly Figure[]): void {
  console.log(`\n${section}`);
  for (const figure of figures) {
    const digits = figure.unit === "ms" && figure.value < 10 ? 2 : 0;
    const value =
      figure.unit === "ms" && figure.value >= 10_000
        ? `${(figure.value / 1000).toFixed(1)} s`
        : `${figure.value.toFixed(digits)} ${figure.unit}`;
    console.log(`  ${figure.name.padEnd(48)} ${value.padStart(12)}${figure.note ? `  (${figure.note})` : ""}`);
  }
}
