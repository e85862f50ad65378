/** Sampling from a generator: plain, truncated, class-conditional, and latent interpolation. */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber, isInteger } from '../util/is.js';

export interface SampleOptions {
  /** Seed of the noise (default: random). */
  seed?: number;
  /** Truncation threshold > 0: noise entries with |z| above it are redrawn (the truncation trick). */
  truncation?: number;
  /** Class labels for a conditional generator: one label for all, or one per sample. */
  labels?: number | number[];
}

function latentDim(generator: tf.LayersModel): number {
  const shape = generator.inputs[0]!.shape;
  return shape[shape.length - 1] as number;
}

function isConditional(generator: tf.LayersModel): boolean {
  return generator.inputs.length === 2;
}

/** Noise [n, dim] ~ N(0, 1), with entries beyond +/-truncation redrawn (seeded). */
export function sampleNoise(n: number, dim: number, seed?: number, truncation?: number): tf.Tensor2D {
  if (!isInteger(n) || n < 1 || n > 65536) throw invalidParameterError('n', 'integer in [1, 65536]', n);
  if (truncation !== undefined && (!isFiniteNumber(truncation) || truncation <= 0)) throw invalidParameterError('truncation', 'positive number', truncation);
  if (truncation === undefined) return tf.randomNormal([n, dim], 0, 1, 'float32', seed);
  // tf.truncatedNormal redraws beyond 2 std; scale a standard normal resampling loop for any threshold.
  return tf.tidy(() => {
    let z = tf.randomNormal([n, dim], 0, 1, 'float32', seed);
    for (let round = 1; round <= 64; round++) {
      const bad = tf.greater(tf.abs(z), truncation);
      if (bad.any().dataSync()[0] === 0) break;
      const fresh = tf.randomNormal([n, dim], 0, 1, 'float32', seed === undefined ? undefined : seed + round * 7919);
      z = tf.where(bad, fresh, z);
    }
    return tf.clipByValue(z, -truncation, truncation) as tf.Tensor2D;
  });
}

function labelTensor(labels: number | number[] | undefined, n: number): tf.Tensor2D {
  const list = labels === undefined ? Array.from({ length: n }, (_, i) => i % 10) : typeof labels === 'number' ? new Array(n).fill(labels) : labels;
  if (list.length !== n) throw new GankitError(`Expected ${n} labels (one per sample) but received ${list.length}`);
  list.forEach((l, i) => { if (!isInteger(l) || l < 0) throw invalidParameterError(`labels[${i}]`, 'integer class index >= 0', l); });
  return tf.tensor2d(list, [n, 1], 'int32');
}

/** Run the generator on noise (and labels) in inference mode; returns NHWC in [-1, 1] (caller disposes). */
export function generate(generator: tf.LayersModel, z: tf.Tensor2D, labels?: number | number[]): tf.Tensor4D {
  if (z.rank !== 2 || z.shape[1] !== latentDim(generator)) {
    throw new GankitError(`Expected noise of shape [n, ${latentDim(generator)}] but received [${z.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const input = isConditional(generator) ? [z, labelTensor(labels, z.shape[0])] : z;
    return generator.apply(input, { training: false }) as tf.Tensor4D;
  });
}

/** Sample n images, NHWC in [-1, 1]; seeded, optionally truncated or class-conditional. */
export function sample(generator: tf.LayersModel, n: number, options: SampleOptions = {}): tf.Tensor4D {
  const z = sampleNoise(n, latentDim(generator), options.seed, options.truncation);
  try {
    return generate(generator, z, options.labels);
  } finally {
    z.dispose();
  }
}

/** Points between two latent vectors: 'linear' or 'spherical' (slerp); t in [0, 1] over `steps` points (>= 2). */
export function interpolate(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number, mode: 'linear' | 'spherical' = 'spherical'): tf.Tensor2D {
  if (!isInteger(steps) || steps < 2 || steps > 1024) throw invalidParameterError('steps', 'integer in [2, 1024]', steps);
  if (mode !== 'linear' && mode !== 'spherical') throw invalidParameterError('mode', "'linear' or 'spherical'", mode);
  if (z0.rank !== 1 || !tf.util.arraysEqual(z0.shape, z1.shape)) throw new GankitError(`Expected two latent vectors of the same shape [d] but received [${z0.shape}] and [${z1.shape}]`);
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    const a = z0.reshape([1, -1]);
    const b = z1.reshape([1, -1]);
    if (mode === 'linear') return tf.add(a, tf.mul(t, tf.sub(b, a))) as tf.Tensor2D;
    const cos = tf.sum(tf.mul(a, b)).div(tf.norm(a).mul(tf.norm(b)).add(1e-12)).clipByValue(-1, 1);
    const omega = tf.acos(cos).dataSync()[0]!;
    if (omega < 1e-6) return tf.add(a, tf.mul(t, tf.sub(b, a))) as tf.Tensor2D; // parallel: slerp = lerp
    const so = Math.sin(omega);
    const wa = tf.sin(tf.mul(tf.sub(1, t), omega)).div(so);
    const wb = tf.sin(tf.mul(t, omega)).div(so);
    return tf.add(tf.mul(wa, a), tf.mul(wb, b)) as tf.Tensor2D;
  });
}

/** Images along a latent path from the seeds `seedA` to `seedB` (NHWC in [-1, 1]). */
export function interpolationImages(generator: tf.LayersModel, seedA: number, seedB: number, steps: number, mode: 'linear' | 'spherical' = 'spherical', labels?: number | number[]): tf.Tensor4D {
  const dim = latentDim(generator);
  const path = tf.tidy(() => interpolate(tf.randomNormal([dim], 0, 1, 'float32', seedA) as tf.Tensor1D, tf.randomNormal([dim], 0, 1, 'float32', seedB) as tf.Tensor1D, steps, mode));
  try {
    return generate(generator, path, labels);
  } finally {
    path.dispose();
  }
}
