import * as tf from '@tensorflow/tfjs';
import type { RealBatch } from '../../src/gan/index.js';

/** Deterministic synthetic "real" batches: blurry blobs in [-1, 1], batch k depends only on k. */
export function* blobs(count: number, batchSize: number, size = 28, channels = 1, from = 0, withLabels = false): Generator<RealBatch> {
  for (let k = from; k < from + count; k++) {
    const images = tf.tidy(() => {
      const noise = tf.randomUniform([batchSize, size / 4, size / 4, channels], -1, 1, 'float32', 1000 + k);
      return tf.image.resizeBilinear(noise as tf.Tensor4D, [size, size]).tanh() as tf.Tensor4D;
    });
    yield withLabels ? { images, labels: tf.tensor1d(Array.from({ length: batchSize }, (_, i) => (i + k) % 10), 'int32') } : images;
  }
}

/** All weights of a model as plain arrays. */
export function weightValues(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync())); // live variables: not disposed
}
