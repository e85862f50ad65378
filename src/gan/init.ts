/** PyTorch DCGAN weight initialisation: conv weights N(0, 0.02), BatchNorm gamma N(1, 0.02), beta 0. */
import * as tf from '@tensorflow/tfjs';

/** Hands out distinct seeds for each layer's initializer from one base seed. */
export class SeedSequence {
  private next: number;
  constructor(seed: number) {
    this.next = (seed * 7919 + 1) >>> 0;
  }
  /** The next seed (a 31-bit integer). */
  take(): number {
    this.next = (Math.imul(this.next, 1103515245) + 12345) >>> 0;
    return this.next & 0x7fffffff;
  }
}

/** Conv and dense weights ~ N(0, 0.02). */
export const convInit = (seeds: SeedSequence) => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seeds.take() });

/** BatchNorm scale ~ N(1, 0.02). */
export const gammaInit = (seeds: SeedSequence) => tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seeds.take() });

/** BatchNorm as in PyTorch: momentum 0.1 (Keras convention 0.9), epsilon 1e-5, gamma N(1, 0.02), beta 0. */
export function batchNorm(seeds: SeedSequence, name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({
    name, momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaInit(seeds), betaInitializer: 'zeros',
  });
}
