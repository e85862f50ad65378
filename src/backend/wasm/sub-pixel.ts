/**
 * Layout moves of the sub-pixel Conv2DBackpropInput (see conv2d-backprop-input.ts), as single passes
 * over the wasm heap: the filter rearrangement into all-phase sub-kernels, and the final crop.
 */
import type * as tf from '@tensorflow/tfjs';
import { heapF32, newF32 } from './heap.js';

/**
 * The all-phase sub-kernel filter [jh, jw, cout, sh * sw * cin] of a [kh, kw, cin, cout] filter, for
 * strides sh, sw (jh = ceil(kh / sh), jw = ceil(kw / sw)): out[a, b, co, (p, q, ci)] =
 * filter[(jh - 1 - a) * sh + p, (jw - 1 - b) * sw + q, ci, co], zero where that tap is outside the filter.
 */
export function subPixelFilter(backend: unknown, filter: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw);
  const phases = sh * sw * cin;
  const out = newF32(backend, [jh, jw, cout, phases]);
  const src = heapF32(backend, filter), dst = heapF32(backend, out); // views taken after the allocation
  dst.fill(0);
  for (let a = 0; a < jh; a++) {
    for (let p = 0; p < sh; p++) {
      const r = (jh - 1 - a) * sh + p;
      if (r >= kh) continue;
      for (let b = 0; b < jw; b++) {
        for (let q = 0; q < sw; q++) {
          const c = (jw - 1 - b) * sw + q;
          if (c >= kw) continue;
          const from = (r * kw + c) * cin * cout; // filter[r, c, 0, 0]
          const to = (a * jw + b) * cout * phases + (p * sw + q) * cin; // out[a, b, 0, (p, q, 0)]
          for (let ci = 0; ci < cin; ci++) {
            const f = from + ci * cout;
            for (let co = 0, t = to + ci; co < cout; co++, t += phases) dst[t] = src[f + co]!;
          }
        }
      }
    }
  }
  return out;
}

/**
 * One phase's sub-kernel [jh, jw, cout, cin] for strides sh, sw, from the filter with its channel axes
 * swapped, ft [kh, kw, cout, cin] (= filter [kh, kw, cin, cout] transposed once per call):
 * out[a, b] = ft[(jh - 1 - a) * sh + p, (jw - 1 - b) * sw + q], zero outside the filter; one block copy per tap.
 */
export function subPixelPhaseFilter(backend: unknown, ft: tf.TensorInfo, sh: number, sw: number, p: number, q: number): tf.TensorInfo {
  const [kh, kw, cout, cin] = ft.shape as [number, number, number, number];
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw), block = cout * cin;
  const out = newF32(backend, [jh, jw, cout, cin]);
  const src = heapF32(backend, ft), dst = heapF32(backend, out);
  for (let a = 0; a < jh; a++) {
    const r = (jh - 1 - a) * sh + p;
    for (let b = 0; b < jw; b++) {
      const c = (jw - 1 - b) * sw + q, to = (a * jw + b) * block;
      if (r >= kh || c >= kw) dst.fill(0, to, to + block);
      else dst.set(src.subarray((r * kw + c) * block, (r * kw + c + 1) * block), to);
    }
  }
  return out;
}

/** Stack same-shaped buffers along a new leading axis: [parts.length, ...shape]. */
export function stackF32(backend: unknown, parts: tf.TensorInfo[]): tf.TensorInfo {
  const shape = parts[0]!.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = newF32(backend, [parts.length, ...shape]);
  const dst = heapF32(backend, out);
  parts.forEach((part, i) => dst.set(heapF32(backend, part), i * n));
  return out;
}

/** The window [n, h, w, c] of an NHWC map x starting at row `top`, column `left` (one copy per row). */
export function cropNHWC(backend: unknown, x: tf.TensorInfo, top: number, left: number, h: number, w: number): tf.TensorInfo {
  const [n, xh, xw, c] = x.shape as [number, number, number, number];
  const out = newF32(backend, [n, h, w, c]);
  const src = heapF32(backend, x), dst = heapF32(backend, out);
  const rowLen = w * c;
  for (let b = 0, t = 0; b < n; b++) {
    for (let i = 0; i < h; i++, t += rowLen) {
      const s = ((b * xh + top + i) * xw + left) * c;
      dst.set(src.subarray(s, s + rowLen), t);
    }
  }
  return out;
}
