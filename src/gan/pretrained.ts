/**
 * Pretrained generators shipped in `models/pretrained/<name>/` (TF.js Layers model.json +
 * weights.bin + meta.json, made with `gankit train ... --export`; see models/pretrained/README.md).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import type { GanConfig } from './config.js';
import { loadGenerator } from './checkpoint.js';
import { findUpwards } from '../util/paths.js';

/** What a pretrained generator is and how it was made. */
export interface PretrainedInfo {
  /** One line: what it generates. */
  description: string;
  /** The training data: 'mnist' or 'fashion-mnist' (train split, 60000 images). */
  dataset: string;
  /** The GAN's architecture config (as createGan). */
  config: GanConfig;
  /**
   * How it was trained: the gankit command lines (a run stopped with Ctrl-C and continued with
   * --resume, which reproduces an uninterrupted run exactly, has two), total steps, epochs, batch
   * size, loss and learning rate. Losses and wall time are in meta.json.
   */
  training: { commands: readonly string[]; steps: number; epochs: number; batchSize: number; loss: 'bce'; lr: number };
}

const dcgan28 = (architecture: 'dcgan' | 'conditional'): GanConfig => ({
  architecture, imageSize: 28, channels: 1, latentDim: 100, ngf: 32, ndf: 32,
  numClasses: architecture === 'conditional' ? 10 : 0, discriminatorNorm: 'batch', seed: 1,
});

const command = (name: string, dataset: string, arch: string, epochs: number): string =>
  `gankit train --dataset ${dataset} --arch ${arch} --ngf 32 --ndf 32 --epochs ${epochs} --seed 1 --out .cache/train/${name} --export models/pretrained/${name}`;

/** MNIST and Fashion-MNIST: 60000 training images, 937 full batches of 64 per epoch. */
const STEPS_PER_EPOCH = 937;

/** The pretrained generators, by name. */
export const PRETRAINED: Readonly<Record<string, PretrainedInfo>> = Object.freeze({
  'mnist-dcgan': {
    description: '28x28 grey handwritten digits (DCGAN, nz 100, ngf 32), unconditional',
    dataset: 'mnist', config: dcgan28('dcgan'),
    training: { commands: [command('mnist-dcgan', 'mnist', 'dcgan', 3)], steps: 3 * STEPS_PER_EPOCH, epochs: 3, batchSize: 64, loss: 'bce', lr: 2e-4 },
  },
  'fashion-mnist-dcgan': {
    description: '28x28 grey clothing items of Fashion-MNIST (DCGAN, nz 100, ngf 32), unconditional',
    dataset: 'fashion-mnist', config: dcgan28('dcgan'),
    training: {
      // Started for 3 epochs, stopped with Ctrl-C at step 415 and resumed for 2 epochs in total to save
      // time (--resume continues bit-exactly, so this equals one uninterrupted 2-epoch run).
      commands: [
        command('fashion-mnist-dcgan', 'fashion-mnist', 'dcgan', 3),
        'gankit train --out .cache/train/fashion-mnist-dcgan --resume --epochs 2 --export models/pretrained/fashion-mnist-dcgan',
      ],
      steps: 2 * STEPS_PER_EPOCH, epochs: 2, batchSize: 64, loss: 'bce', lr: 2e-4,
    },
  },
  'mnist-conditional': {
    description: '28x28 grey digits of a chosen class 0-9 (conditional DCGAN, nz 100, ngf 32): sample with labels',
    dataset: 'mnist', config: dcgan28('conditional'),
    training: { commands: [command('mnist-conditional', 'mnist', 'conditional', 2)], steps: 2 * STEPS_PER_EPOCH, epochs: 2, batchSize: 64, loss: 'bce', lr: 2e-4 },
  },
});

/** Names of the pretrained generators. */
export const PRETRAINED_NAMES: readonly string[] = Object.freeze(Object.keys(PRETRAINED));

/** Environment variable that overrides the folder holding the pretrained generators. */
export const PRETRAINED_DIR_ENV = 'GANKIT_PRETRAINED_DIR';

/** $GANKIT_PRETRAINED_DIR, else `models/pretrained` above this module (src/gan/ under tsx, dist/src/gan/ when built). */
function pretrainedRoot(): string {
  const env = process.env[PRETRAINED_DIR_ENV];
  if (env) return resolve(env);
  return findUpwards(import.meta.url, join('models', 'pretrained')) ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'pretrained');
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !Object.hasOwn(PRETRAINED, name)) {
    throw invalidParameterError('name', `a pretrained generator name: one of ${PRETRAINED_NAMES.join(', ')}`, name);
  }
}

/** Absolute path of `models/pretrained/<name>/` (the folder holding model.json, weights.bin, meta.json). */
export function pretrainedDir(name: string): string {
  checkName(name);
  return join(pretrainedRoot(), name);
}

/**
 * Load a pretrained generator (a tf.LayersModel: noise [n, 100] (+ labels [n, 1] int32 for
 * 'mnist-conditional') -> images [n, 28, 28, 1] in [-1, 1]); the caller disposes it.
 */
export async function loadPretrained(name: string): Promise<tf.LayersModel> {
  const dir = pretrainedDir(name);
  const missing = ['model.json', 'weights.bin'].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new GankitError(`Pretrained generator '${name}' is incomplete: ${missing.join(' and ')} missing in ${dir} (see models/pretrained/README.md to re-create it)`);
  }
  try {
    return await loadGenerator(dir);
  } catch (e) {
    throw new GankitError(`Pretrained generator '${name}' in ${dir} cannot be loaded (corrupt or mismatched files): ${(e as Error).message}`);
  }
}
