/**
 * resize and resizedCrop with torch's interpolation weights (torch.nn.functional.interpolate,
 * align_corners=False): nearest (torch's legacy 'nearest', src = floor(dst * in / out)), nearest-exact
 * (src = floor((dst + 0.5) * in / out), Pillow's and scikit-image's choice), bilinear
 * and bicubic (A = -0.75, border taps clamped), and the antialiased bilinear / bicubic filters
 * (PIL-style support scaled by the reduction factor, bicubic A = -0.5), all separable: the width
 * pass first, then the height pass, as torch does. Weights are computed in float32 like torch's
 * CPU kernels, and applied as a few gathers and multiply-adds per tap (pure tensor ops).
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import { chainOps, dims, fromFloatRounded, outputBuffer, toFloat, type EditOp, type PixelKind, type RawImage } from './core.js';
import { cropOp, type CropOptions } from './geometry.js';
import * as v from '../util/validate.js';
import { nativeKernels } from './addon.js';
import { remapPixels } from './pixels.js';
import { isInteger } from '../util/is.js';

const f32 = Math.fround;

/** Source indices and weights for one axis: `taps` arrays of length `out` each. */
interface AxisPlan {
  index: Int32Array[];
  weight: Float32Array[];
}

/**
 * torch's nearest: identity, i >> 1 for exact doubling, else min(floor(i * (in / out)), in - 1) in float32;
 * nearest-exact (`exact`): min(floor(float32((i + 0.5) * (in / out))), in - 1).
 */
export function nearestIndices(inSize: number, outSize: number, exact = false): Int32Array {
  const out = new Int32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (exact) out[i] = Math.min(Math.floor(f32((i + 0.5) * scale)), inSize - 1);
    else if (outSize === inSize) out[i] = i;
    else if (outSize === 2 * inSize) out[i] = i >> 1;
    else out[i] = Math.min(Math.floor(f32(i * scale)), inSize - 1);
  }
  return out;
}

function emptyPlan(taps: number, outSize: number): AxisPlan {
  return {
    index: Array.from({ length: taps }, () => new Int32Array(outSize)),
    weight: Array.from({ length: taps }, () => new Float32Array(outSize)),
  };
}

/** Non-antialiased linear weights (torch's compute_source_index_and_lambda). */
function linearPlan(inSize: number, outSize: number): AxisPlan {
  const plan = emptyPlan(2, outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    // torch computes the source index in double from the float32 scale (area_pixel_compute_source_index).
    let src = scale * (i + 0.5) - 0.5;
    if (src < 0) src = 0;
    const i0 = Math.min(Math.trunc(src), inSize - 1);
    const i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
    const l1 = Math.min(Math.max(f32(src - i0), 0), 1);
    plan.index[0]![i] = i0;
    plan.index[1]![i] = i1;
    plan.weight[0]![i] = f32(1 - l1);
    plan.weight[1]![i] = l1;
  }
  return plan;
}

const A_TORCH = -0.75;
const cubic1 = (x: number, a: number) => f32(f32(f32(f32(f32((a + 2) * x) - (a + 3)) * x) * x) + 1);
const cubic2 = (x: number, a: number) => f32(f32(f32(f32(f32(f32(a * x) - 5 * a) * x) + 8 * a) * x) - 4 * a);

/** Non-antialiased bicubic weights (A = -0.75), taps at floor(src) - 1 .. + 2 clamped to the image. */
function cubicPlan(inSize: number, outSize: number): AxisPlan {
  const plan = emptyPlan(4, outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    const src = scale * (i + 0.5) - 0.5;
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const t = Math.min(Math.max(f32(src - i0), 0), 1);
    const t2 = f32(1 - t);
    const w = [cubic2(f32(t + 1), A_TORCH), cubic1(t, A_TORCH), cubic1(t2, A_TORCH), cubic2(f32(t2 + 1), A_TORCH)];
    for (let k = 0; k < 4; k++) {
      plan.index[k]![i] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      plan.weight[k]![i] = w[k]!;
    }
  }
  return plan;
}

/** The antialiasing filters of torch's _upsample_{bilinear,bicubic}2d_aa (PIL's): triangle, and Keys cubic with a = -0.5. */
const aaFilters = {
  bilinear: { size: 2, fn: (x: number) => { const a = Math.abs(x); return a < 1 ? f32(1 - a) : 0; } },
  bicubic: {
    size: 4,
    fn: (x: number) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return f32(((a + 2) * t - (a + 3)) * t * t + 1);
      if (t < 2) return f32(((a * t - 5 * a) * t + 8 * a) * t - 4 * a);
      return 0;
    },
  },
};

/** Antialiased weights: support scaled by the reduction factor, weights normalised to sum 1. */
function aaPlan(inSize: number, outSize: number, mode: 'bilinear' | 'bicubic'): AxisPlan {
  const { size, fn } = aaFilters[mode];
  const scale = f32(inSize / outSize);
  const support = scale >= 1 ? f32(size * 0.5 * scale) : size * 0.5;
  const invscale = scale >= 1 ? f32(1 / scale) : 1;
  const rows: { xmin: number; w: number[] }[] = [];
  let taps = 1;
  for (let i = 0; i < outSize; i++) {
    const center = f32(scale * f32(i + 0.5));
    const xmin = Math.max(Math.trunc(f32(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(f32(center + support) + 0.5), inSize) - xmin;
    const w: number[] = [];
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const wj = fn(f32((f32(j + xmin - center) + 0.5) * invscale));
      w.push(wj);
      total = f32(total + wj);
    }
    if (total !== 0) for (let j = 0; j < w.length; j++) w[j] = f32(w[j]! / total);
    rows.push({ xmin, w });
    taps = Math.max(taps, w.length);
  }
  const plan = emptyPlan(taps, outSize);
  rows.forEach(({ xmin, w }, i) => {
    for (let k = 0; k < taps; k++) {
      // Taps past this row's window get weight 0 (their index is clamped to stay valid).
      plan.index[k]![i] = Math.min(xmin + k, inSize - 1);
      plan.weight[k]![i] = k < w.length ? w[k]! : 0;
    }
  });
  return plan;
}

/** Apply a plan along axis 1 (height) or 2 (width): sum over taps of weight * gathered values, in tap order. */
function resampleAxis(x: tf.Tensor4D, axis: 1 | 2, plan: AxisPlan): tf.Tensor4D {
  const outSize = plan.index[0]!.length;
  const wShape: [number, number, number, number] = axis === 1 ? [1, outSize, 1, 1] : [1, 1, outSize, 1];
  let acc: tf.Tensor4D | undefined;
  for (let k = 0; k < plan.index.length; k++) {
    const g = tf.gather(x, plan.index[k]!, axis) as tf.Tensor4D;
    const term = tf.mul(g, tf.tensor4d(plan.weight[k]!, wShape)) as tf.Tensor4D;
    g.dispose();
    if (!acc) acc = term;
    else {
      const next = tf.add(acc, term) as tf.Tensor4D;
      acc.dispose();
      term.dispose();
      acc = next;
    }
  }
  return acc!;
}

export interface ResizeOptions {
  /** 'nearest' (torch's legacy nearest), 'nearest-exact' (centre-aligned, as Pillow), 'bilinear' (default) or 'bicubic'. */
  interpolation?: v.ResizeInterpolation;
  /** Antialias when downscaling with bilinear / bicubic (default true, as torchvision v2); ignored for nearest. */
  antialias?: boolean;
  /** With an integer size: the longest edge may not exceed this (must be > size). */
  maxSize?: number;
}

/** torchvision's _compute_resized_output_size: [h, w], or the shorter edge for one integer, capped by maxSize. */
export function outputSize(h: number, w: number, size: number | [number, number], maxSize?: number): [number, number] {
  if (Array.isArray(size)) return size;
  const s = size as number;
  const [short, long] = w <= h ? [w, h] : [h, w];
  let newShort = s;
  let newLong = Math.trunc((s * long) / short);
  if (maxSize !== undefined && newLong > maxSize) {
    newShort = Math.trunc((maxSize * newShort) / newLong);
    newLong = maxSize;
  }
  if (newShort < 1) {
    throw new GankitError(`Expected a resize result of at least 1x1 for size but a ${h}x${w} image with size ${s} and maxSize ${maxSize} gives an edge of ${newShort}`);
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

interface ResizeParams {
  size: number | [number, number];
  interpolation: v.ResizeInterpolation;
  antialias: boolean;
  maxSize?: number;
}

export function resizeParams(size: unknown, options: unknown): ResizeParams {
  const o = v.options('options', options, ['interpolation', 'antialias', 'maxSize']);
  const interpolation = o.interpolation === undefined ? 'bilinear' : v.oneOf('options.interpolation', o.interpolation, v.RESIZE_INTERPOLATIONS);
  const antialias = o.antialias === undefined ? true : v.bool('options.antialias', o.antialias);
  let parsed: number | [number, number];
  if (isInteger(size) || (Array.isArray(size) && size.length === 1)) {
    parsed = v.positiveInt('size', Array.isArray(size) ? size[0] : size);
  } else {
    parsed = v.size2('size', size);
  }
  let maxSize: number | undefined;
  if (o.maxSize !== undefined) {
    maxSize = v.positiveInt('options.maxSize', o.maxSize);
    if (Array.isArray(parsed)) {
      throw new GankitError('Expected options.maxSize only with an integer size (the shorter edge) but size is [height, width]');
    }
    if (maxSize <= parsed) throw new GankitError(`Expected options.maxSize greater than size (${parsed}) but received ${maxSize}`);
  }
  return { size: parsed, interpolation, antialias, maxSize };
}

/** Resize an NHWC batch to [oh, ow]. */
export function resizeTensor(x: tf.Tensor4D, kind: PixelKind, oh: number, ow: number, interpolation: v.ResizeInterpolation, antialias: boolean): tf.Tensor4D {
  const { h, w } = dims(x);
  if (oh === h && ow === w) return x;
  if (interpolation === 'nearest' || interpolation === 'nearest-exact') {
    const exact = interpolation === 'nearest-exact';
    let y = x;
    if (ow !== w) y = tf.gather(y, nearestIndices(w, ow, exact), 2);
    if (oh !== h) y = tf.gather(y, nearestIndices(h, oh, exact), 1);
    return y;
  }
  const plan = (inSize: number, outSize: number) =>
    antialias ? aaPlan(inSize, outSize, interpolation) : interpolation === 'bilinear' ? linearPlan(inSize, outSize) : cubicPlan(inSize, outSize);
  let y = toFloat(x);
  if (ow !== w) y = resampleAxis(y, 2, plan(w, ow));
  if (oh !== h) y = resampleAxis(y, 1, plan(h, oh));
  // torchvision rounds uint8 results; bicubic can overshoot, so it also clamps them.
  return fromFloatRounded(y, kind, interpolation === 'bicubic');
}

/** A plan as the native addon takes it: per output position its taps with non-zero weight (the first always), as resampleRaw uses them. */
function compactPlan(plan: AxisPlan): [Int32Array, Int32Array, Float32Array] {
  const outSize = plan.index[0]!.length;
  const start = new Int32Array(outSize + 1);
  const index: number[] = [], weight: number[] = [];
  for (let i = 0; i < outSize; i++) {
    for (let k = 0; k < plan.index.length; k++) {
      const wk = plan.weight[k]![i]!;
      if (k === 0 || wk !== 0) { index.push(plan.index[k]![i]!); weight.push(wk); }
    }
    start[i + 1] = index.length;
  }
  return [start, Int32Array.from(index), Float32Array.from(weight)];
}

/** Resample interleaved rows [outer, inSize, inner] along the middle axis with a plan: float32 multiply-adds in tap order, as resampleAxis. */
function resampleRaw(src: ArrayLike<number>, outer: number, inSize: number, inner: number, plan: AxisPlan): Float32Array {
  const [start, index, weight] = compactPlan(plan);
  const outSize = start.length - 1;
  const out = new Float32Array(outer * outSize * inner);
  for (let o = 0; o < outer; o++) {
    const sBase = o * inSize * inner;
    for (let i = 0; i < outSize; i++) {
      const s = start[i]!, e = start[i + 1]!, dst = (o * outSize + i) * inner;
      for (let q = 0; q < inner; q++) {
        let acc = f32(src[sBase + index[s]! * inner + q]! * weight[s]!);
        for (let t = s + 1; t < e; t++) acc = f32(acc + f32(src[sBase + index[t]! * inner + q]! * weight[t]!));
        out[dst + q] = acc;
      }
    }
  }
  return out;
}

/**
 * resizeTensor on 8-bit pixels with typed-array loops, or in the native addon when it is loaded
 * (addon/src/resize.cc): same plans, same float32 sums, rounded half to even (and clamped).
 */
export function resizeRaw(img: RawImage, oh: number, ow: number, interpolation: v.ResizeInterpolation, antialias: boolean): RawImage {
  const { data, width: w, height: h, channels: c } = img;
  if (oh === h && ow === w) return img;
  if (interpolation === 'nearest' || interpolation === 'nearest-exact') {
    const exact = interpolation === 'nearest-exact';
    return remapPixels(img, nearestIndices(h, oh, exact), nearestIndices(w, ow, exact));
  }
  const out = outputBuffer(oh * ow * c);
  const plan = (inSize: number, outSize: number) =>
    antialias ? aaPlan(inSize, outSize, interpolation) : interpolation === 'bilinear' ? linearPlan(inSize, outSize) : cubicPlan(inSize, outSize);
  const native = nativeKernels();
  if (native) {
    const none: [null, null, null] = [null, null, null];
    const [ws, wi, ww] = ow !== w ? compactPlan(plan(w, ow)) : none;
    const [hs, hi, hw] = oh !== h ? compactPlan(plan(h, oh)) : none;
    native.resize(data, w, h, c, out, ow, oh, ws, wi, ww, hs, hi, hw);
    return { data: out, width: ow, height: oh, channels: c };
  }
  let values: ArrayLike<number> = data;
  if (ow !== w) values = resampleRaw(values, h, w, c, plan(w, ow));
  if (oh !== h) values = resampleRaw(values, 1, h, ow * c, plan(h, oh));
  for (let i = 0; i < out.length; i++) {
    const s = values[i]!;
    let r = Math.round(s);
    if (r - s === 0.5 && (r & 1) !== 0) r -= 1; // half to even, as tf.round / torch.round
    out[i] = r <= 0 ? 0 : r >= 255 ? 255 : r;
  }
  return { data: out, width: ow, height: oh, channels: c };
}

export function resizeOp(size: number | readonly number[], options?: ResizeOptions): EditOp {
  const p = resizeParams(size, options);
  return {
    name: 'resize',
    size: { param: 'size', of: (h, w) => outputSize(h, w, p.size, p.maxSize) },
    tensor: (x, kind) => {
      const { h, w } = dims(x);
      const [oh, ow] = outputSize(h, w, p.size, p.maxSize);
      return resizeTensor(x, kind, oh, ow, p.interpolation, p.antialias);
    },
    // Bicubic (4+ taps per pass) is faster in TensorFlow's multi-threaded kernels than in JavaScript (not than in the addon).
    image: async (img) => {
      if (p.interpolation === 'bicubic' && !nativeKernels()) return undefined;
      const [oh, ow] = outputSize(img.height, img.width, p.size, p.maxSize);
      return resizeRaw(img, oh, ow, p.interpolation, p.antialias);
    },
  };
}

export interface ResizedCropOptions extends ResizeOptions, CropOptions {}

export function resizedCropOp(
  top: number, left: number, height: number, width: number, size: number | readonly number[], options?: ResizedCropOptions,
): EditOp {
  const { padOutside, ...resizeOptions } = v.options('options', options, ['interpolation', 'antialias', 'maxSize', 'padOutside']);
  const resize = resizeOp(size, resizeOptions);
  const crop = cropOp(top, left, height, width, padOutside === undefined ? undefined : { padOutside: padOutside as boolean });
  return { ...chainOps('resizedCrop', [crop, resize]), size: { param: 'size', of: () => resize.size!.of(height, width) } };
}
