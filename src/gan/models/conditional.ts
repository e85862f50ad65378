/**
 * Class-conditional DCGAN (Mirza & Osindero 2014, on DCGAN bodies). Both networks take an int32
 * class label of shape [n, 1] as a second input:
 *   G: the label's learned 50-d embedding is concatenated to z;
 *   D: the label's learned size x size embedding is concatenated to the image as one more channel.
 */
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config.js';
import { SeedSequence, convInit } from '../init.js';
import { on } from './blocks.js';
import { dcganGeneratorBody, dcganDiscriminatorBody } from './dcgan.js';

/** Length of the label embedding concatenated to z in the generator. */
export const LABEL_EMBEDDING = 50;

/** Conditional generator: inputs z [nz] and label [1] (int32), output NHWC images in [-1, 1]. */
export function conditionalGenerator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const z = tf.input({ shape: [c.latentDim], name: 'z' }); // nz
  const label = tf.input({ shape: [1], dtype: 'int32', name: 'label' }); // 1 class index
  let e = on(tf.layers.embedding({
    inputDim: c.numClasses, outputDim: LABEL_EMBEDDING, embeddingsInitializer: convInit(seeds), name: 'g_label_embedding',
  }), label); // 1 x 50
  e = on(tf.layers.flatten({ name: 'g_label_flat' }), e); // 50
  const joined = on(tf.layers.concatenate({ name: 'g_z_label' }), [z, e]); // nz + 50
  return tf.model({ inputs: [z, label], outputs: dcganGeneratorBody(joined, c, seeds), name: 'generator' });
}

/** Conditional discriminator: inputs NHWC image and label [1] (int32), output [n, 1] logits. */
export function conditionalDiscriminator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const s = c.imageSize;
  const image = tf.input({ shape: [s, s, c.channels], name: 'image' }); // size x size x nc
  const label = tf.input({ shape: [1], dtype: 'int32', name: 'label' }); // 1 class index
  let plane = on(tf.layers.embedding({
    inputDim: c.numClasses, outputDim: s * s, embeddingsInitializer: convInit(seeds), name: 'd_label_embedding',
  }), label); // 1 x (size*size)
  plane = on(tf.layers.reshape({ targetShape: [s, s, 1], name: 'd_label_plane' }), plane); // size x size x 1
  const joined = on(tf.layers.concatenate({ name: 'd_image_label' }), [image, plane]); // size x size x (nc+1)
  return tf.model({ inputs: [image, label], outputs: dcganDiscriminatorBody(joined, c, seeds), name: 'discriminator' });
}
