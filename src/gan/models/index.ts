/** createGan: build a generator and a discriminator from one validated config. */
import type * as tf from '@tensorflow/tfjs';
import { resolveConfig, type GanConfig, type GanConfigInput } from '../config.js';
import { SeedSequence } from '../init.js';
import { dcganGenerator, dcganDiscriminator } from './dcgan.js';
import { mlpGenerator, mlpDiscriminator } from './mlp.js';
import { conditionalGenerator, conditionalDiscriminator } from './conditional.js';
import { withDisplay, modelsBundle } from '../rich.js';
import { disposeModel, isDisposed, markDisposed, track, trackModel } from '../lifetime.js';

/** A generator, a discriminator and the config they were built from. */
export interface Gan {
  readonly config: GanConfig;
  /** z [n, nz] (and label [n, 1] int32 for 'conditional') -> images [n, size, size, nc] in [-1, 1]. */
  readonly generator: tf.LayersModel;
  /** images [n, size, size, nc] (and label [n, 1]) -> logits [n, 1]; D(x) = sigmoid(logit). */
  readonly discriminator: tf.LayersModel;
}

/** Build G and D for a config (defaults: 28x28 grey DCGAN, nz 100, ngf = ndf = 64, seed 0); same seed, same weights. Renders as both models' tables. */
export function createGan(config: GanConfigInput = {}): Gan {
  const c = resolveConfig(config);
  const seeds = new SeedSequence(c.seed);
  const build = { dcgan: [dcganGenerator, dcganDiscriminator], mlp: [mlpGenerator, mlpDiscriminator], conditional: [conditionalGenerator, conditionalDiscriminator] } as const;
  const [makeG, makeD] = build[c.architecture];
  const gan: Gan = {
    config: c,
    generator: trackModel(makeG(c, seeds), 'generator'),
    discriminator: trackModel(makeD(c, seeds), 'discriminator'),
  };
  const title = `GAN (${c.architecture}, ${c.imageSize}x${c.imageSize}x${c.channels}, latent ${c.latentDim})`;
  withDisplay(gan, () => modelsBundle(title, [gan.generator, gan.discriminator]));
  return track(gan, 'GAN', `(${c.architecture}, ${c.imageSize}x${c.imageSize}x${c.channels})`);
}

/** Free both models' weights; the GAN and its models then raise a DisposedError when used. Disposing again does nothing. */
export function disposeGan(gan: Gan): void {
  if (isDisposed(gan)) return;
  markDisposed(gan, 'disposeGan()');
  disposeModel(gan.generator, 'disposeGan()');
  disposeModel(gan.discriminator, 'disposeGan()');
}

export { dcganGenerator, dcganDiscriminator, mlpGenerator, mlpDiscriminator, conditionalGenerator, conditionalDiscriminator };
