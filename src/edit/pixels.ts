/**
 * 8-bit kernels for EditImage: typed-array loops on HWC pixels computing the tensor kernels' float32
 * formulas step for step (Math.fround), per-value operations as 256-entry tables. Colour kernels copy
 * the alpha of 2- and 4-channel images. With the native addon loaded (src/edit/addon.ts) the loops run
 * in addon/src/pixels.cc and sharpness.cc instead (same bytes, multi-threaded); hue runs here only.
 */
import { outputBuffer, type RawImage } from './core.js';
import { nativeKernels } from './addon.js';
import { invalidParameterError } from '../util/errors.js';

const f32 = Math.fround;
const clampTrunc = (y: number): number => (y <= 0 ? 0 : y >= 255 ? 255 : Math.trunc(y));
/** float32 luma weights, as the scalar multiplies of the tensor kernels see them. */
const W_R = f32(0.2989);
const W_G = f32(0.587);
const W_B = f32(0.114);

/** Number of colour channels (alpha excluded) of an image with c channels. */
const colourCount = (c: number): number => (c === 2 || c === 4 ? c - 1 : c);

/** A copy of img with new data and (optionally) new size / channels. */
function withData(img: RawImage, data: Uint8Array, width = img.width, height = img.height, channels = img.channels): RawImage {
  return { data, width, height, channels };
}

/** Apply one 256-entry table per colour channel (luts[k] for channel k; one table for all when luts has length 1) into a new buffer. */
export function applyLuts(img: RawImage, luts: readonly Uint8Array[]): RawImage {
  const { data, channels: c } = img;
  const out = outputBuffer(data.length);
  const cc = colourCount(c);
  const native = nativeKernels();
  if (native && (luts.length === 1 || luts.length === cc)) {
    let packed = luts[0]!;
    if (luts.length > 1) {
      packed = new Uint8Array(256 * cc);
      luts.forEach((t, k) => packed.set(t.subarray(0, 256), 256 * k));
    }
    native.applyLuts(data, img.width, img.height, c, out, packed);
    return withData(img, out);
  }
  for (let i = 0; i < data.length; i += c) {
    for (let k = 0; k < cc; k++) out[i + k] = luts[luts.length === 1 ? 0 : k]![data[i + k]!]!;
    if (cc < c) out[i + cc] = data[i + cc]!;
  }
  return withData(img, out);
}

/** A table from a function of the 8-bit value. */
export function lut(fn: (x: number) => number): Uint8Array {
  const t = new Uint8Array(256);
  for (let x = 0; x < 256; x++) t[x] = fn(x);
  return t;
}

/** torchvision's _blend of x with a constant `other` (float32): trunc(clamp(f * x + (1 - f) * other)). */
export function blendLut(f: number, other: number): Uint8Array {
  const a = f32(f);
  const b = f32(f32(other) * f32(1 - f));
  return lut((x) => clampTrunc(f32(f32(x * a) + b)));
}

/** The float32 products x * w of the luma weights, as the tensor kernel's scalar multiplies give them. */
const [LR, LG, LB] = [W_R, W_G, W_B].map((w) => Float32Array.from({ length: 256 }, (_, x) => f32(x * w)));
/** floor(float32(float32(R w_r + G w_g) + B w_b)) of the pixel at byte i (the tensor kernel's order). */
const lumaAt = (data: Uint8Array, i: number): number => f32(f32(LR![data[i]!]! + LG![data[i + 1]!]!) + LB![data[i + 2]!]!) | 0;

/** Sum of floor(luma) (3+ channels) or of the value (1-2 channels) over all pixels. */
export function greySum(img: RawImage): number {
  const { data, channels: c } = img;
  let sum = 0;
  for (let i = 0; i < data.length; i += c) sum += c < 3 ? data[i]! : lumaAt(data, i);
  return sum;
}

/** RGB(+alpha) -> luma truncated to 8 bits, with 1 or 3 output colour channels (alpha kept). */
export function grayscalePixels(img: RawImage, outChannels: 1 | 3): RawImage {
  const { data, width, height, channels: c } = img;
  const alpha = c === 2 || c === 4;
  const oc = outChannels + (alpha ? 1 : 0);
  const n = width * height;
  const out = outputBuffer(n * oc);
  const native = nativeKernels();
  if (native) {
    native.grayscale(data, width, height, c, out, outChannels);
    return withData(img, out, width, height, oc as RawImage['channels']);
  }
  for (let p = 0, i = 0, o = 0; p < n; p++, i += c, o += oc) {
    const l = c < 3 ? data[i]! : lumaAt(data, i);
    out[o] = l;
    if (outChannels === 3) { out[o + 1] = l; out[o + 2] = l; }
    if (alpha) out[o + outChannels] = data[i + c - 1]!;
  }
  return withData(img, out, width, height, oc as RawImage['channels']);
}

/** Blend each RGB pixel with its floor(luma) by factor f >= 0 (torchvision's adjust_saturation on uint8). */
export function saturationPixels(img: RawImage, f: number): RawImage {
  const { data, channels: c } = img;
  const out = outputBuffer(data.length);
  const fa = f32(f), fb = f32(1 - f);
  const a = new Float32Array(256), b = new Float32Array(256);
  for (let x = 0; x < 256; x++) { a[x] = f32(x * fa); b[x] = f32(x * fb); }
  // mix[grey << 8 | x] = trunc(clamp(float32(f x + (1 - f) grey))): the whole blend as one 64 K table.
  const mix = new Uint8Array(65536);
  for (let l = 0; l < 256; l++) for (let x = 0; x < 256; x++) mix[(l << 8) | x] = clampTrunc(f32(a[x]! + b[l]!));
  const native = nativeKernels();
  if (native) {
    native.saturation(data, img.width, img.height, c, out, mix);
    return withData(img, out);
  }
  for (let i = 0; i < data.length; i += c) {
    const grey = lumaAt(data, i) << 8;
    for (let k = 0; k < 3; k++) out[i + k] = mix[grey | data[i + k]!]!;
    if (c === 4) out[i + 3] = data[i + 3]!;
  }
  return withData(img, out);
}

/**
 * The integer round(S / 13) of the degenerate image's interior (S: weighted 3x3 sum, 0..3315), as
 * floor((2S + 13) / 26): torchvision's 3x3 blur [1 1 1; 1 5 1; 1 1 1] / 13 of 8-bit values, rounded.
 * S / 13 is never within 1/26 of a .5 (13 is odd), so every float32 summation order rounds to this
 * (test/edit/sharpness.test.ts checks it).
 */
export function roundThirteenth(s: number): number {
  return Math.floor((2 * s + 13) / 26);
}

/**
 * torchvision's adjust_sharpness on 8-bit pixels (factor >= 0): blend each colour value x with the
 * degenerate image d, trunc(clamp(float32(float32(f x) + float32((1 - f) d)))), where d is round(S / 13)
 * of the 3x3 sum S = (8 neighbours) + 5 x inside and x itself on the border rows and columns. Images
 * of height or width <= 2 come back unchanged (copied). Alpha (2 and 4 channels) is copied.
 */
export function sharpnessPixels(img: RawImage, factor: number): RawImage {
  const { data, width: w, height: h, channels: c } = img;
  if (!(Number.isFinite(factor) && factor >= 0)) throw invalidParameterError('sharpnessFactor', 'finite number >= 0', factor);
  const out = outputBuffer(data.length);
  if (h <= 2 || w <= 2) {
    out.set(data);
    return withData(img, out);
  }
  const fa = f32(factor), fb = f32(1 - factor);
  const native = nativeKernels();
  if (native) {
    native.sharpness(data, w, h, c, out, factor);
    return withData(img, out);
  }
  const a = new Float32Array(256), b = new Float32Array(256);
  for (let x = 0; x < 256; x++) { a[x] = f32(x * fa); b[x] = f32(x * fb); }
  // mix[d << 8 | x] = trunc(clamp(float32(f x + (1 - f) d))): the whole blend as one 64 K table.
  const mix = new Uint8Array(65536);
  for (let d = 0; d < 256; d++) for (let x = 0; x < 256; x++) mix[(d << 8) | x] = clampTrunc(f32(a[x]! + b[d]!));
  const row = w * c;
  const cc = colourCount(c);
  const alpha = cc < c;
  // Column sums of three rows (up + centre + down) for the current interior row.
  const col = new Int32Array(row);
  for (let y = 0; y < h; y++) {
    const o = y * row;
    if (y === 0 || y === h - 1) {
      for (let i = o; i < o + row; i++) { const x = data[i]!; out[i] = mix[(x << 8) | x]!; }
    } else {
      const u = o - row, dn = o + row;
      for (let i = 0; i < row; i++) col[i] = data[u + i]! + data[o + i]! + data[dn + i]!;
      // Left and right border pixels keep their own value as d.
      for (let i = o; i < o + c; i++) { const x = data[i]!; out[i] = mix[(x << 8) | x]!; }
      for (let i = o + row - c; i < o + row; i++) { const x = data[i]!; out[i] = mix[(x << 8) | x]!; }
      for (let i = c, end = row - c; i < end; i++) {
        const x = data[o + i]!;
        out[o + i] = mix[(roundThirteenth(col[i - c]! + col[i]! + col[i + c]! + 4 * x) << 8) | x]!;
      }
    }
    if (alpha) for (let i = o + c - 1; i < o + row; i += c) out[i] = data[i]!;
  }
  return withData(img, out);
}

/**
 * Rotate the hue of RGB pixels by hf turns: torchvision's _rgb2hsv / _hsv2rgb in float32 on x / 255,
 * converted back with x * 255.999 truncated (v2's convert_image_dtype).
 */
export function huePixels(img: RawImage, hf: number): RawImage {
  const { data, channels: c } = img;
  const out = outputBuffer(data.length);
  const unit = new Float32Array(256);
  for (let x = 0; x < 256; x++) unit[x] = f32(x / 255);
  const shift = f32(hf);
  const K = f32(255.999);
  const toByte = (y: number) => clampTrunc(f32((y <= 0 ? 0 : y >= 1 ? 1 : y) * K));
  // Photos repeat colours: a direct-mapped cache (colour -> result, 2^16 slots) skips most HSV round trips.
  const cacheKey = new Int32Array(1 << 16).fill(-1);
  const cacheVal = new Int32Array(1 << 16);
  for (let i = 0; i < data.length; i += c) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    const slot = (key ^ (key >>> 11) ^ (key >>> 5)) & 0xffff;
    if (c === 4) out[i + 3] = data[i + 3]!;
    if (cacheKey[slot] === key) {
      const v = cacheVal[slot]!;
      out[i] = v >>> 16; out[i + 1] = (v >>> 8) & 255; out[i + 2] = v & 255;
      continue;
    }
    const r = unit[data[i]!]!, g = unit[data[i + 1]!]!, b = unit[data[i + 2]!]!;
    const maxc = r > g ? (r > b ? r : b) : g > b ? g : b;
    const minc = r < g ? (r < b ? r : b) : g < b ? g : b;
    const eq = maxc === minc;
    const cr = f32(maxc - minc);
    const s = f32(cr / (eq ? 1 : maxc));
    const d = eq ? 1 : cr;
    let h: number;
    if (maxc === r) h = f32(f32(f32(maxc - b) / d) - f32(f32(maxc - g) / d));
    else if (maxc === g) h = f32(f32(f32(f32(maxc - r) / d) + 2) - f32(f32(maxc - b) / d));
    else h = f32(f32(f32(f32(maxc - g) / d) + 4) - f32(f32(maxc - r) / d));
    let hue = f32(f32(h / 6) + 1);
    hue = f32(hue - Math.floor(hue));
    let sh = f32(hue + shift);
    sh = f32(sh - Math.floor(sh));
    // _hsv2rgb
    const h6 = f32(sh * 6);
    const fl = Math.floor(h6);
    const fr = f32(h6 - fl);
    const sector = ((fl % 6) + 6) % 6;
    const val = maxc;
    const p = f32(val * f32(1 - s));
    const q = f32(val * f32(1 - f32(s * fr)));
    const t = f32(val * f32(1 - f32(s * f32(1 - fr))));
    let ro: number, go: number, bo: number;
    switch (sector) {
      case 0: ro = val; go = t; bo = p; break;
      case 1: ro = q; go = val; bo = p; break;
      case 2: ro = p; go = val; bo = t; break;
      case 3: ro = p; go = q; bo = val; break;
      case 4: ro = t; go = p; bo = val; break;
      default: ro = val; go = p; bo = q; break;
    }
    const o0 = toByte(ro), o1 = toByte(go), o2 = toByte(bo);
    out[i] = o0; out[i + 1] = o1; out[i + 2] = o2;
    cacheKey[slot] = key;
    cacheVal[slot] = (o0 << 16) | (o1 << 8) | o2;
  }
  return withData(img, out);
}

/** Per colour channel 256-bin histograms. */
export function histograms(img: RawImage): Float64Array[] {
  const { data, channels: c } = img;
  const cc = colourCount(c);
  const native = nativeKernels();
  if (native) {
    const all = new Float64Array(cc * 256);
    native.histograms(data, img.width, img.height, c, all);
    return Array.from({ length: cc }, (_, k) => all.slice(256 * k, 256 * (k + 1)));
  }
  const hist = Array.from({ length: cc }, () => new Float64Array(256));
  for (let i = 0; i < data.length; i += c) for (let k = 0; k < cc; k++) hist[k]![data[i + k]!]!++;
  return hist;
}

/** PIL's equalize table for one channel's histogram (torchvision's _scale_channel); undefined leaves it as is. */
export function equalizeLut(hist: Float64Array, pixels: number): Uint8Array | undefined {
  let top = 255;
  while (top > 0 && hist[top] === 0) top--;
  const step = Math.floor((pixels - hist[top]!) / 255);
  if (step === 0) return undefined;
  const t = new Uint8Array(256);
  let cum = 0;
  const half = Math.floor(step / 2);
  for (let i = 1; i < 256; i++) {
    cum += hist[i - 1]!;
    const v = Math.floor((cum + half) / step);
    t[i] = v > 255 ? 255 : v;
  }
  return t;
}

/**
 * The pixels at rows[y] x cols[x] of img, where a source index of -1 gives fill (one value per channel,
 * default 0): crops, flips and padding. Rows whose columns are consecutive and inside are one copy.
 */
export function remapPixels(img: RawImage, rows: Int32Array, cols: Int32Array, fill: readonly number[] = []): RawImage {
  const { data, width: w, channels: c } = img;
  const ow = cols.length, row = ow * c, first = cols[0]!;
  const out = outputBuffer(rows.length * row);
  const span = first >= 0 && cols.every((x, i) => x === first + i);
  for (let y = 0; y < rows.length; y++) {
    const sy = rows[y]!, s = sy * w * c, o = y * row;
    if (sy >= 0 && span) {
      out.set(data.subarray(s + first * c, s + first * c + row), o);
      continue;
    }
    for (let x = 0; x < ow; x++) {
      const sx = cols[x]!;
      for (let k = 0; k < c; k++) out[o + x * c + k] = sy < 0 || sx < 0 ? fill[k] ?? 0 : data[s + sx * c + k]!;
    }
  }
  return withData(img, out, ow, rows.length);
}

/** Mirror left-right: each row's pixels in reverse order. */
export function hflipPixels(img: RawImage): RawImage {
  const { data, width: w, height: h, channels: c } = img;
  const native = nativeKernels();
  if (!native) return remapPixels(img, Int32Array.from({ length: h }, (_, i) => i), Int32Array.from({ length: w }, (_, i) => w - 1 - i));
  const out = outputBuffer(data.length);
  native.hflip(data, w, h, c, out);
  return withData(img, out);
}
