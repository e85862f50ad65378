/**
 * Generator and discriminator builders, after pytorch/examples `dcgan/main.py`, in NHWC.
 * Each layer's comment gives the state size after it (height x width x channels).
 * Discriminators output a logit; D(x) = sigmoid(logit).
 */
import * as tf from '@tensorflow/tfjs';
import { resolveConfig, type GanConfig, type GanConfigInput } from './config.js';
import { SeedSequence, convInit, batchNorm } from './init.js';

export interface Gan {
  config: GanConfig;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
}

/** Build a generator and a discriminator for a config (defaults: 28x28 grey DCGAN, nz 100, ngf = ndf = 64). */
export function createGan(config: GanConfigInput = {}): Gan {
  const c = resolveConfig(config);
  const seeds = new SeedSequence(c.seed);
  const generator = c.architecture === 'mlp' ? mlpGenerator(c, seeds) : dcganGenerator(c, seeds);
  const discriminator = c.architecture === 'mlp' ? mlpDiscriminator(c, seeds) : dcganDiscriminator(c, seeds);
  return { config: c, generator, discriminator };
}

/** Side of the first feature map (7 for 28x28 images, 4 for 32 and 64) and the number of 2x upsamplings. */
function pyramid(imageSize: number): { base: number; steps: number } {
  const base = imageSize === 28 ? 7 : 4;
  return { base, steps: Math.round(Math.log2(imageSize / base)) };
}

/** Noise input, plus a label input embedded and concatenated for conditional GANs. */
function generatorInputs(c: GanConfig, seeds: SeedSequence): { inputs: tf.SymbolicTensor[]; z: tf.SymbolicTensor } {
  const z = tf.input({ shape: [c.latentDim], name: 'z' });
  if (c.architecture !== 'conditional') return { inputs: [z], z };
  const label = tf.input({ shape: [1], dtype: 'int32', name: 'label' });
  const embedded = tf.layers.flatten().apply(
    tf.layers.embedding({ inputDim: c.numClasses, outputDim: 50, embeddingsInitializer: convInit(seeds), name: 'g_label_embedding' }).apply(label),
  ) as tf.SymbolicTensor; // 50
  const joined = tf.layers.concatenate().apply([z, embedded]) as tf.SymbolicTensor; // nz + 50
  return { inputs: [z, label], z: joined };
}

function dcganGenerator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const { base, steps } = pyramid(c.imageSize);
  const { inputs, z } = generatorInputs(c, seeds);
  let width = c.ngf * 2 ** (steps - 1);
  let x = tf.layers.reshape({ targetShape: [1, 1, z.shape[1] as number] }).apply(z) as tf.SymbolicTensor;
  // project: 1 x 1 x nz -> base x base x (ngf * 2^(steps-1)), e.g. 7 x 7 x (ngf*2) for 28x28
  x = tf.layers.conv2dTranspose({
    filters: width, kernelSize: base, strides: 1, padding: 'valid', useBias: false, kernelInitializer: convInit(seeds), name: 'g_project',
  }).apply(x) as tf.SymbolicTensor;
  x = batchNorm(seeds, 'g_project_bn').apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  for (let i = 1; i < steps; i++) {
    width /= 2;
    // upsample 2x: side doubles, width halves, e.g. 14 x 14 x ngf for 28x28
    x = tf.layers.conv2dTranspose({
      filters: width, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: `g_up${i}`,
    }).apply(x) as tf.SymbolicTensor;
    x = batchNorm(seeds, `g_up${i}_bn`).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  }
  // to image: imageSize x imageSize x channels, in [-1, 1]
  x = tf.layers.conv2dTranspose({
    filters: c.channels, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: 'g_out',
  }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'tanh', name: 'g_tanh' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name: 'generator' });
}

/** Image input, plus a label input mapped to one extra image channel for conditional GANs. */
function discriminatorInputs(c: GanConfig, seeds: SeedSequence): { inputs: tf.SymbolicTensor[]; x: tf.SymbolicTensor } {
  const image = tf.input({ shape: [c.imageSize, c.imageSize, c.channels], name: 'image' });
  if (c.architecture !== 'conditional') return { inputs: [image], x: image };
  const label = tf.input({ shape: [1], dtype: 'int32', name: 'label' });
  let plane = tf.layers.flatten().apply(
    tf.layers.embedding({ inputDim: c.numClasses, outputDim: c.imageSize * c.imageSize, embeddingsInitializer: convInit(seeds), name: 'd_label_embedding' }).apply(label),
  ) as tf.SymbolicTensor;
  plane = tf.layers.reshape({ targetShape: [c.imageSize, c.imageSize, 1] }).apply(plane) as tf.SymbolicTensor; // label as a plane
  const x = tf.layers.concatenate().apply([image, plane]) as tf.SymbolicTensor; // imageSize x imageSize x (channels+1)
  return { inputs: [image, label], x };
}

function dcganDiscriminator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const { base, steps } = pyramid(c.imageSize);
  const { inputs, x: input } = discriminatorInputs(c, seeds);
  let width = c.ndf;
  // downsample 2x without BatchNorm: (imageSize/2) x (imageSize/2) x ndf
  let x = tf.layers.conv2d({
    filters: width, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: 'd_down0',
  }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
  for (let i = 1; i < steps; i++) {
    width *= 2;
    // downsample 2x: side halves, width doubles, e.g. 7 x 7 x (ndf*2) for 28x28
    x = tf.layers.conv2d({
      filters: width, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: `d_down${i}`,
    }).apply(x) as tf.SymbolicTensor;
    x = batchNorm(seeds, `d_down${i}_bn`).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
  }
  // score: base x base x width -> 1 x 1 x 1 -> one logit per image
  x = tf.layers.conv2d({
    filters: 1, kernelSize: base, strides: 1, padding: 'valid', useBias: false, kernelInitializer: convInit(seeds), name: 'd_score',
  }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.flatten({ name: 'd_logit' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name: 'discriminator' });
}

function mlpGenerator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const z = tf.input({ shape: [c.latentDim], name: 'z' });
  let x: tf.SymbolicTensor = z;
  for (const [i, units] of [c.ngf * 4, c.ngf * 8, c.ngf * 16].entries()) {
    // hidden layer i: ngf*4, ngf*8, ngf*16 units
    x = tf.layers.dense({ units, kernelInitializer: convInit(seeds), name: `g_dense${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
  }
  const pixels = c.imageSize * c.imageSize * c.channels;
  x = tf.layers.dense({ units: pixels, activation: 'tanh', kernelInitializer: convInit(seeds), name: 'g_out' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.reshape({ targetShape: [c.imageSize, c.imageSize, c.channels] }).apply(x) as tf.SymbolicTensor; // image
  return tf.model({ inputs: z, outputs: out, name: 'generator' });
}

function mlpDiscriminator(c: GanConfig, seeds: SeedSequence): tf.LayersModel {
  const image = tf.input({ shape: [c.imageSize, c.imageSize, c.channels], name: 'image' });
  let x = tf.layers.flatten().apply(image) as tf.SymbolicTensor; // imageSize*imageSize*channels
  for (const [i, units] of [c.ndf * 8, c.ndf * 4].entries()) {
    // hidden layer i: ndf*8, ndf*4 units
    x = tf.layers.dense({ units, kernelInitializer: convInit(seeds), name: `d_dense${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: 1, kernelInitializer: convInit(seeds), name: 'd_logit' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: out, name: 'discriminator' });
}
