/** The MODEL argument of `gankit sample` and `gankit quality`: an exported, checkpointed or pretrained generator. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import { loadCheckpoint, loadGenerator, type GanConfig } from '../gan/index.js';
import { PRETRAINED, PRETRAINED_NAMES, loadPretrained } from '../gan/pretrained.js';

/** A generator named on the command line, with what is known about it. */
export interface ModelArgument { generator: tf.LayersModel; config?: GanConfig; dataset?: string }

/**
 * Load the generator named by MODEL: an export folder (model.json, with meta.json), a checkpoint (or train
 * --out) folder, or a pretrained name; with its GAN config and training dataset when they are known.
 */
export async function loadModelArgument(model: string): Promise<ModelArgument> {
  if (existsSync(join(model, 'model.json')) || model.endsWith('.json')) {
    const dir = model.endsWith('.json') ? join(model, '..') : model;
    const metaPath = join(dir, 'meta.json');
    const meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) as { config?: GanConfig; dataset?: { name?: string } | string } : {};
    const dataset = typeof meta.dataset === 'string' ? meta.dataset : meta.dataset?.name;
    return { generator: await loadGenerator(model), ...(meta.config ? { config: meta.config } : {}), ...(dataset ? { dataset } : {}) };
  }
  for (const dir of [model, join(model, 'checkpoint')]) {
    if (existsSync(join(dir, 'manifest.json'))) {
      const trainer = await loadCheckpoint(dir);
      trainer.dispose();
      trainer.gan.discriminator.dispose();
      const runPath = join(model, 'run.json');
      const run = existsSync(runPath) ? JSON.parse(readFileSync(runPath, 'utf8')) as { dataset?: string | { name?: string } } : {};
      const dataset = typeof run.dataset === 'string' ? run.dataset : run.dataset?.name;
      return { generator: trainer.gan.generator, config: trainer.gan.config, ...(dataset ? { dataset } : {}) };
    }
  }
  if (Object.hasOwn(PRETRAINED, model)) {
    const info = PRETRAINED[model as keyof typeof PRETRAINED];
    return { generator: await loadPretrained(model), config: info.config, dataset: info.dataset };
  }
  throw new GankitError(
    `Expected an exported generator folder (model.json), a checkpoint folder (manifest.json) or a pretrained name ` +
    `(${PRETRAINED_NAMES.join(', ')}) for MODEL but received ${JSON.stringify(model)}`,
  );
}
