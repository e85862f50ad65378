/**
 * rotate, affine and perspective: torchvision's inverse-matrix sampling grid, then torch's
 * grid_sample (align_corners=False, zero padding) with nearest (round half to even) or bilinear
 * taps, and torchvision's fill: a sampled mask blends the fill in (bilinear) or replaces pixels
 * whose mask is below 0.5 (nearest). The grid is computed in JavaScript with float32 rounding at
 * each step, as torch computes it in float32; sampling is a few gathers (pure tensor ops).
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import { dims, fromFloatRounded, outputBuffer, toFloat, type EditOp, type PixelKind, type RawImage } from './core.js';
import { nativeKernels } from './addon.js';
import * as v from '../util/validate.js';

const f32 = Math.fround;
const radians = (deg: number) => deg * (Math.PI / 180);

/**
 * torchvision's _get_inverse_affine_matrix (float64): output pixel -> input pixel, relative to
 * `center` (offset from the image centre). `angle` and `shear` are in degrees as torchvision takes them.
 */
export function inverseAffineMatrix(center: [number, number], angle: number, translate: [number, number], scale: number, shear: [number, number]): number[] {
  const rot = radians(angle);
  const sx = radians(shear[0]);
  const sy = radians(shear[1]);
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((x) => x / scale);
  m[2]! += m[0]! * (-cx - tx) + m[1]! * (-cy - ty);
  m[5]! += m[3]! * (-cx - tx) + m[4]! * (-cy - ty);
  m[2]! += cx;
  m[5]! += cy;
  return m;
}

/** Sampling positions in torch's normalized [-1, 1] grid coordinates, x and y per output pixel, written one output row at a time. */
export interface Grid {
  oh: number;
  ow: number;
  /** Write row i's ow positions into gx, gy. */
  row(i: number, gx: Float32Array, gy: Float32Array): void;
  /** The same grid for the native addon: its float32 coefficients (affine: r00 r10 r20 r01 r11 r21; perspective: c6 c7, then those six); none for a grid of arbitrary positions (elastic), which runs in JavaScript. */
  native?: { perspective: 0 | 1; coef: Float32Array };
}

/** All rows of a grid in two arrays (oh * ow each), for the tensor kernel. */
function fullGrid(grid: Grid): { gx: Float32Array; gy: Float32Array } {
  const { oh, ow } = grid;
  const gx = new Float32Array(oh * ow);
  const gy = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) grid.row(i, gx.subarray(i * ow, (i + 1) * ow), gy.subarray(i * ow, (i + 1) * ow));
  return { gx, gy };
}

/** torchvision's _gen_affine_grid in float32: centred output pixel coordinates through theta, normalized by the input size. */
function affineGrid(matrix: number[], w: number, h: number, ow: number, oh: number): Grid {
  const t = matrix.map(f32);
  const sw = f32(0.5 * w);
  const sh = f32(0.5 * h);
  const r00 = f32(t[0]! / sw), r10 = f32(t[1]! / sw), r20 = f32(t[2]! / sw);
  const r01 = f32(t[3]! / sh), r11 = f32(t[4]! / sh), r21 = f32(t[5]! / sh);
  const row = (i: number, gx: Float32Array, gy: Float32Array) => {
    const y = -oh * 0.5 + 0.5 + i;
    const yx = f32(y * r10), yy = f32(y * r11);
    for (let j = 0; j < ow; j++) {
      const x = -ow * 0.5 + 0.5 + j;
      gx[j] = f32(f32(f32(x * r00) + yx) + r20);
      gy[j] = f32(f32(f32(x * r01) + yy) + r21);
    }
  };
  return { oh, ow, row, native: { perspective: 0, coef: Float32Array.of(r00, r10, r20, r01, r11, r21) } };
}

/** torchvision's _perspective_grid in float32. */
function perspectiveGrid(coeffs: number[], ow: number, oh: number): Grid {
  const c = coeffs.map(f32);
  const sw = f32(0.5 * ow);
  const sh = f32(0.5 * oh);
  const r00 = f32(c[0]! / sw), r10 = f32(c[1]! / sw), r20 = f32(c[2]! / sw);
  const r01 = f32(c[3]! / sh), r11 = f32(c[4]! / sh), r21 = f32(c[5]! / sh);
  const row = (i: number, gx: Float32Array, gy: Float32Array) => {
    const y = i + 0.5;
    const yd = f32(y * c[7]!), yx = f32(y * r10), yy = f32(y * r11);
    for (let j = 0; j < ow; j++) {
      const x = j + 0.5;
      const den = f32(f32(f32(x * c[6]!) + yd) + 1);
      const nx = f32(f32(f32(x * r00) + yx) + r20);
      const ny = f32(f32(f32(x * r01) + yy) + r21);
      gx[j] = f32(f32(nx / den) - 1);
      gy[j] = f32(f32(ny / den) - 1);
    }
  };
  return { oh, ow, row, native: { perspective: 1, coef: Float32Array.of(c[6]!, c[7]!, r00, r10, r20, r01, r11, r21) } };
}

/** Round half to even in float32 (the vectorised round of torch's grid sampler). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torch's grid_sample taps (align_corners=False, zero padding) of the position (ix, iy) in input pixels of a
 * w x h image, into idx / wt: nearest, one tap (round half to even); bilinear, the north-west, north-east,
 * south-west and south-east pixels with float32 weights. A tap outside has weight 0 (and index 0).
 * Returns the float32 sum of the weights (torchvision's fill mask).
 */
function sampleTaps(ix: number, iy: number, w: number, h: number, mode: v.WarpInterpolation, idx: Int32Array, wt: Float32Array): number {
  if (mode === 'nearest') {
    const x = rint(ix), y = rint(iy);
    const inside = x >= 0 && x < w && y >= 0 && y < h;
    idx[0] = inside ? y * w + x : 0;
    return (wt[0] = inside ? 1 : 0);
  }
  const x0 = Math.floor(ix), y0 = Math.floor(iy);
  const we = f32(ix - x0), ea = f32(1 - we), no = f32(iy - y0), so = f32(1 - no);
  let m = 0;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1), y = y0 + (k >> 1);
    const inside = x >= 0 && x < w && y >= 0 && y < h;
    idx[k] = inside ? y * w + x : 0;
    wt[k] = inside ? f32((k >> 1 ? no : so) * (k & 1 ? we : ea)) : 0;
    m = f32(m + wt[k]!);
  }
  return m;
}

/** Grid position g (normalized) -> input pixel coordinate for an axis whose half size is sf (float32). */
const unnormalize = (g: number, sf: number) => f32(f32(f32(g + 1) * sf) - 0.5);

/**
 * torch.nn.functional.grid_sample of an NHWC batch with torchvision's fill: pixels whose mask is below
 * 0.5 (nearest) take the fill, bilinear blends it in by the mask. Returns a float32 batch [N, oh, ow, C].
 */
function gridSample(x: tf.Tensor4D, grid: Grid, mode: v.WarpInterpolation, fill: number[] | undefined): tf.Tensor4D {
  const { n, h, w, c } = dims(x);
  const { oh, ow } = grid;
  const { gx, gy } = fullGrid(grid);
  const count = oh * ow;
  const sfx = f32(w / 2), sfy = f32(h / 2);
  const taps = Array.from({ length: mode === 'nearest' ? 1 : 4 }, () => ({ index: new Int32Array(count), weight: new Float32Array(count) }));
  const mask = new Float32Array(count);
  const idx = new Int32Array(4), wt = new Float32Array(4);
  for (let p = 0; p < count; p++) {
    mask[p] = sampleTaps(unnormalize(gx[p]!, sfx), unnormalize(gy[p]!, sfy), w, h, mode, idx, wt);
    taps.forEach((t, k) => { t.index[p] = idx[k]!; t.weight[p] = wt[k]!; });
  }
  const flat = tf.reshape(toFloat(x), [n, h * w, c]) as tf.Tensor3D;
  // Taps summed in torch's order (a tap outside adds 0).
  let out = taps.map((t) => tf.mul(tf.gather(flat, t.index, 1), tf.tensor3d(t.weight, [1, count, 1]))).reduce((a, b) => tf.add(a, b)) as tf.Tensor3D;
  if (fill) {
    const maskT = tf.tensor3d(mask, [1, count, 1]);
    const fillT = tf.tensor3d(fill, [1, 1, c]);
    out = (mode === 'nearest'
      ? tf.where(tf.less(maskT, 0.5), tf.broadcastTo(fillT, out.shape), out)
      : tf.add(tf.mul(out, maskT), tf.mul(tf.sub(1, maskT), fillT))) as tf.Tensor3D;
  }
  return tf.reshape(out, [n, oh, ow, c]) as tf.Tensor4D;
}

/** Warp with a grid and convert back to the pixel kind (uint8 results are rounded, like torchvision). */
export function warp(x: tf.Tensor4D, kind: PixelKind, grid: Grid, mode: v.WarpInterpolation, fill: v.Fill | undefined): tf.Tensor4D {
  const fillValues = fill === undefined ? undefined : v.fillPerChannel('fill', fill, x.shape[3], kind === 'uint8');
  return fromFloatRounded(gridSample(x, grid, mode, fillValues), kind);
}

/**
 * The same sampling on 8-bit pixels in plain JavaScript, for EditImage (tf's gather is slow on
 * large photos), or in the native addon (addon/src/warp.cc) when it is loaded. Every step is
 * rounded to float32 as in gridSample, so all paths agree exactly.
 */
export function warpRaw(img: RawImage, grid: Grid, mode: v.WarpInterpolation, fill: v.Fill | undefined): RawImage {
  const { width: w, height: h, channels: c, data } = img;
  const fillValues = fill === undefined ? undefined : v.fillPerChannel('fill', fill, c, true).map(f32);
  const { oh, ow } = grid;
  const out = outputBuffer(oh * ow * c);
  const native = grid.native && nativeKernels();
  if (native) {
    native.warp(data, w, h, c, out, ow, oh, grid.native!.perspective, grid.native!.coef, mode === 'bilinear' ? 1 : 0, fillValues && Float32Array.from(fillValues));
    return { data: out, width: ow, height: oh, channels: c };
  }
  const gx = new Float32Array(ow), gy = new Float32Array(ow);
  const idx = new Int32Array(4), wt = new Float32Array(4);
  const sfx = f32(w / 2), sfy = f32(h / 2), taps = mode === 'nearest' ? 1 : 4;
  const toByte = (value: number) => {
    let r = Math.round(value);
    if (r - value === 0.5 && (r & 1) !== 0) r -= 1; // half to even, without the slow `% 1`
    return r <= 0 ? 0 : r >= 255 ? 255 : r;
  };
  for (let p = 0; p < oh * ow; p++) {
    const j = p % ow;
    if (j === 0) grid.row(p / ow, gx, gy);
    const m = sampleTaps(unnormalize(gx[j]!, sfx), unnormalize(gy[j]!, sfy), w, h, mode, idx, wt);
    for (let k = 0; k < c; k++) {
      let acc = 0;
      for (let t = 0; t < taps; t++) if (wt[t]) acc = f32(acc + f32(data[idx[t]! * c + k]! * wt[t]!));
      if (fillValues) acc = mode === 'nearest' ? (m < 0.5 ? fillValues[k]! : acc) : f32(f32(acc * m) + f32(f32(1 - m) * fillValues[k]!));
      out[p * c + k] = toByte(acc);
    }
  }
  return { data: out, width: ow, height: oh, channels: c };
}

/** torchvision's _compute_affine_output_size (float32, 1e-4 tolerance against ceil/floor noise): [ow, oh]. */
function expandedSize(matrix: number[], w: number, h: number): [number, number] {
  const t = matrix.map(f32);
  const pts = [[-0.5 * w, -0.5 * h], [-0.5 * w, 0.5 * h], [0.5 * w, 0.5 * h], [0.5 * w, -0.5 * h]];
  const xs = pts.map(([px, py]) => f32(f32(f32(px! * t[0]!) + f32(py! * t[1]!)) + t[2]!));
  const ys = pts.map(([px, py]) => f32(f32(f32(px! * t[3]!) + f32(py! * t[4]!)) + t[5]!));
  const tol = f32(1e-4);
  const snap = (value: number, shift: number, round: (x: number) => number) => {
    const s = f32(value + f32(shift));
    return round(f32(Math.trunc(f32(s / tol)) * tol));
  };
  const ow = snap(Math.max(...xs), w * 0.5, Math.ceil) - snap(Math.min(...xs), w * 0.5, Math.floor);
  const oh = snap(Math.max(...ys), h * 0.5, Math.ceil) - snap(Math.min(...ys), h * 0.5, Math.floor);
  return [Math.trunc(ow), Math.trunc(oh)];
}

export interface RotateOptions {
  /** 'nearest' (default, as torchvision) or 'bilinear'. */
  interpolation?: v.WarpInterpolation;
  /** Grow the output to hold the whole rotated image (default false: same size as the input). */
  expand?: boolean;
  /** Centre of rotation [x, y] in pixels from the top-left corner (default: the image centre). */
  center?: readonly number[];
  /** Fill outside the rotated image, in the image's units (0..1 float, 0..255 otherwise); default: none (zeros, no mask blending). */
  fill?: v.Fill;
}

const WARP_KEYS = ['interpolation', 'fill', 'center'] as const;

function warpCommon(o: Partial<Record<string, unknown>>) {
  const interpolation = o.interpolation === undefined ? 'nearest' : v.oneOf('options.interpolation', o.interpolation, v.WARP_INTERPOLATIONS);
  const fill = o.fill === undefined ? undefined : v.fill('options.fill', o.fill);
  const center = o.center === undefined ? undefined : v.point('options.center', o.center);
  return { interpolation, fill, center };
}

export function rotateOp(angle: number, options?: RotateOptions): EditOp {
  const a = v.finite('angle', angle);
  const o = v.options('options', options, [...WARP_KEYS, 'expand']);
  const { interpolation, fill, center } = warpCommon(o);
  const expand = o.expand === undefined ? false : v.bool('options.expand', o.expand);
  const matrixFor = (w: number, h: number) => {
    const c: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
    return inverseAffineMatrix(c, -a, [0, 0], 1, [0, 0]);
  };
  const gridFor = (h: number, w: number) => {
    const matrix = matrixFor(w, h);
    const [ow, oh] = expand ? expandedSize(matrix, w, h) : [w, h];
    return affineGrid(matrix, w, h, ow, oh);
  };
  return {
    name: 'rotate',
    size: { param: 'options.expand', of: (h, w) => (expand ? expandedSize(matrixFor(w, h), w, h).reverse() as [number, number] : [h, w]) },
    tensor: (x, kind) => warp(x, kind, gridFor(x.shape[1], x.shape[2]), interpolation, fill),
    image: async (img: RawImage) => warpRaw(img, gridFor(img.height, img.width), interpolation, fill),
  };
}

export interface AffineOptions {
  /** Rotation in degrees, counter-clockwise (like rotate; torchvision's affine turns clockwise). Default 0. */
  angle?: number;
  /** Translation [tx, ty] in pixels, applied after rotation. Default [0, 0]. */
  translate?: readonly number[];
  /** Overall scale, > 0. Default 1. */
  scale?: number;
  /** Shear in degrees: one number (parallel to x) or [sx, sy]. Default 0. */
  shear?: number | readonly number[];
  /** 'nearest' (default) or 'bilinear'. */
  interpolation?: v.WarpInterpolation;
  /** Fill outside the image, in the image's units; default none. */
  fill?: v.Fill;
  /** Centre [x, y] in pixels from the top-left corner; default the image centre. */
  center?: readonly number[];
}

export function affineOp(options?: AffineOptions): EditOp {
  const o = v.options('options', options, [...WARP_KEYS, 'angle', 'translate', 'scale', 'shear']);
  const { interpolation, fill, center } = warpCommon(o);
  const angle = o.angle === undefined ? 0 : v.finite('options.angle', o.angle);
  const translate: [number, number] = o.translate === undefined ? [0, 0] : (v.tuple('options.translate', o.translate, 2, 'finite numbers [tx, ty]').map((t, i) => v.finite(`options.translate[${i}]`, t)) as [number, number]);
  const scale = o.scale === undefined ? 1 : v.positive('options.scale', o.scale);
  const shear = o.shear === undefined ? ([0, 0] as [number, number]) : v.pair('options.shear', o.shear, (s) => [s, 0]);
  if (Array.isArray(o.shear) && o.shear.length === 1) shear[1] = shear[0];
  const gridFor = (h: number, w: number) => {
    const c: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
    return affineGrid(inverseAffineMatrix(c, -angle, translate, scale, shear), w, h, w, h);
  };
  return {
    name: 'affine',
    tensor: (x, kind) => warp(x, kind, gridFor(x.shape[1], x.shape[2]), interpolation, fill),
    image: async (img) => warpRaw(img, gridFor(img.height, img.width), interpolation, fill),
  };
}

/** Solve the 8x8 system of torchvision's _get_perspective_coeffs (exactly, in float64). */
export function perspectiveCoeffs(startpoints: [number, number][], endpoints: [number, number][]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [ex, ey] = endpoints[i]!;
    const [sx, sy] = startpoints[i]!;
    a.push([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]);
    a.push([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]);
    b.push(sx, sy);
  }
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) {
      throw new GankitError(
        'Expected four points in general position (no three on a line) for startpoints and endpoints but they define no perspective transform',
      );
    }
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < 8; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let k = col; k < 8; k++) a[r]![k]! -= factor * a[col]![k]!;
      b[r]! -= factor * b[col]!;
    }
  }
  const out = new Array<number>(8).fill(0);
  for (let r = 7; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < 8; k++) s -= a[r]![k]! * out[k]!;
    out[r] = s / a[r]![r]!;
  }
  return out;
}

export interface PerspectiveOptions {
  /** 'bilinear' (default, as torchvision) or 'nearest'. */
  interpolation?: v.WarpInterpolation;
  /** Fill outside the image, in the image's units; default none. */
  fill?: v.Fill;
}

function corners(name: string, value: unknown): [number, number][] {
  const pts = v.tuple(name, value, 4, 'points [x, y] (top-left, top-right, bottom-right, bottom-left)');
  return pts.map((p, i) => v.point(`${name}[${i}]`, p));
}

export function perspectiveOp(startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[], options?: PerspectiveOptions): EditOp {
  const start = corners('startpoints', startpoints);
  const end = corners('endpoints', endpoints);
  const o = v.options('options', options, ['interpolation', 'fill']);
  const interpolation = o.interpolation === undefined ? 'bilinear' : v.oneOf('options.interpolation', o.interpolation, v.WARP_INTERPOLATIONS);
  const fill = o.fill === undefined ? undefined : v.fill('options.fill', o.fill);
  const coeffs = perspectiveCoeffs(start, end);
  return {
    name: 'perspective',
    tensor: (x, kind) => warp(x, kind, perspectiveGrid(coeffs, x.shape[2], x.shape[1]), interpolation, fill),
    image: async (img) => warpRaw(img, perspectiveGrid(coeffs, img.width, img.height), interpolation, fill),
  };
}
