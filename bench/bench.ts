/** The shape of a benchmark module (bench/<name>.bench.ts) and small timing helpers. */
export interface Bench {
  title: string;
  /** Prints its table through `print`; returns false when a target was missed. */
  run(print: (line: string) => void): Promise<boolean | void>;
}

/** Median wall time in ms of `fn` over `repeats` runs (after one warm-up run). */
export async function medianMs(fn: () => Promise<unknown> | unknown, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}
