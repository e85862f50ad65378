/**
 * The simplest GAN (Goodfellow et al. 2014 style): fully connected generator and discriminator with
 * LeakyReLU(0.2). Widths scale with ngf / ndf (ngf = 64: 256, 512, 1024 hidden units in G).
 */
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config.js';
import { SeedSequence, convInit, normLayer } from '../init.js';
import { on } from './blocks.js';

type S = tf.SymbolicTensor;

/** MLP generator: z [nz] -> dense layers -> NHWC image in [-1, 1]. */
export function mlpGenerator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const pixels = c.imageSize * c.imageSize * c.channels;
  const z = tf.input({ shape: [c.latentDim], name: 'z' }); // nz
  let x: S = z;
  for (const [i, units] of [c.ngf * 4, c.ngf * 8, c.ngf * 16].entries()) {
    x = on(tf.layers.dense({ units, kernelInitializer: convInit(seeds), name: `g_dense${i}` }), x); // units: ngf*4, ngf*8, ngf*16
    x = on(tf.layers.leakyReLU({ alpha: 0.2, name: `g_dense${i}_lrelu` }), x); // same
  }
  x = on(tf.layers.dense({ units: pixels, activation: 'tanh', kernelInitializer: convInit(seeds), name: 'g_out' }), x); // size*size*nc, in [-1, 1]
  const image = on(tf.layers.reshape({ targetShape: [c.imageSize, c.imageSize, c.channels], name: 'g_image' }), x); // size x size x nc
  return tf.model({ inputs: z, outputs: image, name: 'generator' });
}

/** MLP discriminator: NHWC image -> flatten -> dense layers -> [n, 1] logits. */
export function mlpDiscriminator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const image = tf.input({ shape: [c.imageSize, c.imageSize, c.channels], name: 'image' }); // size x size x nc
  let x = on(tf.layers.flatten({ name: 'd_flatten' }), image); // size*size*nc
  for (const [i, units] of [c.ndf * 8, c.ndf * 4].entries()) {
    x = on(tf.layers.dense({ units, kernelInitializer: convInit(seeds), name: `d_dense${i}` }), x); // units: ndf*8, ndf*4
    const n = i > 0 ? normLayer(c.discriminatorNorm, seeds, `d_dense${i}_${c.discriminatorNorm}norm`) : undefined;
    if (n) x = on(n, x); // same
    x = on(tf.layers.leakyReLU({ alpha: 0.2, name: `d_dense${i}_lrelu` }), x); // same
  }
  const logit = on(tf.layers.dense({ units: 1, kernelInitializer: convInit(seeds), name: 'd_logit' }), x); // 1: the logit
  return tf.model({ inputs: image, outputs: logit, name: 'discriminator' });
}
