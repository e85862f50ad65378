/**
 * Colour operations with torchvision's tensor formulas, in float32 like torch:
 * brightness, contrast, saturation and sharpness blend with a degenerate image
 * (black, mean grey, greyscale, 3x3-blurred) as `clamp(f * img + (1 - f) * other)`; hue rotates H
 * in HSV; gamma is `clamp(gain * x^gamma)`. 8-bit results are truncated where torchvision casts
 * (`.to(torch.uint8)`) and rounded where it rounds.
 *
 * Channels: torchvision takes 1 (grey) or 3 (RGB). gankit also takes 2 and 4: the last channel is
 * alpha and passes through every colour operation unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import { boundOf, colourChannels, fromFloatTruncated, toFloat, type EditOp, type PixelKind, type RawImage } from './core.js';
import * as px from './pixels.js';
import * as v from '../util/validate.js';

const W_R = 0.2989;
const W_G = 0.587;
const W_B = 0.114;

/** torchvision's luma (0.2989 R + 0.587 G + 0.114 B) of 3-channel float data, [N, H, W, 1]. */
function luma(rgb: tf.Tensor4D): tf.Tensor4D {
  const [r, g, b] = tf.split(rgb, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  return tf.add(tf.add(tf.mul(r, W_R), tf.mul(g, W_G)), tf.mul(b, W_B)) as tf.Tensor4D;
}

/** Greyscale in the image's kind: float luma, or luma truncated to an integer for uint8 (torchvision's `.to(uint8)`). */
function grey(x: tf.Tensor4D, kind: PixelKind): tf.Tensor4D {
  if (x.shape[3] === 1) return toFloat(x);
  const l = luma(toFloat(x));
  return kind === 'uint8' ? tf.floor(l) : l;
}

/** torchvision's _blend: clamp(ratio * img1 + (1 - ratio) * img2, 0, bound), cast (truncating) to the image kind. */
function blend(img1: tf.Tensor4D, img2: tf.Tensor, ratio: number, kind: PixelKind): tf.Tensor4D {
  const y = tf.add(tf.mul(toFloat(img1), ratio), tf.mul(img2, 1 - ratio));
  return fromFloatTruncated(tf.clipByValue(y, 0, boundOf(kind)) as tf.Tensor4D, kind);
}

export function adjustBrightnessOp(brightnessFactor: number): EditOp {
  const f = v.nonNegative('brightnessFactor', brightnessFactor);
  return {
    name: 'adjustBrightness',
    tensor: (x, kind) => colourChannels(x, (c) => fromFloatTruncated(tf.clipByValue(tf.mul(toFloat(c), f), 0, boundOf(kind)) as tf.Tensor4D, kind)),
    // 8-bit images: the same float32 product, clamped and truncated, as a lookup table.
    image: async (img) => px.applyLuts(img, [px.lut((x) => { const y = Math.fround(x * Math.fround(f)); return y <= 0 ? 0 : y >= 255 ? 255 : Math.trunc(y); })]),
  };
}

export function adjustContrastOp(contrastFactor: number): EditOp {
  const f = v.nonNegative('contrastFactor', contrastFactor);
  return {
    name: 'adjustContrast',
    tensor: (x, kind) => colourChannels(x, (c) => blend(c, tf.mean(grey(c, kind), [1, 2, 3], true), f, kind)),
    image: async (img) => px.applyLuts(img, [px.blendLut(f, px.greySum(img) / (img.width * img.height))]),
  };
}

export function adjustSaturationOp(saturationFactor: number): EditOp {
  const f = v.nonNegative('saturationFactor', saturationFactor);
  return {
    name: 'adjustSaturation',
    tensor: (x, kind) => colourChannels(x, (c) => (c.shape[3] === 1 ? c : blend(c, grey(c, kind), f, kind))),
    image: async (img) => (img.channels < 3 ? img : px.saturationPixels(img, f)),
  };
}

/** torchvision's _rgb2hsv: [h, s, v] in [0, 1], float32. */
function rgbToHsv(rgb: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const [r, g, b] = tf.split(rgb, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const maxc = tf.max(rgb, 3, true) as tf.Tensor4D;
  const minc = tf.min(rgb, 3, true) as tf.Tensor4D;
  const eqc = tf.equal(maxc, minc);
  const cr = tf.sub(maxc, minc);
  const ones = tf.onesLike(maxc);
  const s = tf.div(cr, tf.where(eqc, ones, maxc)) as tf.Tensor4D;
  const crDivisor = tf.where(eqc, ones, cr);
  const rc = tf.div(tf.sub(maxc, r), crDivisor);
  const gc = tf.div(tf.sub(maxc, g), crDivisor);
  const bc = tf.div(tf.sub(maxc, b), crDivisor);
  const isR = tf.equal(maxc, r);
  const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
  const isB = tf.logicalAnd(tf.notEqual(maxc, g), tf.logicalNot(isR));
  const hr = tf.mul(tf.cast(isR, 'float32'), tf.sub(bc, gc));
  const hg = tf.mul(tf.cast(isG, 'float32'), tf.sub(tf.add(rc, 2), bc));
  const hb = tf.mul(tf.cast(isB, 'float32'), tf.sub(tf.add(gc, 4), rc));
  const h = tf.add(tf.add(hr, hg), hb);
  const hue = tf.mod(tf.add(tf.div(h, 6), 1), 1) as tf.Tensor4D;
  return [hue, s, maxc];
}

/** torchvision's _hsv2rgb. */
function hsvToRgb(h: tf.Tensor4D, s: tf.Tensor4D, val: tf.Tensor4D): tf.Tensor4D {
  const h6 = tf.mul(h, 6);
  const i = tf.floor(h6);
  const f = tf.sub(h6, i);
  const sector = tf.mod(tf.cast(i, 'int32'), 6);
  const p = tf.clipByValue(tf.mul(val, tf.sub(1, s)), 0, 1);
  const q = tf.clipByValue(tf.mul(val, tf.sub(1, tf.mul(s, f))), 0, 1);
  const t = tf.clipByValue(tf.mul(val, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
  const pick = (choices: tf.Tensor[]) =>
    choices.reduceRight((acc, choice, k) => (k === choices.length - 1 ? choice : tf.where(tf.equal(sector, k), choice, acc)));
  const r = pick([val, q, p, p, t, val]);
  const g = pick([t, val, val, q, p, p]);
  const b = pick([p, p, t, val, val, q]);
  return tf.concat([r, g, b], 3) as tf.Tensor4D;
}

export function adjustHueOp(hueFactor: number): EditOp {
  const hf = v.numberIn('hueFactor', hueFactor, -0.5, 0.5);
  return {
    name: 'adjustHue',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        if (c.shape[3] === 1) return c;
        const rgb = kind === 'uint8' ? (tf.div(toFloat(c), 255) as tf.Tensor4D) : c;
        const [h, s, val] = rgbToHsv(rgb);
        const shifted = tf.mod(tf.add(h, hf), 1) as tf.Tensor4D;
        const out = hsvToRgb(shifted, s, val);
        // v2 converts back with convert_image_dtype: x * 255.999, truncated.
        return kind === 'uint8' ? (tf.cast(tf.mul(out, 255.999), 'int32') as tf.Tensor4D) : out;
      }),
    image: async (img) => (img.channels < 3 ? img : px.huePixels(img, hf)),
  };
}

/** Gamma as a table: trunc(float32(clamp(float32(gain * float32(x / 255) ^ gamma)) * 255.999)). */
function gammaLut(g: number, k: number): Uint8Array {
  const f32 = Math.fround;
  const K = f32(255.999);
  return px.lut((x) => {
    const y = f32(f32(f32(f32(x / 255) ** f32(g)) * f32(k)));
    return Math.trunc(f32((y <= 0 ? 0 : y >= 1 ? 1 : y) * K));
  });
}

export function adjustGammaOp(gamma: number, gain = 1): EditOp {
  const g = v.nonNegative('gamma', gamma);
  const k = v.finite('gain', gain);
  return {
    name: 'adjustGamma',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        const unit = kind === 'uint8' ? tf.div(toFloat(c), 255) : c;
        const y = tf.clipByValue(tf.mul(tf.pow(unit, g), k), 0, 1);
        return (kind === 'uint8' ? tf.cast(tf.mul(y, 255.999), 'int32') : y) as tf.Tensor4D;
      }),
    image: async (img) => px.applyLuts(img, [gammaLut(g, k)]),
  };
}

/** torchvision's _blurred_degenerate_image: the 3x3 kernel [1 1 1; 1 5 1; 1 1 1] / 13 inside, the border kept. */
function blurredDegenerate(x: tf.Tensor4D, kind: PixelKind): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const a = Math.fround(1 / 13);
  const b = Math.fround(5 / 13);
  const k = tf.tile(tf.tensor4d([a, a, a, a, b, a, a, a, a], [3, 3, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  let inner = tf.depthwiseConv2d(toFloat(x), k, 1, 'valid');
  if (kind === 'uint8') inner = tf.round(inner);
  const padded = tf.pad(inner, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const interior = tf.pad(tf.ones([1, h - 2, w - 2, 1], 'bool'), [[0, 0], [1, 1], [1, 1], [0, 0]]);
  return tf.where(interior, padded, toFloat(x)) as tf.Tensor4D;
}

export function adjustSharpnessOp(sharpnessFactor: number): EditOp {
  const f = v.nonNegative('sharpnessFactor', sharpnessFactor);
  return {
    name: 'adjustSharpness',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        if (c.shape[1] <= 2 || c.shape[2] <= 2) return c;
        return blend(c, blurredDegenerate(c, kind), f, kind);
      }),
    // 8-bit images: the rounded blur in integers (exact for any float32 summation order), then the same float32 blend.
    image: async (img) => px.sharpnessPixels(img, f),
  };
}

export function rgbToGrayscaleOp(numOutputChannels = 1): EditOp {
  const out = numOutputChannels;
  if (out !== 1 && out !== 3) throw invalidParameterError('numOutputChannels', 'one of 1, 3', out);
  return {
    name: 'rgbToGrayscale',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        const l = c.shape[3] === 1 ? c : kind === 'uint8' ? tf.cast(luma(toFloat(c)), 'int32') : luma(c);
        return (out === 3 ? tf.tile(l, [1, 1, 1, 3]) : l) as tf.Tensor4D;
      }),
    image: async (img) => px.grayscalePixels(img, out),
  };
}

const INVERT = px.lut((x) => 255 - x);

export function invertOp(): EditOp {
  return {
    name: 'invert',
    tensor: (x, kind) => colourChannels(x, (c) => tf.sub(tf.scalar(boundOf(kind), c.dtype), c) as tf.Tensor4D),
    image: async (img) => px.applyLuts(img, [INVERT]),
  };
}

/** Posterize as a table: keep the top `bits` bits. */
function posterizeLut(bits: number): Uint8Array {
  return px.lut((x) => x & ~(2 ** (8 - bits) - 1) & 255);
}

export function posterizeOp(bits: number): EditOp {
  const nb = v.intIn('bits', bits, 0, 8);
  return {
    name: 'posterize',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        if (kind === 'uint8') {
          // img & ~(2^(8 - bits) - 1) on 0..255 is floor(img / 2^(8 - bits)) * 2^(8 - bits).
          const step = tf.scalar(2 ** (8 - nb), 'int32');
          return tf.mul(tf.floorDiv(c, step), step) as tf.Tensor4D;
        }
        const levels = 2 ** nb;
        return tf.mul(tf.clipByValue(tf.floor(tf.mul(c, levels)), 0, levels - 1), 1 / levels) as tf.Tensor4D;
      }),
    image: async (img) => px.applyLuts(img, [posterizeLut(nb)]),
  };
}

/** Solarize as a table (threshold checked against the 8-bit range). */
function solarizeLut(t: number): Uint8Array {
  if (t < 0 || t > 255) throw invalidParameterError('threshold', 'number in [0, 255] for 8-bit images and int32 tensors', t);
  const tt = Math.fround(t);
  return px.lut((x) => (x >= tt ? 255 - x : x));
}

export function solarizeOp(threshold: number): EditOp {
  const t = v.finite('threshold', threshold);
  return {
    name: 'solarize',
    tensor: (x, kind) => {
      if (t < 0 || t > boundOf(kind)) {
        const range = kind === 'float' ? 'number in [0, 1] for float images' : 'number in [0, 255] for 8-bit images and int32 tensors';
        throw invalidParameterError('threshold', range, t);
      }
      return colourChannels(x, (c) => {
        const inverted = tf.sub(tf.scalar(boundOf(kind), c.dtype), c);
        return tf.where(tf.greaterEqual(toFloat(c), t), inverted, c) as tf.Tensor4D;
      });
    },
    image: async (img) => px.applyLuts(img, [solarizeLut(t)]),
    // A threshold outside 0..255 has no table: the pixel path reports it.
  };
}

/**
 * Per colour channel tables trunc(clamp(float32((x - min) * scale))) with 0.14's scale float32(float32(1 / (max - min)) * 255)
 * (torch computes 255 / t as t.reciprocal() * 255); identity scale for flat channels. min and max come from the histograms.
 */
function autocontrastLuts(img: RawImage): Uint8Array[] {
  const f32 = Math.fround;
  return px.histograms(img).map((hist) => {
    let lo = 0, hi = 255;
    while (hist[lo] === 0) lo++;
    while (hist[hi] === 0) hi--;
    const range = hi - lo;
    const [l, sc] = range === 0 ? [0, 1] : [lo, f32(f32(1 / range) * 255)];
    return px.lut((x) => { const y = f32(f32(x - l) * sc); return y <= 0 ? 0 : y >= 255 ? 255 : Math.trunc(y); });
  });
}

export function autocontrastOp(): EditOp {
  return {
    name: 'autocontrast',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        const bound = boundOf(kind);
        const fc = toFloat(c);
        const minimum = tf.min(fc, [1, 2], true);
        const maximum = tf.max(fc, [1, 2], true);
        // torchvision 0.14's bound / (max - min), which torch computes as reciprocal(max - min) * bound.
        const scale = tf.mul(tf.reciprocal(tf.sub(maximum, minimum)), bound);
        const degenerate = tf.logicalNot(tf.isFinite(scale));
        const lo = tf.where(degenerate, tf.zerosLike(minimum), minimum);
        const sc = tf.where(degenerate, tf.onesLike(scale), scale);
        const y = tf.clipByValue(tf.mul(tf.sub(fc, lo), sc), 0, bound) as tf.Tensor4D;
        return fromFloatTruncated(y, kind);
      }),
    image: async (img) => px.applyLuts(img, autocontrastLuts(img)),
  };
}

/** torchvision's equalize on int32 0..255 NHWC data (PIL's scheme), per image and channel. */
function equalizeUint8(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = n * c;
  const pixels = h * w;
  // [rows, pixels]: one row per (image, channel).
  const flat = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [rows, pixels]) as tf.Tensor2D;
  const rowBase = tf.mul(tf.range(0, rows, 1, 'int32').reshape([rows, 1]), tf.scalar(256, 'int32'));
  const segments = tf.add(flat, rowBase).reshape([-1]) as tf.Tensor1D;
  // Bincount runs on every backend (UnsortedSegmentSum has no wasm kernel).
  const hist = tf.bincount(segments, tf.tensor1d([], 'int32'), rows * 256).reshape([rows, 256]) as tf.Tensor2D;
  const cum = tf.cumsum(hist, 1);
  // Pixels that are not the row's largest value: PIL's step is their count // 255.
  const maxValue = tf.max(flat, 1, true);
  const maxCount = tf.sum(tf.cast(tf.equal(flat, maxValue), 'int32'), 1, true);
  const step = tf.floorDiv(tf.sub(tf.scalar(pixels, 'int32'), maxCount), tf.scalar(255, 'int32'));
  const safeStep = tf.maximum(step, tf.scalar(1, 'int32'));
  // Non-negative already; minimum, not clipByValue (tfjs-backend-wasm's ClipByValue ignores the bounds on int32).
  const lutTail = tf.minimum(tf.floorDiv(tf.add(tf.slice(cum, [0, 0], [rows, 255]), tf.floorDiv(step, tf.scalar(2, 'int32'))), safeStep), tf.scalar(255, 'int32'));
  const lut = tf.concat([tf.zeros([rows, 1], 'int32'), lutTail], 1);
  const mapped = tf.gather(tf.reshape(lut, [-1]), segments).reshape([rows, pixels]);
  const result = tf.where(tf.broadcastTo(tf.equal(step, 0), [rows, pixels]), flat, mapped);
  return tf.transpose(tf.reshape(result, [n, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D;
}

/** Per colour channel equalize tables (identity where PIL leaves a channel as is). */
function equalizeLuts(img: RawImage): Uint8Array[] {
  const identity = px.lut((x) => x);
  return px.histograms(img).map((h) => px.equalizeLut(h, img.width * img.height) ?? identity);
}

export function equalizeOp(): EditOp {
  return {
    name: 'equalize',
    tensor: (x, kind) =>
      colourChannels(x, (c) => {
        if (kind === 'uint8') return equalizeUint8(c);
        // v2 on float images: to 8-bit with convert_image_dtype (x * 255.999, truncated), equalize, / 255.
        const u8 = tf.cast(tf.mul(tf.clipByValue(c, 0, 1), 255.999), 'int32') as tf.Tensor4D;
        return tf.div(tf.cast(equalizeUint8(u8), 'float32'), 255) as tf.Tensor4D;
      }),
    image: async (img) => px.applyLuts(img, equalizeLuts(img)),
  };
}
