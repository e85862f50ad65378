/** Number and shape formatting for labels (plain strings; callers put them in textContent). */

export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) {
    return '—';
  }
  if (Number.isNaN(x)) {
    return 'NaN';
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'Inf' : '-Inf';
  }
  if (Number.isInteger(x) && Math.abs(x) < 1e6) {
    return String(x);
  }
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) {
    return x.toExponential(3).replace(/\.?0+e/, 'e');
  }
  return String(Number(x.toPrecision(4)));
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
