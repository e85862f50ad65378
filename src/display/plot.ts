/**
 * `application/vnd.gankit.plot.v1+json` bundles: named (step, value) series such as Loss_D, Loss_G,
 * D(x) and D(G(z)), downsampled to a point cap (LTTB or min/max buckets), with a PNG line chart fallback
 * rendered from SVG by sharp.
 */
import sharp from 'sharp';
import { invalidParameterError } from '../util/errors.js';
import { checkKeys, clipLabel, escapeXml, fmt, JUPYTER_DISPLAY, truncate, type Prepared } from './common.js';
import { PLOT_MIME, type MimeBundle, type PlotPayload } from './types.js';

export type Point = [number, number];

/**
 * Series input, any of:
 * - `{ lossD: [[step, value], ...], ... }` named point lists;
 * - `{ lossD: [v0, v1, ...] }` named value lists (step = index);
 * - `[{ step, lossD, lossG, dx, dgz }, ...]` records (x from `step`, `iter`, `iteration` or `epoch`, else the index);
 * - a tf.History (`{ epoch, history: { loss: [...] } }`), or `{ series: [{ name, points, axis? }] }`.
 */
export type SeriesInput =
  | Readonly<Record<string, readonly (readonly [number, number])[] | readonly number[]>>
  | readonly Readonly<Record<string, unknown>>[]
  | { history: Readonly<Record<string, readonly number[]>>; epoch?: readonly number[] }
  | { series: readonly { name: string; points: readonly (readonly [number, number])[]; axis?: 'y' | 'y2' }[] };

export interface PlotBundleOptions {
  /** Points kept per series, 3..10000 (default 1000). */
  maxPoints?: number;
  /** Downsampling: 'lttb' (largest triangle three buckets, default) or 'minmax' (min and max per bucket). */
  downsample?: 'lttb' | 'minmax';
  /** Y axis scale (default 'linear'); 'log' drops values <= 0 from the chart. */
  scale?: 'linear' | 'log';
  /** True once the run finished: no more updates follow (default true). */
  final?: boolean;
  title?: string;
  /** X axis label (default 'step'). */
  xLabel?: string;
  yLabel?: string;
  /** Names of series drawn against a secondary (right) y axis; default: series named dx, dgz, D(x), D(G(z)). */
  y2?: readonly string[];
  /** Chart PNG size in px (default 640x360, each 160..1600). */
  width?: number;
  height?: number;
}

const KEYS = ['maxPoints', 'downsample', 'scale', 'final', 'title', 'xLabel', 'yLabel', 'y2', 'width', 'height'] as const;
const STEP_KEYS = ['step', 'iter', 'iteration', 'epoch'];
/** At most this many series go into one payload. */
const MAX_SERIES = 32;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const Y2_DEFAULT = /^(dx|dgz\d*|d_?x|d_?g_?z\d*|d\(.*\))$/i;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1]);

function isHistoryObject(v: unknown): v is { history: Record<string, number[]>; epoch?: number[] } {
  if (typeof v !== 'object' || v === null) return false;
  const h = (v as { history?: unknown }).history;
  return isPlain(h) && Object.keys(h).length > 0 && Object.values(h).every((a) => Array.isArray(a) && a.every(isNum));
}

function isRecords(v: unknown): v is Record<string, unknown>[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  return v.every((r) => isPlain(r) && STEP_KEYS.some((k) => isNum(r[k])) &&
    Object.entries(r).some(([k, x]) => !STEP_KEYS.includes(k) && isNum(x)) &&
    Object.values(r).every((x) => isNum(x) || x === undefined || x === null));
}

function isPairSeries(v: unknown): v is Record<string, [number, number][]> {
  if (!isPlain(v)) return false;
  const vals = Object.values(v);
  return vals.length > 0 && vals.every((a) => Array.isArray(a) && a.every(isPair)) && vals.some((a) => (a as unknown[]).length > 0);
}

/**
 * True for values that render as a plot when they are a cell's last expression: named point lists,
 * step records (each with a numeric `step`/`iter`/`iteration`/`epoch`) and tf.History objects.
 * Plain `{ name: number[] }` objects are not detected (too ambiguous) but plotBundle accepts them.
 */
export function isSeriesLike(v: unknown): boolean {
  return isPairSeries(v) || isRecords(v) || (isHistoryObject(v) && Array.isArray((v as { epoch?: unknown }).epoch));
}

/** Normalise any accepted input to named series (finite points only, in input order). */
export function toSeries(input: SeriesInput): { name: string; points: Point[]; axis?: 'y' | 'y2' }[] {
  const finite = (p: Point): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const v = input as unknown;
  if (typeof v === 'object' && v !== null && Array.isArray((v as { series?: unknown }).series)) {
    return ((v as { series: { name: string; points: [number, number][]; axis?: 'y' | 'y2' }[] }).series).map((s, i) => {
      if (typeof s?.name !== 'string' || !Array.isArray(s.points) || !s.points.every(isPair)) {
        throw invalidParameterError(`series[${i}]`, '{ name: string, points: [step, value][] }', s);
      }
      return { name: s.name, points: s.points.map((p) => [p[0], p[1]] as Point).filter(finite), ...(s.axis ? { axis: s.axis } : {}) };
    });
  }
  if (isHistoryObject(v)) {
    const epoch = Array.isArray(v.epoch) ? v.epoch : undefined;
    return Object.entries(v.history).map(([name, vals]) => ({
      name, points: vals.map((y, i) => [epoch?.[i] ?? i, y] as Point).filter(finite),
    }));
  }
  if (Array.isArray(v)) {
    if (!v.every(isPlain)) throw invalidParameterError('history', 'an array of records like { step, lossD, lossG }', v);
    const names: string[] = [];
    for (const r of v) for (const [k, x] of Object.entries(r)) if (!STEP_KEYS.includes(k) && isNum(x) && !names.includes(k)) names.push(k);
    const stepKey = STEP_KEYS.find((k) => v.every((r) => isNum((r as Record<string, unknown>)[k])));
    return names.map((name) => ({
      name,
      points: v.map((r, i) => [stepKey ? (r as Record<string, number>)[stepKey]! : i, (r as Record<string, unknown>)[name]] as [number, unknown])
        .filter((p): p is Point => isNum(p[1]) && finite(p as Point)),
    }));
  }
  if (isPlain(v)) {
    return Object.entries(v).map(([name, a]) => {
      if (!Array.isArray(a)) throw invalidParameterError(`history.${name}`, 'an array of [step, value] pairs or of numbers', a);
      if (a.every(isNum)) return { name, points: a.map((y, i) => [i, y] as Point).filter(finite) };
      if (a.every(isPair)) return { name, points: a.map((p) => [p[0], p[1]] as Point).filter(finite) };
      throw invalidParameterError(`history.${name}`, 'an array of [step, value] pairs or of numbers', a);
    });
  }
  throw invalidParameterError('history', 'named series, step records, or a tf.History', v);
}

/** Largest-triangle-three-buckets downsampling to `threshold` points (first and last kept). */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return points.slice();
  const out: Point[] = [points[0]!];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const avgStart = Math.floor((i + 1) * every) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let ax = 0;
    let ay = 0;
    for (let j = avgStart; j < avgEnd; j++) { ax += points[j]![0]; ay += points[j]![1]; }
    const cnt = Math.max(1, avgEnd - avgStart);
    ax /= cnt; ay /= cnt;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const [px, py] = points[a]!;
    let best = -1;
    let bestIdx = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((px - ax) * (points[j]![1] - py) - (px - points[j]![0]) * (ay - py));
      if (area > best) { best = area; bestIdx = j; }
    }
    out.push(points[bestIdx]!);
    a = bestIdx;
  }
  out.push(points[n - 1]!);
  return out;
}

/** Min/max bucket downsampling: for each of ~threshold/2 buckets keep its min and max points, in order. */
export function minMaxBuckets(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  if (threshold >= n) return points.slice();
  if (threshold < 4) return lttb(points, threshold);
  const buckets = Math.floor(threshold / 2);
  const size = n / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const s = Math.floor(b * size);
    const e = Math.min(n, Math.floor((b + 1) * size));
    let lo = s;
    let hi = s;
    for (let j = s; j < e; j++) {
      if (points[j]![1] < points[lo]![1]) lo = j;
      if (points[j]![1] > points[hi]![1]) hi = j;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  return out;
}

/** Round-number ticks covering [lo, hi], about `count` of them. */
function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

interface Axis { lo: number; hi: number; log: boolean }

function axisOf(values: number[], log: boolean): Axis | null {
  const vs = log ? values.filter((v) => v > 0).map(Math.log10) : values;
  if (vs.length === 0) return null;
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const padY = (hi - lo) * 0.05;
  return { lo: lo - padY, hi: hi + padY, log };
}

/** SVG line chart of the series (text escaped). */
function chartSvg(p: PlotPayload, width: number, height: number): string {
  const hasY2 = p.series.some((s) => s.axis === 'y2' && s.points.length > 0);
  const m = { l: 62, r: hasY2 ? 62 : 18, t: p.title ? 34 : 16, b: 44 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const log = p.scale === 'log';
  const xs = p.series.flatMap((s) => s.points.map((q) => q[0]));
  const y1 = axisOf(p.series.filter((s) => s.axis !== 'y2').flatMap((s) => s.points.map((q) => q[1])), log);
  const y2 = axisOf(p.series.filter((s) => s.axis === 'y2').flatMap((s) => s.points.map((q) => q[1])), log);
  const xlo = xs.length ? Math.min(...xs) : 0;
  let xhi = xs.length ? Math.max(...xs) : 1;
  if (xhi === xlo) xhi = xlo + 1;
  const X = (x: number): number => m.l + ((x - xlo) / (xhi - xlo)) * pw;
  const Y = (a: Axis, y: number): number => m.t + ph - (((a.log ? Math.log10(y) : y) - a.lo) / (a.hi - a.lo)) * ph;
  const font = `font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const tickLabel = (a: Axis, t: number): string => (a.log ? fmt(10 ** t) : fmt(t));
  const yTicks = (a: Axis, right: boolean): void => {
    for (const t of niceTicks(a.lo, a.hi)) {
      const y = m.t + ph - ((t - a.lo) / (a.hi - a.lo)) * ph;
      if (!right) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`);
      const x = right ? m.l + pw + 6 : m.l - 6;
      parts.push(`<text x="${x}" y="${(y + 4).toFixed(1)}" ${font} font-size="11" fill="#444" text-anchor="${right ? 'start' : 'end'}">${escapeXml(tickLabel(a, t))}</text>`);
    }
  };
  if (y1) yTicks(y1, false);
  if (y2) yTicks(y2, true);
  for (const t of niceTicks(xlo, xhi, 6)) {
    const x = X(t);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${m.t + ph + 16}" ${font} font-size="11" fill="#444" text-anchor="middle">${escapeXml(fmt(t))}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  p.series.forEach((s, i) => {
    const a = s.axis === 'y2' ? y2 : y1;
    if (!a) return;
    const pts = s.points.filter((q) => !log || q[1] > 0).map((q) => `${X(q[0]).toFixed(1)},${Y(a, q[1]).toFixed(1)}`);
    if (pts.length === 0) return;
    const color = PALETTE[i % PALETTE.length];
    const dash = s.axis === 'y2' ? ' stroke-dasharray="5,3"' : '';
    if (pts.length === 1) parts.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="2.5" fill="${color}"/>`);
    else parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`);
  });
  // Legend, top right inside the plot area.
  const names = p.series.map((s) => truncate(s.name, 24) + (s.axis === 'y2' ? ' (right)' : ''));
  const lw = Math.min(pw - 8, 24 + 7 * Math.max(0, ...names.map((n) => n.length)));
  const lx = m.l + pw - lw - 6;
  parts.push(`<rect x="${lx}" y="${m.t + 6}" width="${lw}" height="${names.length * 16 + 6}" fill="#ffffff" fill-opacity="0.85" stroke="#ccc"/>`);
  names.forEach((n, i) => {
    const y = m.t + 18 + i * 16;
    parts.push(`<line x1="${lx + 6}" x2="${lx + 20}" y1="${y - 4}" y2="${y - 4}" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 24}" y="${y}" ${font} font-size="11" fill="#222">${escapeXml(n)}</text>`);
  });
  if (p.title) parts.push(`<text x="${width / 2}" y="20" ${font} font-size="14" fill="#111" text-anchor="middle">${escapeXml(truncate(p.title, 90))}</text>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${height - 8}" ${font} font-size="12" fill="#333" text-anchor="middle">${escapeXml(truncate(p.xLabel ?? 'step', 60))}</text>`);
  if (p.yLabel) parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" ${font} font-size="12" fill="#333" text-anchor="middle">${escapeXml(truncate(p.yLabel, 60))}</text>`);
  if (!p.final) parts.push(`<text x="${width - 6}" y="${height - 8}" ${font} font-size="10" fill="#999" text-anchor="end">live</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Validate and snapshot the series now (downsampled copies); the chart PNG is rendered in render(). */
export function preparePlot(history: SeriesInput, opts: PlotBundleOptions = {}): Prepared {
  checkKeys(opts, KEYS, 'options');
  const { maxPoints = 1000, downsample = 'lttb', scale = 'linear', final = true, title, xLabel, yLabel, y2, width = 640, height = 360 } = opts;
  if (!Number.isInteger(maxPoints) || maxPoints < 3 || maxPoints > 10000) throw invalidParameterError('maxPoints', 'integer between 3 and 10000', maxPoints);
  if (downsample !== 'lttb' && downsample !== 'minmax') throw invalidParameterError('downsample', "'lttb' or 'minmax'", downsample);
  if (scale !== 'linear' && scale !== 'log') throw invalidParameterError('scale', "'linear' or 'log'", scale);
  if (typeof final !== 'boolean') throw invalidParameterError('final', 'boolean', final);
  for (const [k, v] of Object.entries({ title, xLabel, yLabel })) if (v !== undefined && typeof v !== 'string') throw invalidParameterError(k, 'string', v);
  if (y2 !== undefined && (!Array.isArray(y2) || !y2.every((n) => typeof n === 'string'))) throw invalidParameterError('y2', 'array of series names', y2);
  for (const [k, v] of Object.entries({ width, height })) if (!Number.isInteger(v) || v < 160 || v > 1600) throw invalidParameterError(k, 'integer between 160 and 1600', v);
  const all = toSeries(history);
  const series = all.slice(0, MAX_SERIES).map((s) => {
    const sorted = s.points.every((q, i) => i === 0 || q[0] >= s.points[i - 1]![0]) ? s.points : s.points.slice().sort((a, b) => a[0] - b[0]);
    const points = downsample === 'lttb' ? lttb(sorted, maxPoints) : minMaxBuckets(sorted, maxPoints);
    const axis: 'y' | 'y2' = s.axis ?? ((y2 ? y2.includes(s.name) : Y2_DEFAULT.test(s.name)) ? 'y2' : 'y');
    return { name: clipLabel(s.name), points, axis, count: s.points.length };
  });
  // Without a primary-axis series, draw everything on the primary axis.
  if (series.length > 0 && series.every((s) => s.axis === 'y2')) for (const s of series) s.axis = 'y';
  const payload: PlotPayload = {
    version: 1,
    ...(title !== undefined ? { title: clipLabel(title) } : {}),
    xLabel: clipLabel(xLabel ?? 'step'),
    ...(yLabel !== undefined ? { yLabel: clipLabel(yLabel) } : {}),
    series: series.map((s) => ({ name: s.name, points: s.points, ...(s.axis === 'y2' ? { axis: 'y2' as const } : {}) })),
    maxPoints, scale, final,
  };
  const text = [
    `Plot${payload.title ? ` "${payload.title}"` : ''}: ${series.length} series${all.length > series.length ? ` (of ${all.length})` : ''}` +
      `${scale === 'log' ? ', log scale' : ''}${final ? '' : ' (live)'}`,
    ...series.map((s) => {
      const last = s.points[s.points.length - 1];
      return `  ${s.name}: ${s.count} points` + (last ? `, last ${fmt(last[1])} at ${payload.xLabel} ${fmt(last[0])}` : '');
    }),
  ].join('\n');
  return {
    async render(): Promise<MimeBundle> {
      const png = await sharp(Buffer.from(chartSvg(payload, width, height))).png().toBuffer();
      return { [PLOT_MIME]: payload, 'image/png': png.toString('base64'), 'text/plain': text };
    },
  };
}

/** MIME bundle for loss curves and other scalar series: at most `maxPoints` (default 1000) points per series. */
export function plotBundle(history: SeriesInput, opts: PlotBundleOptions = {}): Promise<MimeBundle> {
  return preparePlot(history, opts).render();
}

/** A displayable plot: as a cell's last expression (or passed to display()) it renders as a chart. */
export class Plot {
  constructor(readonly history: SeriesInput, readonly options: PlotBundleOptions = {}) {
    checkKeys(options, KEYS, 'options');
  }
  /** The MIME bundle (series are read when this is called). */
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return plotBundle(this.history, this.options);
  }
}

/** Wrap series as a displayable plot object. */
export function plot(history: SeriesInput, opts: PlotBundleOptions = {}): Plot {
  return new Plot(history, opts);
}
