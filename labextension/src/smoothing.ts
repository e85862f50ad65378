/** Data transforms for the plot renderer: TensorBoard-style EMA smoothing and point capping. */

/** Series shorter than this are not smoothed by default: an EMA over a few points lags far behind the data. */
export const SMOOTH_MIN_POINTS = 50;

/**
 * The smoothing weight a plot starts with: `setting` (0..0.99) when its longest series has at least
 * SMOOTH_MIN_POINTS points, else 0 (off).
 */
export function defaultSmoothing(p: { series: { points: unknown[] }[] } | null, setting: number): number {
  const n = p ? Math.max(0, ...p.series.map(s => s.points.length)) : 0;
  return n >= SMOOTH_MIN_POINTS ? setting : 0;
}

/**
 * Exponential moving average with debiasing, as TensorBoard's scalar dashboard does it:
 * `last = last * w + (1 - w) * v`, divided by `1 - w^n` so early points are not pulled towards 0.
 * Null or non-finite values pass through as they are (gaps) and do not update the average.
 * A constant series stays exactly constant. `weight` is clamped to [0, 0.999].
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  if (w === 0) {
    return values.slice();
  }
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length > 0 && finite.every(v => v === finite[0])) {
    return values.slice();
  }
  let last = 0;
  let n = 0;
  return values.map(v => {
    if (v === null || !Number.isFinite(v)) {
      return v;
    }
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}

/**
 * At most `maxPoints` points, evenly strided over the series, always keeping the first and the
 * last point (the newest step must stay visible during training).
 */
export function capPoints<T>(points: readonly T[], maxPoints: number): T[] {
  const n = points.length;
  const cap = Math.max(2, Math.floor(maxPoints));
  if (n <= cap) {
    return points.slice();
  }
  const out: T[] = [];
  const step = (n - 1) / (cap - 1);
  for (let i = 0; i < cap; i++) {
    out.push(points[Math.round(i * step)]);
  }
  return out;
}
