/**
 * Transposes composed of the wasm backend's fast ones. Its Transpose kernel runs a plain element loop
 * per output, fast while the moved blocks fit in cache: a 3-D [a, b, c] -> [a, c, b] (a small 2-D
 * transposes) or -> [b, a, c] (block copies) runs at ~1 ns per element, but a large 2-D transpose
 * strides through memory (~6 ns per element on a 64 x 12544 matrix) and so does the 4-D [3, 1, 2, 0].
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelScope } from './kernel-scope.js';

/** Below this many elements (or with rows of <= 256 elements, below LARGE) one pass is as fast. */
const SMALL = 1 << 16;
const LARGE = 1 << 19;

/** The divisor of `n` in [16, 256] closest to 64, or undefined. */
function blockOf(n: number): number | undefined {
  let best: number | undefined;
  for (let d = 16; d <= Math.min(256, n); d++) {
    if (n % d === 0 && (best === undefined || Math.abs(Math.log(d / 64)) < Math.abs(Math.log(best / 64)))) best = d;
  }
  return best;
}

/** x read as a [r, c] matrix, transposed to a fresh [c, r] buffer. */
export function transpose2d(s: KernelScope, x: tf.TensorInfo, r: number, c: number): tf.TensorInfo {
  if (r > 1 && c > 1 && (r * c >= LARGE || (c > 256 && r * c >= SMALL))) {
    const c2 = blockOf(c);
    if (c2 !== undefined && c2 < c) { // [r, c1, c2] -> [c1, r, c2] -> [c1, c2, r]
      const y = s.transpose(s.reshape(x, [r, c / c2, c2]), [1, 0, 2]);
      return s.reshape(s.transpose(y, [0, 2, 1]), [c, r]);
    }
    const r2 = blockOf(r);
    if (r2 !== undefined && r2 < r) { // [r1, r2, c] -> [r1, c, r2] -> [c, r1, r2]
      const y = s.transpose(s.reshape(x, [r / r2, r2, c]), [0, 2, 1]);
      return s.reshape(s.transpose(y, [1, 0, 2]), [c, r]);
    }
  }
  return s.transpose(s.reshape(x, [r, c]), [1, 0]);
}

/** An NHWC map [n, h, w, c] as [c, h, w, n] (batch and channels swapped). */
export function swapBatchChannels(s: KernelScope, x: tf.TensorInfo): tf.TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (n === 1 || c === 1 || n * h * w * c < LARGE) return s.transpose(x, [3, 1, 2, 0]);
  // [n, hw, c] -> [hw, n, c] -> [hw, c, n] -> [c, hw, n]: three cache-friendly passes
  const a = s.transpose(s.reshape(x, [n, h * w, c]), [1, 0, 2]);
  const b = s.transpose(a, [0, 2, 1]);
  return s.reshape(s.transpose(b, [1, 0, 2]), [c, h, w, n]);
}
