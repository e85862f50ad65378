/**
 * The DCGAN building blocks, each a few tfjs layers with PyTorch's init. Shapes are NHWC: a comment
 * "14 x 14 x ngf" means height 14, width 14, ngf channels (PyTorch writes "ngf x 14 x 14").
 * No conv has a bias where a normalisation follows (as in pytorch/examples dcgan: bias=False).
 */
import * as tf from '@tensorflow/tfjs';
import type { Norm } from '../config.js';
import { SeedSequence, convInit, batchNorm, normLayer } from '../init.js';

type S = tf.SymbolicTensor;

/** Apply a layer to a symbolic tensor (a typed `layer.apply`). */
export function on(layer: tf.layers.Layer, x: S | S[]): S {
  return layer.apply(x) as S;
}

// ---------------------------------------------------------------- generator blocks

/**
 * Project the noise to the first feature map: 1 x 1 x nz -> side x side x filters with a transposed
 * conv whose kernel covers the whole map (PyTorch: ConvTranspose2d(nz, filters, side, 1, 0)), BN, ReLU.
 */
export function project(z: S, filters: number, side: number, seeds: SeedSequence): S {
  let x = on(tf.layers.reshape({ targetShape: [1, 1, z.shape[1] as number], name: 'g_z_as_map' }), z); // 1 x 1 x nz
  x = on(tf.layers.conv2dTranspose({
    filters, kernelSize: side, strides: 1, padding: 'valid', useBias: false, kernelInitializer: convInit(seeds), name: 'g_project',
  }), x); // side x side x filters
  x = on(batchNorm(seeds, 'g_project_bn'), x); // same shape
  return on(tf.layers.reLU({ name: 'g_project_relu' }), x); // same shape
}

/** Upsample 2x: transposed conv 4x4 stride 2 (side doubles) to `filters` channels, BN, ReLU. */
export function up(x: S, filters: number, seeds: SeedSequence, i: number): S {
  x = on(tf.layers.conv2dTranspose({
    filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: `g_up${i}`,
  }), x); // (2 side) x (2 side) x filters
  x = on(batchNorm(seeds, `g_up${i}_bn`), x); // same shape
  return on(tf.layers.reLU({ name: `g_up${i}_relu` }), x); // same shape
}

/** Last upsampling to the image: transposed conv 4x4 stride 2 to `channels`, then tanh: values in [-1, 1]. */
export function toImage(x: S, channels: number, seeds: SeedSequence): S {
  x = on(tf.layers.conv2dTranspose({
    filters: channels, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: convInit(seeds), name: 'g_out',
  }), x); // (2 side) x (2 side) x channels
  return on(tf.layers.activation({ activation: 'tanh', name: 'g_tanh' }), x); // same shape, in [-1, 1]
}

// ---------------------------------------------------------------- discriminator blocks

/**
 * Downsample 2x: conv 4x4 stride 2 (side halves) to `filters` channels, the discriminator's
 * normalisation (none for the first block, as in DCGAN), LeakyReLU(0.2).
 */
export function down(x: S, filters: number, norm: Norm, seeds: SeedSequence, i: number): S {
  x = on(tf.layers.conv2d({
    // No bias in the first block (pytorch/examples: bias=False everywhere) nor before a normalisation;
    // a bias only in hidden blocks of a critic without normalisation ('none').
    filters, kernelSize: 4, strides: 2, padding: 'same', useBias: norm === 'none' && i > 0, kernelInitializer: convInit(seeds), name: `d_down${i}`,
  }), x); // (side / 2) x (side / 2) x filters
  const n = normLayer(norm, seeds, `d_down${i}_${norm}norm`);
  if (n) x = on(n, x); // same shape
  return on(tf.layers.leakyReLU({ alpha: 0.2, name: `d_down${i}_lrelu` }), x); // same shape
}

/** Score: a conv whose kernel covers the whole side x side map -> 1 x 1 x 1, flattened to one logit per image. */
export function score(x: S, side: number, seeds: SeedSequence): S {
  x = on(tf.layers.conv2d({
    filters: 1, kernelSize: side, strides: 1, padding: 'valid', useBias: false, kernelInitializer: convInit(seeds), name: 'd_score',
  }), x); // 1 x 1 x 1
  return on(tf.layers.flatten({ name: 'd_logit' }), x); // 1: the logit; D(x) = sigmoid(logit)
}
