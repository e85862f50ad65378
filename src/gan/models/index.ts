/** createGan: build a generator and a discriminator from one validated config. */
import type * as tf from '@tensorflow/tfjs';
import { resolveConfig, type GanConfig, type GanConfigInput } from '../config.js';
import { SeedSequence } from '../init.js';
import { dcganGenerator, dcganDiscriminator } from './dcgan.js';
import { mlpGenerator, mlpDiscriminator } from './mlp.js';
import { conditionalGenerator, conditionalDiscriminator } from './conditional.js';

/** A generator, a discriminator and the config they were built from. */
export interface Gan {
  readonly config: GanConfig;
  /** z [n, nz] (and label [n, 1] int32 for 'conditional') -> images [n, size, size, nc] in [-1, 1]. */
  readonly generator: tf.LayersModel;
  /** images [n, size, size, nc] (and label [n, 1]) -> logits [n, 1]; D(x) = sigmoid(logit). */
  readonly discriminator: tf.LayersModel;
}

/** Build G and D for a config (defaults: 28x28 grey DCGAN, nz 100, ngf = ndf = 64, seed 0); same seed, same weights. */
export function createGan(config: GanConfigInput = {}): Gan {
  const c = resolveConfig(config);
  const seeds = new SeedSequence(c.seed);
  switch (c.architecture) {
    case 'dcgan':
      return { config: c, generator: dcganGenerator(c, seeds), discriminator: dcganDiscriminator(c, seeds) };
    case 'mlp':
      return { config: c, generator: mlpGenerator(c, seeds), discriminator: mlpDiscriminator(c, seeds) };
    case 'conditional':
      return { config: c, generator: conditionalGenerator(c, seeds), discriminator: conditionalDiscriminator(c, seeds) };
  }
}

/** Free both models' weights. */
export function disposeGan(gan: Gan): void {
  gan.generator.dispose();
  gan.discriminator.dispose();
}

export { dcganGenerator, dcganDiscriminator, mlpGenerator, mlpDiscriminator, conditionalGenerator, conditionalDiscriminator };
