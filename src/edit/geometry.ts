/** Flips, crops and padding: hflip, vflip, crop, centerCrop, pad. */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { dims, type EditOp, type PixelKind, type RawImage } from './core.js';
import { sharpStep } from '../image/raw.js';
import { extractPixels, hflipPixels, vflipPixels } from './pixels.js';
import * as v from '../util/validate.js';

export const hflipOp = (): EditOp => ({
  name: 'hflip',
  tensor: (x) => tf.reverse(x, 2),
  image: async (img) => hflipPixels(img),
});

export const vflipOp = (): EditOp => ({
  name: 'vflip',
  tensor: (x) => tf.reverse(x, 1),
  image: async (img) => vflipPixels(img),
});

/** Padding in pixels: [left, top, right, bottom]. */
type LTRB = [number, number, number, number];

const isZero = (p: LTRB) => p.every((x) => x === 0);

/** Constant padding of an NHWC tensor, one constant per channel. */
function padConstant(x: tf.Tensor4D, [l, t, r, b]: LTRB, fill: number[]): tf.Tensor4D {
  const paddings: [number, number][] = [[0, 0], [t, b], [l, r], [0, 0]];
  if (fill.every((f) => f === fill[0])) return tf.pad(x, paddings, fill[0]);
  const parts = tf.split(x, x.shape[3], 3) as tf.Tensor4D[];
  return tf.concat(parts.map((p, i) => tf.pad(p, paddings, fill[i])), 3);
}

/** Edge padding: repeat the border pixels (gather with clamped indices). */
function padEdge(x: tf.Tensor4D, [l, t, r, b]: LTRB): tf.Tensor4D {
  const { h, w } = dims(x);
  const rows = Int32Array.from({ length: h + t + b }, (_, i) => Math.min(Math.max(i - t, 0), h - 1));
  const cols = Int32Array.from({ length: w + l + r }, (_, i) => Math.min(Math.max(i - l, 0), w - 1));
  return tf.gather(tf.gather(x, rows, 1), cols, 2);
}

export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';
export const PADDING_MODES: readonly PaddingMode[] = ['constant', 'edge', 'reflect', 'symmetric'];

/** Split signed padding into the rows / columns it crops and the padding that remains (both >= 0). */
const splitPadding = (p: LTRB) => ({ crop: p.map((q) => Math.max(-q, 0)) as LTRB, pad: p.map((q) => Math.max(q, 0)) as LTRB });

/** The [top, left, height, width] an image keeps after cropping [left, top, right, bottom]; at least one row and column must remain. */
function keptBox(h: number, w: number, [l, t, r, b]: LTRB, p: LTRB, name: string): [number, number, number, number] {
  if (t + b >= h || l + r >= w) {
    throw new GankitError(`Expected negative padding that leaves at least one row and column of this ${h}x${w} image for ${name} but received [left ${p[0]}, top ${p[1]}, right ${p[2]}, bottom ${p[3]}]`);
  }
  return [t, l, h - t - b, w - l - r];
}

/**
 * torchvision's negative padding crops: 'reflect' mirrors the whole image and then crops (as torch's
 * reflection pad does), the other modes crop first and pad what remains.
 */
function padSigned(x: tf.Tensor4D, kind: PixelKind, p: LTRB, mode: PaddingMode, fill: v.Fill, name: string): tf.Tensor4D {
  const { crop, pad } = splitPadding(p);
  const y = mode === 'reflect' ? padTensor(x, kind, pad, mode, fill, name) : x;
  const { n, h, w, c } = dims(y);
  const [top, left, kh, kw] = keptBox(h, w, crop, p, name);
  const kept = tf.slice(y, [0, top, left, 0], [n, kh, kw, c]);
  return mode === 'reflect' ? kept : padTensor(kept, kind, pad, mode, fill, name);
}

/** Pad an NHWC tensor with torchvision's four modes (negative padding crops); checks reflect/symmetric limits. */
export function padTensor(x: tf.Tensor4D, kind: PixelKind, p: LTRB, mode: PaddingMode, fill: v.Fill, name = 'padding'): tf.Tensor4D {
  if (p.some((q) => q < 0)) return padSigned(x, kind, p, mode, fill, name);
  const { h, w, c } = dims(x);
  if (mode === 'constant') {
    let values = v.fillPerChannel('fill', fill, c, kind === 'uint8');
    if (kind === 'uint8') values = values.map(Math.trunc); // torch casts the pad value to the image dtype
    return isZero(p) ? x : padConstant(x, p, values);
  }
  if (isZero(p)) return x;
  if (mode === 'edge') return padEdge(x, p);
  const [l, t, r, b] = p;
  const limitW = mode === 'reflect' ? w - 1 : w;
  const limitH = mode === 'reflect' ? h - 1 : h;
  if (Math.max(l, r) > limitW || Math.max(t, b) > limitH) {
    throw new GankitError(
      `Expected ${mode} padding of at most ${mode === 'reflect' ? 'the image size - 1' : 'the image size'} ` +
        `(${limitH} rows, ${limitW} columns for this ${h}x${w} image) for ${name} but received [left ${l}, top ${t}, right ${r}, bottom ${b}]`,
    );
  }
  const padded = tf.mirrorPad(x, [[0, 0], [t, b], [l, r], [0, 0]], mode);
  return padded;
}

/** Parse torchvision padding: n (all sides), [leftRight, topBottom] or [left, top, right, bottom]; negative values crop. */
export function parsePadding(name: string, value: unknown): LTRB {
  if (typeof value === 'number') {
    const n = v.integer(name, value);
    return [n, n, n, n];
  }
  if (!Array.isArray(value) || ![1, 2, 4].includes(value.length)) {
    throw invalidParameterError(name, 'integer, or [leftRight, topBottom], or [left, top, right, bottom] of integers (negative values crop)', value);
  }
  const n = value.map((x, i) => v.integer(`${name}[${i}]`, x));
  if (n.length === 1) return [n[0]!, n[0]!, n[0]!, n[0]!];
  if (n.length === 2) return [n[0]!, n[1]!, n[0]!, n[1]!];
  return n as LTRB;
}

/** Native constant/edge/mirror padding via sharp's extend, where it is exactly torchvision's. */
async function padImage(img: RawImage, [l, t, r, b]: LTRB, mode: PaddingMode, fill: v.Fill): Promise<RawImage | undefined> {
  if (mode === 'reflect' || mode === 'symmetric') return undefined;
  const extend = { left: l, top: t, right: r, bottom: b };
  if (mode === 'edge') return sharpStep(img, (s) => s.extend({ ...extend, extendWith: 'copy' }));
  const values = v.fillPerChannel('fill', fill, img.channels, true).map(Math.trunc);
  // sharp's background is RGB(A) with alpha in 0..1: use it only where it is exact (grey needs one value, alpha 0 or 255).
  if (img.channels === 1 || img.channels === 2) return undefined;
  if (img.channels === 4 && values[3] !== 0 && values[3] !== 255) return undefined;
  const background = { r: values[0]!, g: values[1]!, b: values[2]!, alpha: img.channels === 4 ? values[3]! / 255 : 1 };
  return sharpStep(img, (s) => s.extend({ ...extend, background }));
}

export interface PadOptions {
  /** Fill for mode 'constant', in the image's units (0..1 for float tensors, 0..255 otherwise); one value or one per channel. Default 0. */
  fill?: v.Fill;
  /** 'constant' (default), 'edge' (repeat the border), 'reflect' (mirror without the border), 'symmetric' (mirror with it). */
  mode?: PaddingMode;
}

export function padOp(padding: number | readonly number[], options?: PadOptions): EditOp {
  const p = parsePadding('padding', padding);
  const o = v.options('options', options, ['fill', 'mode']);
  const mode = o.mode === undefined ? 'constant' : v.oneOf('options.mode', o.mode, PADDING_MODES);
  const fill = o.fill === undefined ? 0 : v.fill('options.fill', o.fill);
  return {
    name: 'pad',
    size: { param: 'padding', of: (h, w) => [h + p[1] + p[3], w + p[0] + p[2]] },
    tensor: (x, kind) => padTensor(x, kind, p, mode, fill),
    image: async (img) => {
      if (!p.some((q) => q < 0)) return padImage(img, p, mode, fill);
      if (mode === 'reflect') return undefined; // mirrors before cropping: the tensor kernel
      const { crop, pad } = splitPadding(p);
      const kept = extractPixels(img, ...keptBox(img.height, img.width, crop, p, 'padding'));
      return isZero(pad) ? kept : padImage(kept, pad, mode, fill);
    },
  };
}

/** The part of a crop box inside the image and the zero padding around it (torchvision's F_t.crop). */
function cropPlan(h: number, w: number, top: number, left: number, height: number, width: number) {
  const y0 = Math.min(Math.max(top, 0), h);
  const x0 = Math.min(Math.max(left, 0), w);
  const y1 = Math.max(Math.min(top + height, h), y0);
  const x1 = Math.max(Math.min(left + width, w), x0);
  const inner = { top: y0, left: x0, height: y1 - y0, width: x1 - x0 };
  const pad: LTRB = [x0 - left, y0 - top, left + width - x1, top + height - y1];
  if (inner.height === 0 || inner.width === 0) {
    // No overlap: the result is all padding.
    return { inner: undefined, pad };
  }
  return { inner, pad };
}

function checkInside(h: number, w: number, top: number, left: number, height: number, width: number): void {
  if (top < 0 || left < 0 || top + height > h || left + width > w) {
    throw new GankitError(
      `Expected a crop box inside the ${h}x${w} (HxW) image for crop but received top ${top}, left ${left}, height ${height}, width ${width} ` +
        `(rows ${top}..${top + height - 1}, columns ${left}..${left + width - 1}); pass { padOutside: true } to zero-pad like torchvision`,
    );
  }
}

function cropTensor(x: tf.Tensor4D, top: number, left: number, height: number, width: number, padOutside: boolean): tf.Tensor4D {
  const { n, h, w, c } = dims(x);
  if (!padOutside) checkInside(h, w, top, left, height, width);
  const { inner, pad } = cropPlan(h, w, top, left, height, width);
  if (!inner) return tf.zeros([n, height, width, c], x.dtype) as tf.Tensor4D;
  const sliced = tf.slice(x, [0, inner.top, inner.left, 0], [n, inner.height, inner.width, c]);
  return isZero(pad) ? sliced : tf.pad(sliced, [[0, 0], [pad[1], pad[3]], [pad[0], pad[2]], [0, 0]], 0);
}

async function cropImage(img: RawImage, top: number, left: number, height: number, width: number, padOutside: boolean): Promise<RawImage | undefined> {
  if (!padOutside) checkInside(img.height, img.width, top, left, height, width);
  const { inner, pad } = cropPlan(img.height, img.width, top, left, height, width);
  if (!inner) return undefined;
  const cropped = inner.top === 0 && inner.left === 0 && inner.height === img.height && inner.width === img.width
    ? img
    : extractPixels(img, inner.top, inner.left, inner.height, inner.width);
  if (!cropped || isZero(pad)) return cropped;
  return padImage(cropped, pad, 'constant', 0);
}

export interface CropOptions {
  /** Zero-pad where the box leaves the image, like torchvision. Default false: such a box is an error. */
  padOutside?: boolean;
}

/** Parse the crop box and the padOutside option. */
export function cropParams(top: unknown, left: unknown, height: unknown, width: unknown, options: unknown) {
  const t = v.integer('top', top);
  const l = v.integer('left', left);
  const h = v.positiveInt('height', height);
  const w = v.positiveInt('width', width);
  const o = v.options('options', options, ['padOutside']);
  const padOutside = o.padOutside === undefined ? false : v.bool('options.padOutside', o.padOutside);
  return { top: t, left: l, height: h, width: w, padOutside };
}

export function cropOp(top: number, left: number, height: number, width: number, options?: CropOptions): EditOp {
  const p = cropParams(top, left, height, width, options);
  return {
    name: 'crop',
    size: { param: 'height and width', of: () => [p.height, p.width] },
    tensor: (x) => cropTensor(x, p.top, p.left, p.height, p.width, p.padOutside),
    image: (img) => cropImage(img, p.top, p.left, p.height, p.width, p.padOutside),
  };
}

/** torchvision's center_crop: zero-pad when the crop is larger, then crop at round((H - h) / 2), round((W - w) / 2) (half to even). */
function centerPlan(h: number, w: number, ch: number, cw: number): { pad: LTRB; top: number; left: number } {
  const pad: LTRB = [
    cw > w ? Math.floor((cw - w) / 2) : 0,
    ch > h ? Math.floor((ch - h) / 2) : 0,
    cw > w ? Math.floor((cw - w + 1) / 2) : 0,
    ch > h ? Math.floor((ch - h + 1) / 2) : 0,
  ];
  const ph = h + pad[1] + pad[3];
  const pw = w + pad[0] + pad[2];
  return { pad, top: v.roundHalfEven((ph - ch) / 2), left: v.roundHalfEven((pw - cw) / 2) };
}

export function centerCropOp(size: number | readonly number[]): EditOp {
  const [ch, cw] = v.size2('size', size);
  return {
    name: 'centerCrop',
    size: { param: 'size', of: () => [ch, cw] },
    tensor: (x, kind) => {
      const { h, w } = dims(x);
      const { pad, top, left } = centerPlan(h, w, ch, cw);
      const padded = padTensor(x, kind, pad, 'constant', 0);
      return cropTensor(padded, top, left, ch, cw, false);
    },
    image: async (img) => {
      const { pad, top, left } = centerPlan(img.height, img.width, ch, cw);
      const padded = isZero(pad) ? img : await padImage(img, pad, 'constant', 0);
      return padded && cropImage(padded, top, left, ch, cw, false);
    },
  };
}
