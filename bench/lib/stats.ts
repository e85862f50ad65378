/** Timing helpers for the benchmarks (never used in tests). */

/** Median of a non-empty list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Timing { median: number; min: number; max: number; runs: number }

/** Run `fn` `warmup` times untimed, then `runs` times timed; each run's duration in milliseconds. */
export async function sampleTimes(fn: () => unknown | Promise<unknown>, runs = 10, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Run `fn` `warmup` times untimed, then `runs` times timed; median, min and max in milliseconds. */
export async function measure(fn: () => unknown | Promise<unknown>, runs = 10, warmup = 2): Promise<Timing> {
  const times = await sampleTimes(fn, runs, warmup);
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), runs };
}

/** Format milliseconds with 3 significant digits. */
export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
