/**
 * `application/vnd.gankit.tensor.v1+json` bundles: shape, dtype, statistics and a bounded preview of one
 * 2D slice (heatmap of values, or RGB(A) image for channels-last tensors), plus up to 16 alternative slices.
 * All tensor work happens synchronously inside tf.tidy before the first await: the caller may dispose
 * the tensor right after calling, and no tensor is leaked.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { clipLabel, fmt, isTensor, round5, type Prepared } from './common.js';
import {
  colormapRaster, EMPTY_PNG, greyRaster, pngBase64, strideFor, strided, toBytes, upscale, upscaleFactors,
} from './raster.js';
import type { RawImage } from '../image/raw.js';
import { TENSOR_MIME, type MimeBundle, type TensorPayload, type TensorStats } from './types.js';

export interface TensorBundleOptions {
  /** Variable name or caption shown with the tensor. */
  name?: string;
  /** 'auto' (default): RGB(A) image when the last axis has 3 or 4 channels (rank >= 3), else heatmap. */
  mode?: 'auto' | 'heatmap' | 'image';
  /** The two axes shown as preview rows and columns (default: rank 2 -> [0, 1]; rank >= 3 -> [rank-3, rank-2], channels last). */
  axes?: [number, number];
  /** Index along each axis that is not previewed, in axis order (default all 0; negative counts from the end). */
  index?: number[];
  /** Value range mapped to the colormap (heatmap) or to 0..255 (image); default: min/max of the shown values (heatmap), auto-detected [0,1] / [-1,1] / [0,255] (image). */
  range?: [number, number];
  /** Longest preview side in pixels, 1..256 (default 256); larger slices are strided. */
  maxSize?: number;
  /** At most this many alternative slices (each batch item or channel), 0..16 (default 16). */
  slices?: number;
}

/** The options of tensorBundle, showTensor and tensorView. */
export const TENSOR_OPTION_KEYS = ['name', 'mode', 'axes', 'index', 'range', 'maxSize', 'slices'] as const;
/** Heatmap values (numbers) allowed in one payload, over the main preview and all alternatives. */
const MAX_VALUES = 131072;
/** Serialized JSON payload cap in characters; alternatives are dropped beyond it. */
const MAX_JSON = 2_000_000;

type SliceSpec = (number | [number, number, number])[];
type Preview = TensorPayload['preview'];

interface Plan {
  kind: 'heatmap' | 'image';
  rowAxis: number | null;
  colAxis: number | null;
  /** For images: the channel axis, shown whole. */
  chanAxis: number | null;
  /** Index of every axis that is fixed (not previewed). */
  fixed: Map<number, number>;
  /** Axis the alternative slices run along, and how many. */
  altAxis: number | null;
  altCount: number;
  strideR: number;
  strideC: number;
  outH: number;
  outW: number;
  channels: number;
}

function normAxis(a: unknown, rank: number, what: string): number {
  if (!Number.isInteger(a) || (a as number) < -rank || (a as number) >= rank) throw invalidParameterError(what, `integer axis in [${-rank}, ${rank - 1}]`, a);
  return ((a as number) + rank) % rank;
}

function plan(shape: number[], o: TensorBundleOptions): Plan {
  const rank = shape.length;
  const maxSize = o.maxSize ?? 256;
  v.intIn('maxSize', maxSize, 1, 256);
  const mode = v.oneOf('mode', o.mode ?? 'auto', ['auto', 'heatmap', 'image'] as const);
  let rowAxis: number | null = null;
  let colAxis: number | null = null;
  let chanAxis: number | null = null;
  if (o.axes !== undefined) {
    if (!Array.isArray(o.axes) || o.axes.length !== 2 || rank < 2) throw invalidParameterError('axes', 'two axes [rows, cols] of a tensor of rank >= 2', o.axes);
    rowAxis = normAxis(o.axes[0], rank, 'axes[0]');
    colAxis = normAxis(o.axes[1], rank, 'axes[1]');
    if (rowAxis === colAxis) throw invalidParameterError('axes', 'two different axes', o.axes);
    if (mode === 'image') {
      chanAxis = rank - 1;
      if (chanAxis === rowAxis || chanAxis === colAxis) throw invalidParameterError('axes', 'axes other than the last (channel) axis in image mode', o.axes);
    }
  } else if (rank === 1) {
    colAxis = 0;
  } else if (rank === 2) {
    rowAxis = 0; colAxis = 1;
  } else if (rank >= 3) {
    rowAxis = rank - 3; colAxis = rank - 2;
    const c = shape[rank - 1]!;
    if (mode === 'image' || (mode === 'auto' && (c === 3 || c === 4))) chanAxis = rank - 1;
  }
  let kind: Plan['kind'] = chanAxis !== null ? 'image' : 'heatmap';
  if (mode === 'image' && rank === 2) kind = 'image'; // a 2D tensor as a greyscale image
  if (kind === 'image' && chanAxis !== null && (shape[chanAxis]! < 1 || shape[chanAxis]! > 4)) {
    throw invalidParameterError('mode', `'heatmap' or 'auto' for ${shape[chanAxis]} channels (images have 1 to 4)`, mode);
  }
  const fixedAxes: number[] = [];
  for (let a = 0; a < rank; a++) if (a !== rowAxis && a !== colAxis && a !== chanAxis) fixedAxes.push(a);
  const index = o.index ?? [];
  if (!Array.isArray(index) || index.length > fixedAxes.length) {
    throw invalidParameterError('index', `an array of at most ${fixedAxes.length} indices (one per axis not previewed)`, o.index);
  }
  const fixed = new Map<number, number>();
  fixedAxes.forEach((a, i) => {
    const n = shape[a]!;
    let v = index[i] ?? 0;
    if (!Number.isInteger(v) || v < -n || v >= Math.max(n, 1)) throw invalidParameterError(`index[${i}]`, `integer in [${-n}, ${n - 1}] for axis ${a}`, v);
    if (v < 0) v += n;
    fixed.set(a, v);
  });
  const slices = o.slices ?? 16;
  v.intIn('slices', slices, 0, 16);
  // Alternatives run along the first fixed axis of size > 1 that is not the last (batch items first),
  // else along the last axis (channels).
  let altAxis: number | null = fixedAxes.find((a) => a !== rank - 1 && shape[a]! > 1) ?? null;
  if (altAxis === null && fixedAxes.includes(rank - 1) && shape[rank - 1]! > 1) altAxis = rank - 1;
  const altCount = altAxis === null ? 0 : Math.min(slices, shape[altAxis]!);
  if (altCount === 0) altAxis = null;
  const H = rowAxis === null ? 1 : shape[rowAxis]!;
  const W = colAxis === null ? 1 : shape[colAxis]!;
  const strideR = strideFor(H, maxSize);
  const strideC = strideFor(W, maxSize);
  return {
    kind, rowAxis, colAxis, chanAxis, fixed, altAxis, altCount, strideR, strideC,
    outH: strided(H, strideR), outW: strided(W, strideC), channels: chanAxis === null ? 1 : shape[chanAxis]!,
  };
}

/** Slice description (one entry per axis) for a given choice of fixed indices. */
function sliceSpec(shape: number[], p: Plan, fixed: Map<number, number>): SliceSpec {
  return shape.map((n, a) => {
    if (a === p.rowAxis) return [0, n, p.strideR];
    if (a === p.colAxis) return [0, n, p.strideC];
    if (a === p.chanAxis) return [0, n, 1];
    return fixed.get(a) ?? 0;
  });
}

/** Python-like label of a slice: `[3, :, ::2, 0]`. */
function sliceLabel(spec: SliceSpec): string {
  return '[' + spec.map((s) => (typeof s === 'number' ? String(s) : s[2] === 1 ? ':' : `::${s[2]}`)).join(', ') + ']';
}

/**
 * Read the preview values of `count` slices along `alongAxis` (or of the single main slice when
 * alongAxis is null): returns row-major [count][outH][outW][channels] float values.
 */
function readSlices(x: tf.Tensor, p: Plan, fixed: Map<number, number>, alongAxis: number | null, count: number): Float32Array {
  const shape = x.shape;
  const rank = shape.length;
  if (rank === 0) return Float32Array.from(x.dataSync() as ArrayLike<number>);
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  for (let a = 0; a < rank; a++) {
    if (a === alongAxis) { begin.push(0); end.push(count); strides.push(1); }
    else if (a === p.rowAxis) { begin.push(0); end.push(shape[a]!); strides.push(p.strideR); }
    else if (a === p.colAxis) { begin.push(0); end.push(shape[a]!); strides.push(p.strideC); }
    else if (a === p.chanAxis) { begin.push(0); end.push(shape[a]!); strides.push(1); }
    else { const i = fixed.get(a) ?? 0; begin.push(i); end.push(i + 1); strides.push(1); }
  }
  return tf.tidy(() => {
    let s = tf.stridedSlice(x, begin, end, strides);
    // Bring axes into [along?, rows, cols, chan?] order.
    const order = [alongAxis, p.rowAxis, p.colAxis, p.chanAxis].filter((a): a is number => a !== null);
    const rest = Array.from({ length: rank }, (_, a) => a).filter((a) => !order.includes(a));
    const perm = [...rest, ...order];
    if (perm.some((v, i) => v !== i)) s = tf.transpose(s, perm);
    return Float32Array.from(s.dataSync() as ArrayLike<number>);
  });
}

/** Statistics over the whole tensor (one device pass, 7 numbers downloaded). */
export function tensorStats(t: tf.Tensor): TensorStats {
  const size = t.size;
  if (size === 0) return { min: null, max: null, mean: null, std: null, nanCount: 0, infCount: 0, size };
  const v = tf.tidy(() => {
    const x = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
    const nan = tf.isNaN(x);
    const inf = tf.isInf(x);
    const finite = tf.logicalNot(tf.logicalOr(nan, inf));
    const zero = tf.zerosLike(x);
    const nFinite = tf.sum(tf.cast(finite, 'float32'));
    const n = tf.maximum(nFinite, 1);
    const mean = tf.div(tf.sum(tf.where(finite, x, zero)), n);
    const dev = tf.where(finite, tf.sub(x, mean), zero);
    const std = tf.sqrt(tf.div(tf.sum(tf.square(dev)), n));
    const min = tf.min(tf.where(finite, x, tf.fill(x.shape, Infinity)));
    const max = tf.max(tf.where(finite, x, tf.fill(x.shape, -Infinity)));
    return tf.stack([tf.sum(tf.cast(nan, 'float32')), tf.sum(tf.cast(inf, 'float32')), nFinite, mean, std, min, max]).dataSync();
  });
  const [nanCount, infCount, nFinite, mean, std, min, max] = Array.from(v) as number[];
  const has = nFinite! > 0;
  return {
    min: has ? min! : null, max: has ? max! : null, mean: has ? mean! : null, std: has ? std! : null,
    nanCount: nanCount!, infCount: infCount!, size,
  };
}

/** The value range an image preview is normalised from, guessed from the statistics. */
function imageRange(dtype: string, s: TensorStats): [number, number] {
  if (s.min === null || s.max === null) return [0, 1];
  if (dtype !== 'float32') return s.min >= 0 && s.max <= 1 ? [0, 1] : [0, 255];
  if (s.min >= 0 && s.max <= 1) return [0, 1];
  if (s.min >= -1 && s.max <= 1) return [-1, 1];
  if (s.min >= 0 && s.max <= 255) return [0, 255];
  return s.max > s.min ? [s.min, s.max] : [s.min - 0.5, s.min + 0.5];
}

function finiteRange(...arrays: Float32Array[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) for (let i = 0; i < a.length; i++) { const v = a[i]!; if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo <= hi ? [lo, hi] : [0, 0];
}

interface PreviewData { values: Float32Array; spec: SliceSpec; label: string }

/** Validate, compute statistics and read the preview values now; PNG encoding happens in render(). */
export function prepareTensor(t: tf.Tensor, opts: TensorBundleOptions = {}): Prepared {
  if (!isTensor(t)) throw invalidParameterError('tensor', 'a tf.Tensor', t);
  v.options('tensor options', opts, TENSOR_OPTION_KEYS);
  if (t.isDisposed) throw new GankitError('Expected a live tensor but received a disposed tensor');
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new GankitError(`Expected a numeric tensor (float32, int32 or bool) but received dtype ${t.dtype}`);
  }
  if (opts.range !== undefined) {
    const r = opts.range;
    if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
      throw invalidParameterError('range', '[min, max] of finite numbers with min < max', r);
    }
  }
  if (opts.name !== undefined) v.string('name', opts.name);
  const shape = t.shape.slice();
  const dtype = t.dtype;
  const p = plan(shape, opts);
  const stats = tensorStats(t);
  const empty = t.size === 0;
  let main: PreviewData | null = null;
  let alts: PreviewData[] = [];
  let smallText = '';
  if (!empty) {
    const spec = sliceSpec(shape, p, p.fixed);
    main = { values: readSlices(t, p, p.fixed, null, 1), spec, label: sliceLabel(spec) };
    if (p.altAxis !== null) {
      const all = readSlices(t, p, p.fixed, p.altAxis, p.altCount);
      const per = p.outH * p.outW * p.channels;
      alts = Array.from({ length: p.altCount }, (_, k) => {
        const f = new Map(p.fixed);
        f.set(p.altAxis!, k);
        const s = sliceSpec(shape, p, f);
        return { values: all.subarray(k * per, (k + 1) * per), spec: s, label: sliceLabel(s) };
      });
    }
    if (t.size <= 100) smallText = t.toString().replace(/^Tensor\n?/, '');
  }
  const name = opts.name === undefined ? undefined : clipLabel(opts.name);
  const fixedRange = opts.range;
  return {
    async render(): Promise<MimeBundle> {
      const range: [number, number] = fixedRange ?? (p.kind === 'image'
        ? imageRange(dtype, stats)
        : main ? finiteRange(main.values, ...alts.map((a) => a.values)) : [0, 0]);
      let budget = MAX_VALUES;
      const makePreview = async (d: PreviewData | null, withValues: boolean): Promise<{ preview: Preview; fallback: RawImage | null }> => {
        if (!d) {
          return { preview: { kind: p.kind, width: 0, height: 0, values: [], range, png: EMPTY_PNG, stride: [1, 1] }, fallback: null };
        }
        const w = p.outW;
        const h = p.outH;
        if (p.kind === 'image') {
          const raster: RawImage = { data: toBytes(d.values, range[0], range[1]), width: w, height: h, channels: p.channels as RawImage['channels'] };
          return { preview: { kind: 'image', width: w, height: h, range, png: await pngBase64(raster), stride: [p.strideR, p.strideC] }, fallback: raster };
        }
        const preview: Preview = {
          kind: 'heatmap', width: w, height: h, range,
          png: await pngBase64(greyRaster(d.values, w, h, range[0], range[1])), stride: [p.strideR, p.strideC],
        };
        if (withValues && d.values.length <= budget) {
          budget -= d.values.length;
          preview.values = Array.from(d.values, (v) => (Number.isFinite(v) ? round5(v) : null));
        }
        return { preview, fallback: colormapRaster(d.values, w, h, range[0], range[1]) };
      };
      const mainP = await makePreview(main, true);
      const altPs = await Promise.all(alts.map((a) => makePreview(a, true)));
      const payload: TensorPayload = {
        version: 1, shape, dtype, stats,
        ...(name !== undefined ? { name } : {}),
        preview: mainP.preview,
        slice: main ? main.spec : shape.map(() => 0),
      };
      if (alts.length > 0) {
        payload.slices = alts.map((a, k) => ({ label: a.label, slice: a.spec, preview: altPs[k]!.preview }));
        // Keep the payload bounded: first drop the alternatives' values, then alternatives themselves.
        if (JSON.stringify(payload).length > MAX_JSON) for (const s of payload.slices) delete s.preview.values;
        while (payload.slices.length > 0 && JSON.stringify(payload).length > MAX_JSON) payload.slices.pop();
        if (payload.slices.length === 0) delete payload.slices;
      }
      let png = EMPTY_PNG;
      if (mainP.fallback) {
        const [fx, fy] = upscaleFactors(mainP.fallback.width, mainP.fallback.height);
        png = await pngBase64(upscale(mainP.fallback, fx, fy));
      }
      const head = `Tensor ${dtype} [${shape.join(', ')}]${name ? ` "${name}"` : ''}`;
      const statLine = `  min ${fmt(stats.min)}  max ${fmt(stats.max)}  mean ${fmt(stats.mean)}  std ${fmt(stats.std)}` +
        `  NaN ${stats.nanCount}  Inf ${stats.infCount}`;
      const previewLine = main ? `  preview: ${p.kind} ${main.label} ${p.outW}x${p.outH}` +
        (p.strideR > 1 || p.strideC > 1 ? ` (stride ${p.strideR}x${p.strideC})` : '') : '  (empty)';
      const text = [head, statLine, previewLine, ...(smallText ? [smallText] : [])].join('\n');
      return { [TENSOR_MIME]: payload, 'image/png': png, 'text/plain': text };
    },
  };
}

/**
 * MIME bundle for a tensor: statistics (min, max, mean, population std over finite values; NaN and Inf
 * counts) and a preview of at most 256x256 px, never the raw data. Keeps tf.memory().numTensors flat.
 */
export function tensorBundle(t: tf.Tensor, opts: TensorBundleOptions = {}): Promise<MimeBundle> {
  return prepareTensor(t, opts).render();
}
