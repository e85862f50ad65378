/**
 * DCGAN generator and discriminator after pytorch/examples `dcgan/main.py`, in NHWC, for 28x28
 * (7 -> 14 -> 28), 32x32 (4 -> 8 -> 16 -> 32) and 64x64 (4 -> 8 -> 16 -> 32 -> 64) images.
 * Comments give the state size after each block: height x width x channels. nc = image channels.
 */
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config.js';
import { SeedSequence } from '../init.js';
import { project, up, toImage, down, score } from './blocks.js';

type S = tf.SymbolicTensor;

/** The generator's layers from a noise vector (or noise + label embedding) to an image in [-1, 1]. */
export function dcganGeneratorBody(z: S, c: GanConfig, seeds: SeedSequence): S {
  const { ngf, channels: nc } = c;
  let x: S;
  switch (c.imageSize) {
    case 28:
      x = project(z, ngf * 2, 7, seeds); // 7 x 7 x (ngf*2)
      x = up(x, ngf, seeds, 1); //          14 x 14 x ngf
      return toImage(x, nc, seeds); //      28 x 28 x nc
    case 32:
      x = project(z, ngf * 4, 4, seeds); // 4 x 4 x (ngf*4)
      x = up(x, ngf * 2, seeds, 1); //      8 x 8 x (ngf*2)
      x = up(x, ngf, seeds, 2); //          16 x 16 x ngf
      return toImage(x, nc, seeds); //      32 x 32 x nc
    case 64:
      x = project(z, ngf * 8, 4, seeds); // 4 x 4 x (ngf*8)
      x = up(x, ngf * 4, seeds, 1); //      8 x 8 x (ngf*4)
      x = up(x, ngf * 2, seeds, 2); //      16 x 16 x (ngf*2)
      x = up(x, ngf, seeds, 3); //          32 x 32 x ngf
      return toImage(x, nc, seeds); //      64 x 64 x nc
  }
}

/** The discriminator's layers from an image (or image + label plane) to one logit per image. */
export function dcganDiscriminatorBody(image: S, c: GanConfig, seeds: SeedSequence): S {
  const { ndf, discriminatorNorm: norm } = c;
  let x: S;
  switch (c.imageSize) {
    case 28:
      x = down(image, ndf, 'none', seeds, 0); // 14 x 14 x ndf
      x = down(x, ndf * 2, norm, seeds, 1); //   7 x 7 x (ndf*2)
      return score(x, 7, seeds); //              1: the logit
    case 32:
      x = down(image, ndf, 'none', seeds, 0); // 16 x 16 x ndf
      x = down(x, ndf * 2, norm, seeds, 1); //   8 x 8 x (ndf*2)
      x = down(x, ndf * 4, norm, seeds, 2); //   4 x 4 x (ndf*4)
      return score(x, 4, seeds); //              1: the logit
    case 64:
      x = down(image, ndf, 'none', seeds, 0); // 32 x 32 x ndf
      x = down(x, ndf * 2, norm, seeds, 1); //   16 x 16 x (ndf*2)
      x = down(x, ndf * 4, norm, seeds, 2); //   8 x 8 x (ndf*4)
      x = down(x, ndf * 8, norm, seeds, 3); //   4 x 4 x (ndf*8)
      return score(x, 4, seeds); //              1: the logit
  }
}

/** DCGAN generator: input z [nz], output NHWC images in [-1, 1]. */
export function dcganGenerator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const z = tf.input({ shape: [c.latentDim], name: 'z' }); // nz
  return tf.model({ inputs: z, outputs: dcganGeneratorBody(z, c, seeds), name: 'generator' });
}

/** DCGAN discriminator: input NHWC images, output [n, 1] logits. */
export function dcganDiscriminator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const image = tf.input({ shape: [c.imageSize, c.imageSize, c.channels], name: 'image' }); // size x size x nc
  return tf.model({ inputs: image, outputs: dcganDiscriminatorBody(image, c, seeds), name: 'discriminator' });
}
