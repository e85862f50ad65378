/** Sampling from a generator: plain, truncated, class-conditional, and latent interpolation (lerp, slerp). */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber, isInteger, isLayersModel } from '../util/is.js';
import * as v from '../util/validate.js';

export interface SampleOptions {
  /** Seed of the noise, an integer (default: random). */
  seed?: number;
  /** Truncation threshold > 0: noise entries with |z| above it are redrawn (the truncation trick). */
  truncation?: number;
  /** Class labels for a conditional generator: one for all samples, or one per sample (default: 0, 1, 2, ... cycling). */
  labels?: number | readonly number[];
}

export type InterpolationMode = 'linear' | 'spherical';

function checkGenerator(generator: unknown): asserts generator is tf.LayersModel {
  if (!isLayersModel(generator)) throw invalidParameterError('generator', 'a tf.LayersModel (e.g. gan.generator)', generator);
}

/** The generator's noise length nz. */
export function latentDimOf(generator: tf.LayersModel): number {
  const shape = generator.inputs[0]!.shape;
  return shape[shape.length - 1] as number;
}

/** Number of classes of a conditional generator (its label embedding's input size), or 0 for an unconditional one. */
export function numClassesOf(generator: tf.LayersModel): number {
  if (generator.inputs.length < 2) return 0;
  const embedding = generator.layers.find((l) => l.getClassName() === 'Embedding');
  return (embedding?.getConfig().inputDim as number | undefined) ?? 0;
}

/** Noise [n, dim] ~ N(0, 1) (seeded), with entries beyond +/-truncation redrawn until all are within it. */
export function sampleNoise(n: number, dim: number, seed?: number, truncation?: number): tf.Tensor2D {
  v.intIn('n', n, 1, 65536);
  v.intIn('dim', dim, 1, 65536);
  if (seed !== undefined) v.integer('seed', seed);
  if (truncation !== undefined) v.check('truncation', truncation, isFiniteNumber(truncation) && truncation > 0, 'positive number');
  if (truncation === undefined) return tf.randomNormal([n, dim], 0, 1, 'float32', seed);
  // Resample |z| > threshold from fresh draws (tf.truncatedNormal only offers a threshold of 2).
  return tf.tidy(() => {
    let z = tf.randomNormal([n, dim], 0, 1, 'float32', seed);
    for (let round = 1; round <= 100; round++) {
      const bad = tf.greater(tf.abs(z), truncation);
      if (bad.any().dataSync()[0] === 0) break;
      const fresh = tf.randomNormal([n, dim], 0, 1, 'float32', seed === undefined ? undefined : seed + round * 7919);
      z = tf.where(bad, fresh, z);
    }
    // With a tiny threshold some entries may still lie beyond it after 100 rounds: clip those.
    return tf.clipByValue(z, -truncation, truncation) as tf.Tensor2D;
  });
}

function labelTensor(generator: tf.LayersModel, labels: number | readonly number[] | undefined, n: number): tf.Tensor2D {
  const classes = numClassesOf(generator);
  const list = labels === undefined
    ? Array.from({ length: n }, (_, i) => i % classes)
    : typeof labels === 'number' ? new Array<number>(n).fill(labels) : labels;
  v.tuple('labels', list, n, 'class labels (one per sample) or one label');
  list.forEach((l, i) => v.check(`labels[${i}]`, l, isInteger(l) && l >= 0 && l < classes, `integer class index in [0, ${classes - 1}]`));
  return tf.tensor2d(list as number[], [n, 1], 'int32');
}

/** Run the generator on noise [n, nz] (and labels) in inference mode; returns NHWC in [-1, 1] (the caller disposes it). */
export function generate(generator: tf.LayersModel, z: tf.Tensor2D, labels?: number | readonly number[]): tf.Tensor4D {
  checkGenerator(generator);
  const dim = latentDimOf(generator);
  if (!(z instanceof tf.Tensor) || z.rank !== 2 || z.shape[1] !== dim) {
    if (!(z instanceof tf.Tensor)) throw invalidParameterError('z', `a tensor of noise [n, ${dim}]`, z);
    throw new GankitError(`Expected noise of shape [n, ${dim}] for z but received shape [${z.shape.join(', ')}]`);
  }
  if (labels !== undefined && numClassesOf(generator) === 0) throw invalidParameterError('labels', 'undefined for an unconditional generator', labels);
  const y = numClassesOf(generator) > 0 ? labelTensor(generator, labels, z.shape[0]) : undefined;
  try {
    return tf.tidy(() => generator.apply(y ? [z, y] : z, { training: false }) as tf.Tensor4D);
  } finally {
    y?.dispose();
  }
}

/** Sample n images, NHWC in [-1, 1]: seeded, optionally truncated, class-conditional via `labels`. */
export function sample(generator: tf.LayersModel, n: number, options: SampleOptions = {}): tf.Tensor4D {
  checkGenerator(generator);
  const { seed, truncation, labels } = v.options('sample options', options, ['seed', 'truncation', 'labels']) as SampleOptions;
  const z = sampleNoise(n, latentDimOf(generator), seed, truncation);
  try {
    return generate(generator, z, labels);
  } finally {
    z.dispose();
  }
}

/**
 * `steps` points from z0 to z1 (t = 0 .. 1 evenly): 'linear' (lerp) or 'spherical' (slerp, White 2016:
 * sin((1-t)w)/sin(w) z0 + sin(tw)/sin(w) z1 with w the angle between them; it avoids the low-norm
 * middle of lerp, which is atypical of N(0, I) in many dimensions).
 */
export function interpolate(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number, mode: InterpolationMode = 'spherical'): tf.Tensor2D {
  v.intIn('steps', steps, 2, 1024);
  v.oneOf('mode', mode, ['linear', 'spherical'] as const);
  if (!(z0 instanceof tf.Tensor) || !(z1 instanceof tf.Tensor) || z0.rank !== 1 || !tf.util.arraysEqual(z0.shape, z1.shape)) {
    throw new GankitError(`Expected two latent vectors of the same shape [d] but received ${describeShape(z0)} and ${describeShape(z1)}`);
  }
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    const a = z0.reshape([1, -1]);
    const b = z1.reshape([1, -1]);
    const lerp = () => tf.add(a, tf.mul(t, tf.sub(b, a))) as tf.Tensor2D;
    if (mode === 'linear') return lerp();
    const [na, nb] = [tf.norm(a).dataSync()[0]!, tf.norm(b).dataSync()[0]!];
    if (na === 0 || nb === 0) return lerp();
    const cos = Math.min(1, Math.max(-1, tf.sum(tf.mul(a, b)).dataSync()[0]! / (na * nb)));
    const omega = Math.acos(cos);
    if (omega < 1e-6) return lerp(); // (anti)parallel within rounding: slerp is lerp
    const so = Math.sin(omega);
    const wa = tf.div(tf.sin(tf.mul(tf.sub(1, t), omega)), so);
    const wb = tf.div(tf.sin(tf.mul(t, omega)), so);
    return tf.add(tf.mul(wa, a), tf.mul(wb, b)) as tf.Tensor2D;
  });
}

function describeShape(z: unknown): string {
  return z instanceof tf.Tensor ? `[${z.shape.join(', ')}]` : typeof z;
}

/** Images along a latent path between the noise of `seedA` and of `seedB` (NHWC in [-1, 1], `steps` images). */
export function interpolationImages(
  generator: tf.LayersModel, seedA: number, seedB: number, steps: number, mode: InterpolationMode = 'spherical', labels?: number | readonly number[],
): tf.Tensor4D {
  checkGenerator(generator);
  const dim = latentDimOf(generator);
  const path = tf.tidy(() => {
    const [a] = tf.unstack(sampleNoise(1, dim, seedA)) as tf.Tensor1D[];
    const [b] = tf.unstack(sampleNoise(1, dim, seedB)) as tf.Tensor1D[];
    return interpolate(a!, b!, steps, mode);
  });
  try {
    return generate(generator, path, labels);
  } finally {
    path.dispose();
  }
}
