/** 8-bit raster helpers for display payloads: base64 PNG (via the one encoder), nearest upscaling, colormaps. */
import { encodeRaw } from '../image/encode.js';
import type { RawImage } from '../image/raw.js';

/** Encode a raster as base64 PNG (no `data:` prefix), the form MIME bundles carry. */
export async function pngBase64(r: RawImage): Promise<string> {
  return (await encodeRaw(r, 'png')).toString('base64');
}

/** Stride (>= 1) that brings `n` samples down to at most `max` (every stride-th sample is kept). */
export function strideFor(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, max)));
}

/** Number of samples kept when taking every `stride`-th of `n`. */
export function strided(n: number, stride: number): number {
  return Math.ceil(n / stride);
}

/** Nearest-neighbour upscale by integer factors (fx horizontally, fy vertically). */
export function upscale(r: RawImage, fx: number, fy: number): RawImage {
  if (fx <= 1 && fy <= 1) return r;
  const { width, height, channels: c } = r;
  const w = width * fx;
  const h = height * fy;
  const out = new Uint8Array(w * h * c);
  const row = new Uint8Array(w * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * c;
      for (let k = 0; k < fx; k++) row.set(r.data.subarray(src, src + c), (x * fx + k) * c);
    }
    for (let k = 0; k < fy; k++) out.set(row, ((y * fy + k) * w) * c);
  }
  return { data: out, width: w, height: h, channels: r.channels };
}

/**
 * Integer upscale factors so a small preview is comfortable to look at in a static PNG:
 * the long side grows towards `target` px (never beyond it), the short side to at least `minSide` px.
 */
export function upscaleFactors(width: number, height: number, target = 256, minSide = 16): [number, number] {
  const f = Math.max(1, Math.floor(target / Math.max(width, height)));
  let fx = f;
  let fy = f;
  if (height * fy < minSide) fy = Math.max(fy, Math.min(Math.ceil(minSide / height), Math.floor(target / height)));
  if (width * fx < minSide) fx = Math.max(fx, Math.min(Math.ceil(minSide / width), Math.floor(target / width)));
  return [fx, fy];
}

/** Anchor colours of matplotlib's viridis (t = 0, 0.125, ..., 1), interpolated linearly. */
const VIRIDIS_ANCHORS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** 256-entry RGB lookup table (768 bytes) approximating viridis. */
const VIRIDIS: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  const n = VIRIDIS_ANCHORS.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * n;
    const k = Math.min(n - 1, Math.floor(t));
    const f = t - k;
    const a = VIRIDIS_ANCHORS[k]!;
    const b = VIRIDIS_ANCHORS[k + 1]!;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return lut;
})();

/** Map a value to 0..255 within [lo, hi] (constant range maps to 128; non-finite values to -1). */
function level(v: number, lo: number, hi: number): number {
  if (!Number.isFinite(v)) return -1;
  if (!(hi > lo)) return 128;
  const t = (v - lo) / (hi - lo);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/** Greyscale raster of row-major values within [lo, hi]; NaN/Inf become black. */
export function greyRaster(values: ArrayLike<number>, width: number, height: number, lo: number, hi: number): RawImage {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const l = level(values[i]!, lo, hi);
    data[i] = l < 0 ? 0 : l;
  }
  return { data, width, height, channels: 1 };
}

/** Viridis-coloured raster of row-major values within [lo, hi]; NaN/Inf become magenta. */
export function colormapRaster(values: ArrayLike<number>, width: number, height: number, lo: number, hi: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const l = level(values[i]!, lo, hi);
    if (l < 0) {
      data[i * 3] = 255; data[i * 3 + 1] = 0; data[i * 3 + 2] = 255;
    } else {
      data[i * 3] = VIRIDIS[l * 3]!; data[i * 3 + 1] = VIRIDIS[l * 3 + 1]!; data[i * 3 + 2] = VIRIDIS[l * 3 + 2]!;
    }
  }
  return { data, width, height, channels: 3 };
}

/** Map values in [lo, hi] to bytes 0..255 (rounded, clamped; NaN -> 0), for image previews. */
export function toBytes(values: ArrayLike<number>, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < values.length; i++) {
    const v = ((values[i]! - lo) / span) * 255 + 0.5;
    out[i] = v > 0 ? (v >= 255 ? 255 : Math.trunc(v)) : 0;
  }
  return out;
}

/** A 1x1 transparent PNG, base64: the preview of an empty tensor. */
export const EMPTY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
