/**
 * elasticTransform: torchvision's elastic_transform. Each output pixel samples the input at
 * identity grid + displacement, in torch's normalized grid units ([-1, 1] across the image; x then y),
 * with rotate's sampler and fill. The displacement is either given ([1, H, W, 2] or [H, W, 2] float32,
 * as torchvision takes it) or drawn as torchvision's ElasticTransform draws it, from a seeded
 * generator: uniform noise in [-1, 1], a Gaussian blur (kernel int(8 sigma + 1), made odd), times
 * alpha / H for x and alpha / W for y (torchvision's own pairing of sizes).
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { isFiniteNumber } from '../../util/is.js';
import type { EditOp } from '../core.js';
import { gaussianBlurOp } from '../blur.js';
import { warp, warpRaw, type Grid } from '../warp.js';
import * as v from '../../util/validate.js';

const f32 = Math.fround;

/**
 * torch.linspace((1 - s) / s, (s - 1) / s, s) in float32 exactly as torch 1.13's CPU kernel computes it
 * (the AVX2 build: 8-lane arange from a base, two vectors per step, a fused multiply-add for the tail).
 */
function identityLine(s: number): Float32Array {
  const out = new Float32Array(s);
  const start = f32((1 - s) / s), end = f32((s - 1) / s);
  if (s === 1) return out.fill(start);
  const step = f32(f32(end - start) / (s - 1));
  const half = Math.floor(s / 2);
  // step * j and the sum are exact in double (for any side below 2^20), so one rounding to float32 is the fused result.
  const at = (j: number) => (j < half ? f32(start + step * j) : f32(end - step * (s - j - 1)));
  let i = 0;
  for (; i + 16 <= s; i += 16) {
    for (const b of [i, i + 8]) {
      const base = at(b);
      for (let k = 0; k < 8; k++) out[b + k] = f32(base + f32(k * step));
    }
  }
  for (; i < s; i++) out[i] = at(i);
  return out;
}

/** A sampling grid from identity + displacement (dx, dy interleaved per pixel, normalized units), for warp. */
function displacedGrid(d: Float32Array, h: number, w: number): Grid {
  const xs = identityLine(w), ys = identityLine(h);
  const row = (i: number, gx: Float32Array, gy: Float32Array) => {
    for (let j = 0; j < w; j++) {
      const p = 2 * (i * w + j);
      gx[j] = f32(xs[j]! + d[p]!);
      gy[j] = f32(ys[i]! + d[p + 1]!);
    }
  };
  return { oh: h, ow: w, row };
}

/** alpha or sigma: a number >= 0 for both axes, or [x, y]. */
function pairOf(name: string, value: unknown): [number, number] {
  const p = v.pair(name, value, (n) => [n, n]);
  p.forEach((x, i) => v.nonNegative(`${name}[${i}]`, x));
  return p;
}

export interface ElasticParams {
  /** Displacement strength in pixels-ish units, >= 0: one number or [x, y]. Default 50 (torchvision's). */
  alpha?: number | readonly number[];
  /** Smoothness: the Gaussian blur's sigma in pixels, >= 0 (0: no blur), one number or [x, y]. Default 5. */
  sigma?: number | readonly number[];
  /** Seed for the noise (seedrandom): the same seed and size give the same displacement. Default: a fresh random seed. */
  seed?: string | number;
}

function parseParams(o: Partial<Record<string, unknown>>) {
  const alpha = o.alpha === undefined ? ([50, 50] as [number, number]) : pairOf('options.alpha', o.alpha);
  const sigma = o.sigma === undefined ? ([5, 5] as [number, number]) : pairOf('options.sigma', o.sigma);
  if (o.seed !== undefined && typeof o.seed !== 'string' && !isFiniteNumber(o.seed)) throw invalidParameterError('options.seed', 'string or finite number', o.seed);
  const seed = o.seed === undefined ? undefined : String(o.seed);
  return { alpha, sigma, seed };
}

/** torchvision's ElasticTransform.get_params for an h x w image: dx, dy interleaved per pixel (float32, normalized units). */
function drawDisplacement(h: number, w: number, p: ReturnType<typeof parseParams>): Float32Array {
  const rng = p.seed === undefined ? seedrandom() : seedrandom(p.seed);
  const axis = (sigma: number, scale: number) => {
    const k = Math.trunc(8 * sigma + 1) | 1;
    if (sigma > 0 && (k >> 1 >= h || k >> 1 >= w)) {
      throw invalidParameterError('options.sigma', `a sigma whose blur kernel (${k} pixels) is under twice the ${h}x${w} image's sides`, sigma);
    }
    return tf.tidy(() => {
      const noise = tf.tensor4d(Float32Array.from({ length: h * w }, () => f32(f32(rng() * 2) - 1)), [1, h, w, 1]);
      const smooth = sigma > 0 ? gaussianBlurOp([k, k], [sigma, sigma]).tensor(noise, 'float') : noise;
      return tf.mul(smooth, scale).dataSync() as Float32Array;
    });
  };
  const dx = axis(p.sigma[0], p.alpha[0] / h);
  const dy = axis(p.sigma[1], p.alpha[1] / w);
  const d = new Float32Array(2 * h * w);
  for (let i = 0; i < h * w; i++) [d[2 * i], d[2 * i + 1]] = [dx[i]!, dy[i]!];
  return d;
}

/** A displacement for an image of height x width pixels drawn as torchvision's ElasticTransform does: a [1, H, W, 2] float32 tensor. */
export function elasticDisplacement(height: number, width: number, options?: ElasticParams): tf.Tensor4D {
  const h = v.positiveInt('height', height);
  const w = v.positiveInt('width', width);
  const p = parseParams(v.options('options', options, ['alpha', 'sigma', 'seed']));
  return tf.tensor4d(drawDisplacement(h, w, p), [1, h, w, 2]);
}

export interface ElasticOptions extends ElasticParams {
  /** The displacement to use ([1, H, W, 2] or [H, W, 2] float32, normalized units, x then y), instead of drawing one. */
  displacement?: tf.Tensor;
  /** 'bilinear' (default, as torchvision) or 'nearest'. */
  interpolation?: v.WarpInterpolation;
  /** Fill outside the image, in the image's units; default none (zeros, no mask blending). */
  fill?: v.Fill;
}

/** The displacement tensor's values after checking it against an h x w image. */
function givenDisplacement(t: tf.Tensor, h: number, w: number): Float32Array {
  if (t.isDisposed) throw new GankitError('Expected a live tensor for options.displacement but received a disposed tensor');
  const s = t.shape;
  const ok = t.dtype === 'float32' && (t.rank === 3 || (t.rank === 4 && s[0] === 1)) && s[t.rank - 3] === h && s[t.rank - 2] === w && s[t.rank - 1] === 2;
  if (!ok) {
    throw new GankitError(`Expected a float32 tensor of shape [1, ${h}, ${w}, 2] or [${h}, ${w}, 2] (this image's size) for options.displacement but received shape [${s.join(', ')}] of dtype ${t.dtype}`);
  }
  return t.dataSync() as Float32Array;
}

export function elasticTransformOp(options?: ElasticOptions): EditOp {
  const o = v.options('options', options, ['displacement', 'alpha', 'sigma', 'seed', 'interpolation', 'fill']);
  const interpolation = o.interpolation === undefined ? 'bilinear' : v.oneOf('options.interpolation', o.interpolation, v.WARP_INTERPOLATIONS);
  const fill = o.fill === undefined ? undefined : v.fill('options.fill', o.fill);
  const given = o.displacement;
  if (given !== undefined) {
    if (!(given instanceof tf.Tensor)) throw invalidParameterError('options.displacement', 'a float32 tf.Tensor [1, H, W, 2]', given);
    const drawn = (['alpha', 'sigma', 'seed'] as const).find((k) => o[k] !== undefined);
    if (drawn) throw new GankitError(`Expected either options.displacement or options.${drawn} (which draws one), not both`);
  }
  const params = parseParams(o);
  const gridFor = (h: number, w: number) => displacedGrid(given ? givenDisplacement(given as tf.Tensor, h, w) : drawDisplacement(h, w, params), h, w);
  return {
    name: 'elasticTransform',
    tensor: (x, kind) => warp(x, kind, gridFor(x.shape[1], x.shape[2]), interpolation, fill),
    image: async (img) => warpRaw(img, gridFor(img.height, img.width), interpolation, fill),
  };
}
