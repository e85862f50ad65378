/** im2col of an NHWC map on the wasm heap, for convolution gradients computed as one matrix product. */
import type * as tf from '@tensorflow/tfjs';
import { heapF32, newF32 } from './heap.js';

/**
 * The patches of x [n, h, w, c] a conv with the given geometry reads, as a [n * oh * ow, kh * kw * c]
 * matrix: row (b, i, j), column (a, q, ci) holds x[b, i * sh + a - top, j * sw + q - left, ci], 0 outside x.
 */
export function im2col(backend: unknown, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rowLen = kh * kw * c;
  const out = newF32(backend, [n * oh * ow, rowLen]);
  const src = heapF32(backend, x), dst = heapF32(backend, out); // views taken after the allocation
  const run = kw * c; // one filter row of a patch
  let t = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const x0 = j * sw - left;
        const inside = x0 >= 0 && x0 + kw <= w; // the patch's columns are all in x: rows are contiguous runs
        for (let a = 0; a < kh; a++) {
          const y = i * sh + a - top;
          if (y < 0 || y >= h) { dst.fill(0, t, t + run); t += run; continue; }
          const base = (b * h + y) * w;
          if (inside) {
            for (let k = 0, f = (base + x0) * c; k < run; k++) dst[t++] = src[f + k]!;
            continue;
          }
          for (let q = 0; q < kw; q++) {
            const xx = x0 + q;
            if (xx < 0 || xx >= w) {
              for (let k = 0; k < c; k++) dst[t++] = 0;
            } else {
              for (let k = 0, f = (base + xx) * c; k < c; k++) dst[t++] = src[f + k]!;
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * The inverse scatter of im2col: x [n, h, w, c] (a new buffer) where x[b, y, x, ci] is the float32 sum
 * of the entries of cols [n * oh * ow, kh * kw * c] that im2col would read from there, in row order.
 */
export function col2im(backend: unknown, cols: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const out = newF32(backend, [n, h, w, c]);
  const src = heapF32(backend, cols), dst = heapF32(backend, out);
  dst.fill(0);
  let t = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let a = 0; a < kh; a++) {
          const y = i * sh + a - top;
          if (y < 0 || y >= h) { t += kw * c; continue; }
          const base = (b * h + y) * w;
          for (let q = 0; q < kw; q++, t += c) {
            const xx = j * sw + q - left;
            if (xx < 0 || xx >= w) continue;
            for (let k = 0, f = (base + xx) * c; k < c; k++) dst[f + k] = dst[f + k]! + src[t + k]!;
          }
        }
      }
    }
  }
  return out;
}
