/**
 * PyTorch DCGAN weight initialisation (`weights_init` in pytorch/examples dcgan/main.py): conv and
 * dense weights N(0, 0.02), BatchNorm gamma N(1, 0.02) and beta 0. Every initializer gets its own
 * seed from one base seed, so the same seed builds the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { Norm } from './config.js';
import { SampleNorm } from './models/layers.js';

type Initializer = ReturnType<typeof tf.initializers.randomNormal>;

/** Hands out distinct seeds for each layer's initializer from one base seed. */
export class SeedSequence {
  private state: number;
  constructor(seed: number) {
    this.state = (Math.imul(seed | 0, 7919) + 1) >>> 0;
  }
  /** The next seed, an integer in [0, 2^31). */
  take(): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return this.state & 0x7fffffff;
  }
}

/** Conv, transposed-conv, dense and embedding weights ~ N(0, 0.02). */
export function convInit(seeds: SeedSequence): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seeds.take() });
}

/** BatchNorm / LayerNorm scale (gamma) ~ N(1, 0.02). */
export function gammaInit(seeds: SeedSequence): Initializer {
  return tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seeds.take() });
}

/**
 * BatchNorm as in PyTorch: running-statistics momentum 0.1 (Keras counts it the other way: 0.9),
 * epsilon 1e-5, gamma N(1, 0.02), beta 0. Normalises over the batch, per channel.
 */
export function batchNorm(seeds: SeedSequence, name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({
    name, momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaInit(seeds), betaInitializer: 'zeros',
  });
}

/**
 * LayerNorm over all of one sample's features (height, width and channels for conv maps, as in the
 * WGAN-GP critic), per-channel gamma N(1, 0.02) and beta 0, epsilon 1e-5 (see models/layers.ts).
 */
export function layerNorm(seeds: SeedSequence, name: string): tf.layers.Layer {
  return new SampleNorm({ name, epsilon: 1e-5, gammaInitializer: gammaInit(seeds) });
}

/** The discriminator's normalisation layer of a kind, or undefined for 'none'. */
export function normLayer(kind: Norm, seeds: SeedSequence, name: string): tf.layers.Layer | undefined {
  if (kind === 'batch') return batchNorm(seeds, name);
  if (kind === 'layer') return layerNorm(seeds, name);
  return undefined;
}
