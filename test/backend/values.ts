import * as tf from '@tensorflow/tfjs';

/** Deterministic pseudo-random values in [-1, 1] from an LCG: the same tensor on every backend. */
export function values(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return tf.tensor(out, shape);
}
