/**
 * `application/vnd.gankit.plot.v1+json` bundles: named (step, value) series such as Loss_D, Loss_G,
 * D(x) and D(G(z)), downsampled to a point cap (LTTB or min/max buckets), with a PNG line chart fallback
 * rendered from SVG by sharp. Known quantities (trainer records, quality metrics) get their friendly
 * label; series on different scales get different axes or stacked panels (see placeSeries).
 */
import sharp from 'sharp';
import { invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { clipLabel, escapeXml, fmt, JUPYTER_DISPLAY, type Prepared } from './common.js';
import { fitColumns, SVG_FONT_FAMILY, textColumns, warnMissingCjkFonts } from './fonts.js';
import { quantity, quantityLabel } from './quantities.js';
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
  /** True when the run was stopped or interrupted before its planned end (default false; implies final). */
  stopped?: boolean;
  title?: string;
  /** X axis label (default 'step'). */
  xLabel?: string;
  yLabel?: string;
  /**
   * Names of series drawn against a secondary (right) y axis; default: D(x) and D(G(z)) (keys dx, dgz1,
   * dgz2), confidence and diversity. Known quantities of different scales never share an axis (see placeSeries).
   */
  y2?: readonly string[];
  /** Chart PNG size in px (default 640x360, 140 px taller per extra panel; each 160..1600). */
  width?: number;
  height?: number;
}

const KEYS = ['maxPoints', 'downsample', 'scale', 'final', 'stopped', 'title', 'xLabel', 'yLabel', 'y2', 'width', 'height'] as const;
const STEP_KEYS = ['step', 'iter', 'iteration', 'epoch'];
/** At most this many series go into one payload. */
const MAX_SERIES = 32;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const Y2_DEFAULT = /^(dx|dgz\d*|d_?x|d_?g_?z\d*|d\(.*\))$/i;
/** At most this many stacked panels; further scale groups share the last one. */
const MAX_PANELS = 6;

/**
 * Axis and panel of each series. Series of one scale group (a known quantity's group, see
 * quantities.ts; other series join the first group on their side) share an axis. One or two
 * groups share one panel (the first on the left axis, the second on the right); three or more
 * groups get one stacked panel each, so e.g. confidence (0-1) and diversity (1-10) never share an axis.
 */
export function placeSeries(series: readonly { name: string; side: 'y' | 'y2' }[]): { axis: 'y' | 'y2'; panel: number }[] {
  const keys: string[] = [];
  const known = series.map((s) => quantity(s.name));
  series.forEach((s, i) => {
    const k = known[i] ? `${s.side}|${known[i]!.group}` : undefined;
    if (k && !keys.includes(k)) keys.push(k);
  });
  const keyOf = series.map((s, i) => {
    if (known[i]) return `${s.side}|${known[i]!.group}`;
    const k = keys.find((x) => x.startsWith(`${s.side}|`)) ?? `${s.side}|`;
    if (!keys.includes(k)) keys.push(k);
    return k;
  });
  // Left-side groups first (stable).
  const groups = keys.filter((k) => k.startsWith('y|')).concat(keys.filter((k) => k.startsWith('y2|')));
  return keyOf.map((k) => {
    const g = groups.indexOf(k);
    return groups.length <= 2 ? { axis: g === 0 ? 'y' : 'y2', panel: 0 } : { axis: 'y', panel: Math.min(g, MAX_PANELS - 1) };
  });
}

/** Axis title of one (panel, axis): `yLabel` for the first panel's left axis, else the names of its series. */
export function axisTitle(p: Pick<PlotPayload, 'series' | 'yLabel'>, panel: number, axis: 'y' | 'y2'): string {
  if (panel === 0 && axis === 'y' && p.yLabel) return p.yLabel;
  return p.series.filter((s) => (s.panel ?? 0) === panel && (s.axis ?? 'y') === axis).map((s) => s.name).join(', ');
}

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

/** SVG line chart of the series (text escaped): one stacked panel per `panel`, each with a left and an optional right axis. */
function chartSvg(p: PlotPayload, width: number, height: number): string {
  const panels = Math.max(1, ...p.series.map((s) => (s.panel ?? 0) + 1));
  const hasY2 = p.series.some((s) => s.axis === 'y2' && s.points.length > 0);
  const m = { l: 68, r: hasY2 ? 68 : 18, t: p.title ? 34 : 16, b: 44 };
  const gap = 22;
  const pw = width - m.l - m.r;
  const ph = (height - m.t - m.b - gap * (panels - 1)) / panels;
  const log = p.scale === 'log';
  const xs = p.series.flatMap((s) => s.points.map((q) => q[0]));
  const xlo = xs.length ? Math.min(...xs) : 0;
  let xhi = xs.length ? Math.max(...xs) : 1;
  if (xhi === xlo) xhi = xlo + 1;
  const X = (x: number): number => m.l + ((x - xlo) / (xhi - xlo)) * pw;
  const font = `font-family="${SVG_FONT_FAMILY}"`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const tickLabel = (a: Axis, t: number): string => (a.log ? fmt(10 ** t) : fmt(t));
  const on = (panel: number, axis: 'y' | 'y2') => p.series.filter((s) => (s.panel ?? 0) === panel && (s.axis ?? 'y') === axis);
  const axes: (Axis | null)[][] = [];
  for (let k = 0; k < panels; k++) {
    const top = m.t + k * (ph + gap);
    const y1 = axisOf(on(k, 'y').flatMap((s) => s.points.map((q) => q[1])), log);
    const y2 = axisOf(on(k, 'y2').flatMap((s) => s.points.map((q) => q[1])), log);
    axes.push([y1, y2]);
    const yTicks = (a: Axis, right: boolean): void => {
      for (const t of niceTicks(a.lo, a.hi, Math.max(3, Math.round(ph / 40)))) {
        const y = top + ph - ((t - a.lo) / (a.hi - a.lo)) * ph;
        if (!right) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`);
        const x = right ? m.l + pw + 6 : m.l - 6;
        parts.push(`<text x="${x}" y="${(y + 4).toFixed(1)}" ${font} font-size="11" fill="#444" text-anchor="${right ? 'start' : 'end'}">${escapeXml(tickLabel(a, t))}</text>`);
      }
    };
    if (y1) yTicks(y1, false);
    if (y2) yTicks(y2, true);
    for (const t of niceTicks(xlo, xhi, 6)) {
      const x = X(t);
      parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${(top + ph).toFixed(1)}" stroke="#f0f0f0"/>`);
      if (k === panels - 1) parts.push(`<text x="${x.toFixed(1)}" y="${(top + ph + 16).toFixed(1)}" ${font} font-size="11" fill="#444" text-anchor="middle">${escapeXml(fmt(t))}</text>`);
    }
    parts.push(`<rect x="${m.l}" y="${top}" width="${pw}" height="${ph.toFixed(1)}" fill="none" stroke="#888"/>`);
    const title = (axis: 'y' | 'y2', x: number): void => {
      const t = axisTitle(p, k, axis);
      if (t) parts.push(`<text transform="translate(${x} ${(top + ph / 2).toFixed(1)}) rotate(-90)" ${font} font-size="12" fill="#333" text-anchor="middle">${escapeXml(fitColumns(t, Math.max(8, Math.floor(ph / 7))))}</text>`);
    };
    if (y1) title('y', 14);
    if (y2) title('y2', width - 8);
  }
  p.series.forEach((s, i) => {
    const k = s.panel ?? 0;
    const a = axes[k]![s.axis === 'y2' ? 1 : 0];
    if (!a) return;
    const top = m.t + k * (ph + gap);
    const Y = (y: number): number => top + ph - (((a.log ? Math.log10(y) : y) - a.lo) / (a.hi - a.lo)) * ph;
    const pts = s.points.filter((q) => !log || q[1] > 0).map((q) => `${X(q[0]).toFixed(1)},${Y(q[1]).toFixed(1)}`);
    if (pts.length === 0) return;
    const color = PALETTE[i % PALETTE.length];
    const dash = s.axis === 'y2' ? ' stroke-dasharray="5,3"' : '';
    if (pts.length === 1) parts.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="2.5" fill="${color}"/>`);
    else parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`);
  });
  // Legend of each panel, top right inside it.
  for (let k = 0; k < panels; k++) {
    const top = m.t + k * (ph + gap);
    const entries = p.series.map((s, i) => ({ s, i })).filter(({ s }) => (s.panel ?? 0) === k);
    const names = entries.map(({ s }) => fitColumns(s.name, 24) + (s.axis === 'y2' ? ' (right axis)' : ''));
    if (names.length === 0) continue;
    const lw = Math.min(pw - 8, 24 + Math.ceil(7 * Math.max(0, ...names.map(textColumns))));
    const lx = m.l + pw - lw - 6;
    parts.push(`<rect x="${lx}" y="${top + 6}" width="${lw}" height="${names.length * 16 + 6}" fill="#ffffff" fill-opacity="0.85" stroke="#ccc"/>`);
    names.forEach((n, j) => {
      const y = top + 18 + j * 16;
      const color = PALETTE[entries[j]!.i % PALETTE.length];
      const dash = entries[j]!.s.axis === 'y2' ? ' stroke-dasharray="5,3"' : '';
      parts.push(`<line x1="${lx + 6}" x2="${lx + 20}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${dash}/>`);
      parts.push(`<text x="${lx + 24}" y="${y}" ${font} font-size="11" fill="#222">${escapeXml(n)}</text>`);
    });
  }
  if (p.title) parts.push(`<text x="${width / 2}" y="20" ${font} font-size="14" fill="#111" text-anchor="middle">${escapeXml(fitColumns(p.title, 90))}</text>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${height - 8}" ${font} font-size="12" fill="#333" text-anchor="middle">${escapeXml(fitColumns(p.xLabel ?? 'step', 60))}</text>`);
  const state = p.stopped ? 'stopped' : p.final ? '' : 'live';
  if (state) parts.push(`<text x="${width - 6}" y="${height - 8}" ${font} font-size="10" fill="#999" text-anchor="end">${state}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Validate and snapshot the series now (downsampled copies); the chart PNG is rendered in render(). */
export function preparePlot(history: SeriesInput, opts: PlotBundleOptions = {}): Prepared {
  v.options('plot options', opts, KEYS);
  const { maxPoints = 1000, downsample = 'lttb', scale = 'linear', stopped = false, final = true, title, xLabel, yLabel, y2, width = 640 } = opts;
  let height = opts.height ?? 360;
  v.intIn('maxPoints', maxPoints, 3, 10000);
  v.oneOf('downsample', downsample, ['lttb', 'minmax'] as const);
  v.oneOf('scale', scale, ['linear', 'log'] as const);
  v.bool('final', final);
  v.bool('stopped', stopped);
  v.check('stopped', stopped, !(stopped && !final), 'false when final is false (a stopped run is final)');
  for (const [k, s] of Object.entries({ title, xLabel, yLabel })) if (s !== undefined) v.string(k, s);
  if (y2 !== undefined) v.check('y2', y2, Array.isArray(y2) && y2.every((n) => typeof n === 'string'), 'array of series names');
  for (const [k, n] of Object.entries({ width, height })) v.intIn(k, n, 160, 1600);
  const all = toSeries(history);
  const picked = all.slice(0, MAX_SERIES).map((s) => {
    const sorted = s.points.every((q, i) => i === 0 || q[0] >= s.points[i - 1]![0]) ? s.points : s.points.slice().sort((a, b) => a[0] - b[0]);
    const points = downsample === 'lttb' ? lttb(sorted, maxPoints) : minMaxBuckets(sorted, maxPoints);
    const side: 'y' | 'y2' = s.axis ?? (y2 ? (y2.includes(s.name) || y2.includes(quantityLabel(s.name)) ? 'y2' : 'y')
      : (quantity(s.name)?.side ?? (Y2_DEFAULT.test(s.name) ? 'y2' : 'y')));
    return { name: clipLabel(quantityLabel(s.name)), points, side, count: s.points.length };
  });
  const places = placeSeries(picked);
  if (opts.height === undefined) height += 140 * (Math.max(0, ...places.map((q) => q.panel)));
  const series = picked.map((s, i) => ({ ...s, ...places[i]! }));
  const payload: PlotPayload = {
    version: 1,
    ...(title !== undefined ? { title: clipLabel(title) } : {}),
    xLabel: clipLabel(xLabel ?? 'step'),
    ...(yLabel !== undefined ? { yLabel: clipLabel(yLabel) } : {}),
    series: series.map((s) => ({
      name: s.name, points: s.points, ...(s.axis === 'y2' ? { axis: 'y2' as const } : {}), ...(s.panel > 0 ? { panel: s.panel } : {}),
    })),
    maxPoints, scale, final: final || stopped, ...(stopped ? { stopped } : {}),
  };
  const text = [
    `Plot${payload.title ? ` "${payload.title}"` : ''}: ${series.length} series${all.length > series.length ? ` (of ${all.length})` : ''}` +
      `${scale === 'log' ? ', log scale' : ''}${stopped ? ' (stopped)' : final ? '' : ' (live)'}`,
    ...series.map((s) => {
      const last = s.points[s.points.length - 1];
      return `  ${s.name}${s.axis === 'y2' ? ' (right axis)' : ''}${s.panel > 0 ? ` (panel ${s.panel + 1})` : ''}: ${s.count} points` +
        (last ? `, last ${fmt(last[1])} at ${payload.xLabel} ${fmt(last[0])}` : '');
    }),
  ].join('\n');
  return {
    async render(): Promise<MimeBundle> {
      warnMissingCjkFonts([payload.title, payload.xLabel, payload.yLabel, ...payload.series.map((s) => s.name)]);
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
    v.options('plot options', options, KEYS);
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
