import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import type { RealBatch } from '../../src/gan/index.js';
import { canonicalJson } from '../../src/gan/checkpoint.js';

/** Deterministic synthetic "real" batches: smooth blobs in (-1, 1); batch k depends only on k. */
export function* blobs(count: number, batchSize: number, size = 28, channels = 1, from = 0, withLabels = false): Generator<RealBatch> {
  for (let k = from; k < from + count; k++) yield blobBatch(k, batchSize, size, channels, withLabels);
}

/** Batch number k of `blobs` (labels (i + k) % 10 when asked). */
export function blobBatch(k: number, batchSize: number, size = 28, channels = 1, withLabels = false): RealBatch {
  const images = tf.tidy(() => {
    const noise = tf.randomUniform([batchSize, Math.ceil(size / 4), Math.ceil(size / 4), channels], -1, 1, 'float32', 1000 + k);
    return tf.tanh(tf.image.resizeBilinear(noise as tf.Tensor4D, [size, size])) as tf.Tensor4D;
  });
  if (!withLabels) return images;
  return { images, labels: tf.tensor1d(Array.from({ length: batchSize }, (_, i) => (i + k) % 10), 'int32') };
}

/** All weights of a model as plain arrays (trainable and BatchNorm statistics). */
export function weightValues(model: tf.LayersModel): number[][] {
  return model.weights.map((w) => Array.from(w.read().dataSync())); // live variables: not disposed
}

/** Largest absolute difference between two equally shaped lists of arrays. */
export function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((xs, i) => xs.forEach((x, j) => { m = Math.max(m, Math.abs(x - b[i]![j]!)); }));
  return m;
}

/** An optimizer's state as plain arrays (disposes the iteration scalar getWeights() creates). */
export async function optimizerValues(opt: tf.Optimizer): Promise<number[][]> {
  const ws = await opt.getWeights();
  const out = ws.map((w) => Array.from(w.tensor.dataSync()));
  ws[0]!.tensor.dispose();
  return out;
}

/** Recompute a parsed checkpoint manifest's own checksum after editing it (as a tool that rewrites manifests would). */
export function resign(m: Record<string, unknown>): void {
  delete m.manifestSha256;
  m.manifestSha256 = createHash('sha256').update(canonicalJson(m)).digest('hex');
}
