/** Flips, crops and padding: hflip, vflip, crop, centerCrop, pad; on 8-bit images crops, vflip and padding are one index remap (pixels.ts). */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { dims, type EditOp, type PixelKind, type RawImage } from './core.js';
import { hflipPixels, remapPixels } from './pixels.js';
import * as v from '../util/validate.js';

export const hflipOp = (): EditOp => ({
  name: 'hflip',
  tensor: (x) => tf.reverse(x, 2),
  image: async (img) => hflipPixels(img),
});

export const vflipOp = (): EditOp => ({
  name: 'vflip',
  tensor: (x) => tf.reverse(x, 1),
  image: async (img) => remapPixels(img, Int32Array.from({ length: img.height }, (_, i) => img.height - 1 - i), Int32Array.from({ length: img.width }, (_, i) => i)),
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

export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';
export const PADDING_MODES: readonly PaddingMode[] = ['constant', 'edge', 'reflect', 'symmetric'];

/** Split signed padding into the rows / columns it crops and the padding that remains (both >= 0). */
const splitPadding = (p: LTRB) => ({ crop: p.map((q) => Math.max(-q, 0)) as LTRB, pad: p.map((q) => Math.max(q, 0)) as LTRB });

/**
 * Check signed padding of an h x w image as torchvision applies it: 'reflect' mirrors the whole image
 * and then crops, the other modes crop first and pad what remains; at least one row and column must
 * remain, and mirrored padding is at most the (kept) size, minus 1 for 'reflect'.
 */
function checkPadding(h: number, w: number, p: LTRB, mode: PaddingMode, name: string): void {
  const { crop, pad } = splitPadding(p);
  const [l, t, r, b] = pad;
  const mirror = (ih: number, iw: number) => {
    const limitW = mode === 'reflect' ? iw - 1 : iw;
    const limitH = mode === 'reflect' ? ih - 1 : ih;
    if (Math.max(l, r) > limitW || Math.max(t, b) > limitH) {
      throw new GankitError(
        `Expected ${mode} padding of at most ${mode === 'reflect' ? 'the image size - 1' : 'the image size'} ` +
          `(${limitH} rows, ${limitW} columns for this ${ih}x${iw} image) for ${name} but received [left ${l}, top ${t}, right ${r}, bottom ${b}]`,
      );
    }
  };
  if (mode === 'reflect') mirror(h, w);
  const [ph, pw] = mode === 'reflect' ? [h + t + b, w + l + r] : [h, w];
  if (crop[1] + crop[3] >= ph || crop[0] + crop[2] >= pw) {
    throw new GankitError(`Expected negative padding that leaves at least one row and column of this ${ph}x${pw} image for ${name} but received [left ${p[0]}, top ${p[1]}, right ${p[2]}, bottom ${p[3]}]`);
  }
  if (mode === 'symmetric') mirror(h - crop[1] - crop[3], w - crop[0] - crop[2]);
}

/**
 * For each of the n + before + after positions of an axis of n pixels padded (negative: cropped) by
 * before and after: its source index by torchvision's padding mode, or -1 where 'constant' fills.
 */
function padIndex(n: number, before: number, after: number, mode: PaddingMode): Int32Array {
  return Int32Array.from({ length: n + before + after }, (_, i) => {
    const s = i - before;
    if (s >= 0 && s < n) return s;
    if (mode === 'constant') return -1;
    if (mode === 'edge') return s < 0 ? 0 : n - 1;
    if (mode === 'reflect') return s < 0 ? -s : 2 * n - 2 - s;
    return s < 0 ? -s - 1 : 2 * n - 1 - s;
  });
}

/** The constant fill per channel in the image's kind (8-bit values truncated, as torch casts the pad value). */
function fillValues(fill: v.Fill, c: number, kind: PixelKind): number[] {
  const values = v.fillPerChannel('fill', fill, c, kind === 'uint8');
  return kind === 'uint8' ? values.map(Math.trunc) : values;
}

/** Pad an NHWC tensor with torchvision's four modes (negative padding crops); checks the limits. */
function padTensor(x: tf.Tensor4D, kind: PixelKind, p: LTRB, mode: PaddingMode, fill: v.Fill, name = 'padding'): tf.Tensor4D {
  const { h, w, c } = dims(x);
  checkPadding(h, w, p, mode, name);
  if (mode !== 'constant') return tf.gather(tf.gather(x, padIndex(h, p[1], p[3], mode), 1), padIndex(w, p[0], p[2], mode), 2);
  const values = fillValues(fill, c, kind);
  const { crop, pad } = splitPadding(p);
  const kept = isZero(crop) ? x : tf.slice(x, [0, crop[1], crop[0], 0], [-1, h - crop[1] - crop[3], w - crop[0] - crop[2], -1]);
  return isZero(pad) ? kept : padConstant(kept, pad, values);
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

/** The box at (top, left), height x width of an 8-bit image, zero where it leaves the image. */
function cropPixels(img: RawImage, top: number, left: number, height: number, width: number): RawImage {
  return remapPixels(img, padIndex(img.height, -top, top + height - img.height, 'constant'), padIndex(img.width, -left, left + width - img.width, 'constant'));
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
  return padStep(p, mode, o.fill === undefined ? 0 : v.fill('options.fill', o.fill));
}

/** The pad op for parsed padding ([left, top, right, bottom], negative crops), naming `param` in its errors. */
export function padStep(p: LTRB, mode: PaddingMode, fill: v.Fill, param = 'padding'): EditOp {
  return {
    name: 'pad',
    size: { param, of: (h, w) => [h + p[1] + p[3], w + p[0] + p[2]] },
    tensor: (x, kind) => padTensor(x, kind, p, mode, fill, param),
    image: async (img) => {
      checkPadding(img.height, img.width, p, mode, param);
      const fill8 = mode === 'constant' ? fillValues(fill, img.channels, 'uint8') : undefined;
      return remapPixels(img, padIndex(img.height, p[1], p[3], mode), padIndex(img.width, p[0], p[2], mode), fill8);
    },
  };
}

function checkInside(h: number, w: number, top: number, left: number, height: number, width: number): void {
  if (top < 0 || left < 0 || top + height > h || left + width > w) {
    throw new GankitError(
      `Expected a crop box inside the ${h}x${w} (HxW) image for crop but received top ${top}, left ${left}, height ${height}, width ${width} ` +
        `(rows ${top}..${top + height - 1}, columns ${left}..${left + width - 1}); pass { padOutside: true } to zero-pad like torchvision`,
    );
  }
}

/** torchvision's F_t.crop: the box, zero where it leaves the image (negative padding crops, positive pads). */
function cropTensor(x: tf.Tensor4D, kind: PixelKind, top: number, left: number, height: number, width: number, padOutside: boolean): tf.Tensor4D {
  const { n, h, w, c } = dims(x);
  if (!padOutside) checkInside(h, w, top, left, height, width);
  if (top >= h || left >= w || top + height <= 0 || left + width <= 0) return tf.zeros([n, height, width, c], x.dtype) as tf.Tensor4D;
  return padTensor(x, kind, [-left, -top, left + width - w, top + height - h], 'constant', 0);
}

export interface CropOptions {
  /** Zero-pad where the box leaves the image, like torchvision. Default false: such a box is an error. */
  padOutside?: boolean;
}

export function cropOp(top: number, left: number, height: number, width: number, options?: CropOptions): EditOp {
  const p = { top: v.integer('top', top), left: v.integer('left', left), height: v.positiveInt('height', height), width: v.positiveInt('width', width) };
  const o = v.options('options', options, ['padOutside']);
  const padOutside = o.padOutside === undefined ? false : v.bool('options.padOutside', o.padOutside);
  return {
    name: 'crop',
    size: { param: 'height and width', of: () => [p.height, p.width] },
    tensor: (x, kind) => cropTensor(x, kind, p.top, p.left, p.height, p.width, padOutside),
    image: async (img) => {
      if (!padOutside) checkInside(img.height, img.width, p.top, p.left, p.height, p.width);
      return cropPixels(img, p.top, p.left, p.height, p.width);
    },
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
      return cropTensor(padded, kind, top, left, ch, cw, false);
    },
    image: async (img) => {
      const { pad, top, left } = centerPlan(img.height, img.width, ch, cw);
      return cropPixels(img, top - pad[1], left - pad[0], ch, cw);
    },
  };
}
