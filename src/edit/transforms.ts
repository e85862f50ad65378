/**
 * Transforms: functions from an image to an image of the same kind (tensor -> tensor,
 * EditImage -> EditImage), for pipelines and augmentation. compose() chains them, withRange()
 * runs them on [-1, 1] tensors, and the random ones (torchvision's ColorJitter, RandomCrop,
 * RandomResizedCrop, RandomHorizontalFlip, RandomVerticalFlip, RandomRotation) draw their
 * parameters from a seeded generator (seedrandom) when they are called.
 *
 * Batches: like torchvision, one call draws one set of parameters for a whole NHWC batch; pass
 * `perSample: true` to draw them per image instead (augmentation inside training).
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber } from '../util/is.js';
import { chainOps, sizedOp, type EditOp } from './core.js';
import { applyOp, type Editable } from './functional.js';
import { cropOp, hflipOp, padStep, parsePadding, PADDING_MODES, vflipOp, type PaddingMode } from './geometry.js';
import { resizedCropOp, resizeParams, type ResizeOptions } from './resize.js';
import { rotateOp, type RotateOptions } from './warp.js';
import { adjustBrightnessOp, adjustContrastOp, adjustHueOp, adjustSaturationOp } from './color.js';
import { EditImage } from './image.js';
import * as v from '../util/validate.js';

/** An image -> image function: tensor in, tensor out (same rank); EditImage in, EditImage out. */
export type Transform = <T extends Editable>(image: T) => T;

/** Where random transforms get their numbers. */
export interface RandomOptions {
  /** Seed for a private seedrandom generator: the same seed gives the same sequence of draws. */
  seed?: string | number;
  /** Or your own uniform [0, 1) generator (shared between transforms if you like). Default: an auto-seeded seedrandom. */
  rng?: () => number;
  /** For NHWC batches: draw parameters per image (default false: one draw per call, like torchvision). */
  perSample?: boolean;
}

const RANDOM_KEYS = ['seed', 'rng', 'perSample'] as const;

function makeRng(o: Partial<Record<string, unknown>>): () => number {
  if (o.seed !== undefined && o.rng !== undefined) throw new GankitError('Expected either options.seed or options.rng, not both');
  if (o.rng !== undefined) {
    if (typeof o.rng !== 'function') throw invalidParameterError('options.rng', 'function returning numbers in [0, 1)', o.rng);
    const rng = o.rng as () => number;
    return () => {
      const u = rng();
      if (!isFiniteNumber(u) || u < 0 || u >= 1) throw invalidParameterError('options.rng()', 'number in [0, 1)', u);
      return u;
    };
  }
  if (o.seed !== undefined) {
    if (typeof o.seed !== 'string' && !isFiniteNumber(o.seed)) throw invalidParameterError('options.seed', 'string or finite number', o.seed);
    return seedrandom(String(o.seed));
  }
  return seedrandom();
}

/** A copy that is safe to dispose independently (tensors), or the immutable image itself. */
function same<T extends Editable>(image: T): T {
  return (image instanceof tf.Tensor ? image.clone() : image) as T;
}

function checkEditable(image: unknown): asserts image is Editable {
  if (!(image instanceof tf.Tensor) && !(image instanceof EditImage)) {
    throw invalidParameterError('image', 'a tf.Tensor (HWC or NHWC) or an EditImage (use openImage(path) for files)', image);
  }
}

/** Build a random transform from a per-call function; perSample unstacks NHWC batches and draws per image. */
function randomTransform(perSample: boolean, single: <T extends Editable>(image: T) => T): Transform {
  return <T extends Editable>(image: T): T => {
    checkEditable(image);
    if (perSample && image instanceof tf.Tensor && image.rank === 4) {
      return tf.tidy(() => tf.stack(tf.unstack(image).map((one) => single(one as tf.Tensor3D)))) as T;
    }
    return single(image);
  };
}

const uniform = (rng: () => number, [lo, hi]: [number, number]) => lo + (hi - lo) * rng();

/** Chain transforms left to right; on tensors the intermediates are disposed. Optional range '-1-1' wraps it in withRange. */
export function compose(transforms: readonly ((image: any) => any)[], options?: { range?: '0-1' | '-1-1' }): Transform {
  if (!Array.isArray(transforms)) throw invalidParameterError('transforms', 'array of transforms (functions)', transforms);
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw invalidParameterError(`transforms[${i}]`, 'function (a transform)', t);
  });
  const o = v.options('options', options, ['range']);
  const range = o.range === undefined ? '0-1' : v.oneOf('options.range', o.range, ['0-1', '-1-1'] as const);
  const list = [...transforms];
  const run = <T extends Editable>(image: T): T => {
    checkEditable(image);
    if (image instanceof tf.Tensor) {
      return tf.tidy(() => {
        const out = list.reduce<tf.Tensor>((x, t) => t(x), image);
        return out === image ? out.clone() : out;
      }) as T;
    }
    return list.reduce<EditImage>((x, t) => {
      const y = t(x);
      if (!(y instanceof EditImage)) throw invalidParameterError('transform result', 'an EditImage for an EditImage input', y);
      return y;
    }, image as EditImage) as T;
  };
  return range === '-1-1' ? withRange('-1-1', run) : run;
}

/**
 * Run a transform on float tensors in [-1, 1] (tanh GAN outputs): maps x -> (x + 1) / 2, applies the
 * transform (whose fill values are then in [0, 1] units), and maps back y -> 2y - 1. int32 tensors
 * and EditImages pass straight through. '0-1' returns the transform unchanged.
 */
export function withRange(range: '0-1' | '-1-1', transform: (image: any) => any): Transform {
  const r = v.oneOf('range', range, ['0-1', '-1-1'] as const);
  if (typeof transform !== 'function') throw invalidParameterError('transform', 'function (a transform)', transform);
  if (r === '0-1') return transform as Transform;
  return <T extends Editable>(image: T): T => {
    checkEditable(image);
    if (!(image instanceof tf.Tensor) || image.dtype !== 'float32') return transform(image) as T;
    return tf.tidy(() => {
      const unit = tf.div(tf.add(image, 1), 2);
      const y = transform(unit) as tf.Tensor;
      return tf.sub(tf.mul(y, 2), 1);
    }) as T;
  };
}

/** A flip op applied with probability p in [0, 1]. */
function randomFlip(flip: () => EditOp, p: number, options?: RandomOptions): Transform {
  const prob = v.numberIn('p', p, 0, 1);
  const o = v.options('options', options, RANDOM_KEYS);
  const rng = makeRng(o);
  return randomTransform(o.perSample === true, (image) => (rng() < prob ? applyOp(image, flip()) : same(image)) as typeof image);
}

/** Flip left-right with probability p in [0, 1] (default 0.5). */
export const randomHorizontalFlip = (p = 0.5, options?: RandomOptions): Transform => randomFlip(hflipOp, p, options);

/** Flip top-bottom with probability p in [0, 1] (default 0.5). */
export const randomVerticalFlip = (p = 0.5, options?: RandomOptions): Transform => randomFlip(vflipOp, p, options);

/** Degrees d >= 0 (meaning [-d, d]) or [min, max]. */
function degreeRange(name: string, value: unknown): [number, number] {
  if (isFiniteNumber(value)) {
    if (value < 0) throw invalidParameterError(name, 'number >= 0 (meaning [-d, d]) or [min, max]', value);
    return [-value, value];
  }
  const [lo, hi] = v.tuple(name, value, 2, 'finite numbers [min, max] (or one number d >= 0)').map((x, i) => v.finite(`${name}[${i}]`, x)) as [number, number];
  if (lo > hi) throw invalidParameterError(name, '[min, max] with min <= max', value);
  return [lo, hi];
}

export interface RandomRotationOptions extends Omit<RotateOptions, 'fill'>, RandomOptions {
  /** Fill outside the rotated image, in the image's units (default 0, as torchvision's RandomRotation). */
  fill?: v.Fill;
}

/** Rotate by an angle drawn uniformly from degrees (d means [-d, d]; [min, max]), in degrees counter-clockwise. */
export function randomRotation(degrees: number | readonly number[], options?: RandomRotationOptions): Transform {
  const range = degreeRange('degrees', degrees);
  const o = v.options('options', options, [...RANDOM_KEYS, 'interpolation', 'expand', 'center', 'fill']);
  const rng = makeRng(o);
  const rotateOptions: RotateOptions = {
    ...(o.interpolation !== undefined && { interpolation: o.interpolation as RotateOptions['interpolation'] }),
    ...(o.expand !== undefined && { expand: o.expand as boolean }),
    ...(o.center !== undefined && { center: o.center as number[] }),
    fill: o.fill === undefined ? 0 : (o.fill as v.Fill),
  };
  rotateOp(0, rotateOptions); // validate the options now
  return randomTransform(o.perSample === true, (image) => applyOp(image, rotateOp(uniform(rng, range), rotateOptions)) as typeof image);
}

export interface RandomCropOptions extends RandomOptions {
  /** Pad first: n, [leftRight, topBottom] or [left, top, right, bottom] pixels. */
  padding?: number | readonly number[];
  /** Pad when the image is smaller than the crop (both sides by the shortfall, as torchvision). Default false. */
  padIfNeeded?: boolean;
  /** Fill for constant padding, in the image's units. Default 0. */
  fill?: v.Fill;
  /** Padding mode: 'constant' (default), 'edge', 'reflect', 'symmetric'. */
  paddingMode?: PaddingMode;
}

/** Crop a size (n or [height, width] pixels) box at a uniformly drawn position. */
export function randomCrop(size: number | readonly number[], options?: RandomCropOptions): Transform {
  const [th, tw] = v.size2('size', size);
  const o = v.options('options', options, [...RANDOM_KEYS, 'padding', 'padIfNeeded', 'fill', 'paddingMode']);
  const rng = makeRng(o);
  const padding = o.padding === undefined ? undefined : parsePadding('options.padding', o.padding);
  const padIfNeeded = o.padIfNeeded === undefined ? false : v.bool('options.padIfNeeded', o.padIfNeeded);
  const fill = o.fill === undefined ? 0 : v.fill('options.fill', o.fill);
  const mode = o.paddingMode === undefined ? 'constant' : v.oneOf('options.paddingMode', o.paddingMode, PADDING_MODES);
  // Pad by options.padding, then (padIfNeeded) by the shortfall on both sides, then crop at the drawn position.
  const op = (u: number, w: number): EditOp => chainOps('randomCrop', [
    ...(padding ? [padStep(padding, mode, fill, 'options.padding')] : []),
    sizedOp('randomCrop', (h, width) => {
      const dw = padIfNeeded ? Math.max(tw - width, 0) : 0, dh = padIfNeeded ? Math.max(th - h, 0) : 0;
      if (h + 2 * dh < th || width + 2 * dw < tw) {
        throw new GankitError(
          `Expected a crop size no larger than the ${h}x${width} (HxW) image${padding ? ' after padding' : ''} for size but received [${th}, ${tw}]; pass { padIfNeeded: true } to pad`,
        );
      }
      return chainOps('randomCrop', [
        ...(dw ? [padStep([dw, 0, dw, 0], mode, fill, 'options.padIfNeeded')] : []),
        ...(dh ? [padStep([0, dh, 0, dh], mode, fill, 'options.padIfNeeded')] : []),
        cropOp(Math.floor(u * (h + 2 * dh - th + 1)), Math.floor(w * (width + 2 * dw - tw + 1)), th, tw),
      ]);
    }),
  ]);
  return randomTransform(o.perSample === true, (image) => {
    const u = rng();
    const w = rng();
    return applyOp(image, op(u, w)) as typeof image;
  });
}

export interface RandomResizedCropOptions extends Omit<ResizeOptions, 'maxSize'>, RandomOptions {
  /** Range of the crop's area as a fraction of the image's, default [0.08, 1]. */
  scale?: readonly number[];
  /** Range of the crop's aspect ratio (width / height), default [3/4, 4/3]; drawn log-uniformly. */
  ratio?: readonly number[];
}

/** torchvision's RandomResizedCrop: a random area/aspect crop (10 tries, then a centre crop), resized to size. */
export function randomResizedCrop(size: number | readonly number[], options?: RandomResizedCropOptions): Transform {
  const [oh, ow] = v.size2('size', size);
  const o = v.options('options', options, [...RANDOM_KEYS, 'scale', 'ratio', 'interpolation', 'antialias']);
  const rng = makeRng(o);
  const rangeOf = (name: string, value: unknown, fallback: [number, number], positive: boolean): [number, number] => {
    if (value === undefined) return fallback;
    const [lo, hi] = v.tuple(name, value, 2, 'finite numbers [min, max]').map((x, i) => (positive ? v.positive : v.nonNegative)(`${name}[${i}]`, x)) as [number, number];
    if (lo > hi) throw invalidParameterError(name, '[min, max] with min <= max', value);
    return [lo, hi];
  };
  const scale = rangeOf('options.scale', o.scale, [0.08, 1], false);
  const ratio = rangeOf('options.ratio', o.ratio, [3 / 4, 4 / 3], true);
  const { interpolation, antialias } = resizeParams([oh, ow], {
    ...(o.interpolation !== undefined && { interpolation: o.interpolation }),
    ...(o.antialias !== undefined && { antialias: o.antialias }),
  });
  const logRatio: [number, number] = [Math.log(ratio[0]), Math.log(ratio[1])];
  const op = (draws: number[]): EditOp =>
    sizedOp('randomResizedCrop', (h, w) => {
      const area = h * w;
      let box: [number, number, number, number] | undefined;
      for (let k = 0; k < 10 && !box; k++) {
        const [u1, u2, u3, u4] = draws.slice(4 * k, 4 * k + 4) as [number, number, number, number];
        const targetArea = area * uniform(() => u1, scale);
        const aspect = Math.exp(uniform(() => u2, logRatio));
        const cw = v.roundHalfEven(Math.sqrt(targetArea * aspect));
        const ch = v.roundHalfEven(Math.sqrt(targetArea / aspect));
        if (cw > 0 && cw <= w && ch > 0 && ch <= h) box = [Math.floor(u3 * (h - ch + 1)), Math.floor(u4 * (w - cw + 1)), ch, cw];
      }
      if (!box) {
        const inRatio = w / h;
        let cw = w, ch = h;
        if (inRatio < Math.min(...ratio)) ch = v.roundHalfEven(cw / Math.min(...ratio));
        else if (inRatio > Math.max(...ratio)) cw = v.roundHalfEven(ch * Math.max(...ratio));
        box = [Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw];
      }
      return resizedCropOp(...box, [oh, ow], { interpolation, antialias });
    });
  return randomTransform(o.perSample === true, (image) => applyOp(image, op(Array.from({ length: 40 }, rng))) as typeof image);
}

/** A ColorJitter factor: v >= 0 means [max(0, 1 - v), 1 + v]; or [min, max] with 0 <= min <= max. Undefined when it is the identity. */
function factorRange(name: string, value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  let range: [number, number];
  if (isFiniteNumber(value)) {
    if (value < 0) throw invalidParameterError(name, 'number >= 0 (meaning [max(0, 1 - v), 1 + v]) or [min, max] with 0 <= min <= max', value);
    range = [Math.max(0, 1 - value), 1 + value];
  } else {
    range = v.tuple(name, value, 2, 'numbers [min, max] (or one number >= 0)').map((x, i) => v.nonNegative(`${name}[${i}]`, x)) as [number, number];
    if (range[0] > range[1]) throw invalidParameterError(name, '[min, max] with min <= max', value);
  }
  return range[0] === 1 && range[1] === 1 ? undefined : range;
}

/** A ColorJitter hue: v in [0, 0.5] means [-v, v]; or [min, max] within [-0.5, 0.5]. */
function hueRange(value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  let range: [number, number];
  if (isFiniteNumber(value)) range = [-v.numberIn('options.hue', value, 0, 0.5), value];
  else {
    range = v.tuple('options.hue', value, 2, 'numbers [min, max] in [-0.5, 0.5] (or one number in [0, 0.5])').map((x, i) => v.numberIn(`options.hue[${i}]`, x, -0.5, 0.5)) as [number, number];
    if (range[0] > range[1]) throw invalidParameterError('options.hue', '[min, max] with min <= max', value);
  }
  return range[0] === 0 && range[1] === 0 ? undefined : range;
}

export interface ColorJitterOptions extends RandomOptions {
  /** Brightness factor range: v >= 0 for [max(0, 1 - v), 1 + v], or [min, max]. */
  brightness?: number | readonly number[];
  /** Contrast factor range, as brightness. */
  contrast?: number | readonly number[];
  /** Saturation factor range, as brightness. */
  saturation?: number | readonly number[];
  /** Hue shift range in turns: v in [0, 0.5] for [-v, v], or [min, max] within [-0.5, 0.5]. */
  hue?: number | readonly number[];
}

/** torchvision's ColorJitter: brightness, contrast, saturation and hue factors drawn uniformly, applied in a random order. */
export function colorJitter(options?: ColorJitterOptions): Transform {
  const o = v.options('options', options, [...RANDOM_KEYS, 'brightness', 'contrast', 'saturation', 'hue']);
  const rng = makeRng(o);
  const ranges = [
    factorRange('options.brightness', o.brightness),
    factorRange('options.contrast', o.contrast),
    factorRange('options.saturation', o.saturation),
    hueRange(o.hue),
  ];
  const makers = [adjustBrightnessOp, adjustContrastOp, adjustSaturationOp, adjustHueOp];
  return randomTransform(o.perSample === true, (image) => {
    const order = [0, 1, 2, 3];
    for (let i = 3; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const factors = ranges.map((r) => (r ? uniform(rng, r) : undefined));
    const apply = (x: Editable): Editable =>
      order.reduce<Editable>((acc, k) => (factors[k] === undefined ? acc : applyOp(acc, makers[k]!(factors[k]!))), x);
    if (image instanceof tf.Tensor) {
      return tf.tidy(() => {
        const out = apply(image) as tf.Tensor;
        return out === image ? out.clone() : out;
      }) as typeof image;
    }
    return apply(image) as typeof image;
  });
}
