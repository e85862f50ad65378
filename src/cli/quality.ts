/**
 * `gankit quality MODEL`: score a generator with the offline quality metric (Fréchet distance on the
 * project's MNIST / Fashion-MNIST classifier features, confidence, diversity), next to the same
 * architecture untrained (its initial weights) and, optionally, real test images.
 *
 *   gankit quality mnist-dcgan
 *   gankit quality runs/mnist --n 2000 --real --json
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/select.js';
import { loadFashionMnist, loadMnist, sampleBatch, disposeBatch } from '../data/index.js';
import { GankitError } from '../util/errors.js';
import { createGan, disposeGan, numClassesOf, sample } from '../gan/index.js';
import { CLASSIFIER_DATASETS, qualityMetrics, type QualityMetrics } from '../gan/metrics.js';
import { PRETRAINED_NAMES } from '../gan/pretrained.js';
import { parseFlags, choiceFlag, intFlag } from './flags.js';
import { loadModelArgument } from './model-argument.js';

type Dataset = (typeof CLASSIFIER_DATASETS)[number];

export const QUALITY_HELP = `Usage: gankit quality MODEL [options]

Score a 28x28 grey generator with the offline quality metric: the Fréchet distance (fd, lower is
better) between the classifier features of N generated images and those of the dataset's test split,
the classifier's mean confidence and the diversity of predicted classes (1..10). The same
architecture with its initial (untrained) weights is scored too, as a baseline.
MODEL is an exported generator folder (model.json, with meta.json for the baseline), a checkpoint
folder (manifest.json, or a gankit train --out folder), or a pretrained name: ${PRETRAINED_NAMES.join(', ')}.

  --dataset D     reference data: ${CLASSIFIER_DATASETS.join(' or ')} (default: the model's own, else mnist)
  --n N           images to generate, integer in [2, 10000] (default 1000)
  --seed N        seed of the noise, an integer (default 0)
  --real          also score N real test images (the best reachable fd)
  --no-baseline   skip the untrained baseline
  --json          print JSON instead of a table
  --backend NAME  tfjs backend: tensorflow-gpu, tensorflow, wasm or cpu
  -h, --help      show this help`;

const OPTIONS = {
  dataset: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, real: { type: 'boolean' },
  'no-baseline': { type: 'boolean' }, json: { type: 'boolean' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Generate n images (labels cycled over the classes for a conditional generator) and score them. */
async function scoreGenerator(generator: tf.LayersModel, n: number, seed: number, dataset: Dataset): Promise<QualityMetrics> {
  const classes = numClassesOf(generator);
  const labels = classes ? Array.from({ length: n }, (_, i) => i % classes) : undefined;
  const images = sample(generator, n, { seed, ...(labels ? { labels } : {}) });
  try {
    return await qualityMetrics(images, { dataset });
  } finally {
    images.dispose();
  }
}

/** Run `gankit quality` with the given arguments; resolves to the exit code. */
export async function runQualityCli(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, 'quality');
  if (v.help) { process.stdout.write(QUALITY_HELP + '\n'); return 0; }
  if (positionals.length !== 1) throw new GankitError(`Expected one MODEL argument but received ${positionals.length} (${positionals.join(' ')}); see gankit quality --help`);
  const datasetFlag = choiceFlag<Dataset>('dataset', v.dataset, CLASSIFIER_DATASETS);
  const n = intFlag('n', v.n, 2, 10000) ?? 1000;
  const seed = intFlag('seed', v.seed, -2147483648, 2147483647) ?? 0;
  await initBackend(v.backend ? { backend: v.backend } : {});

  const { generator, config, dataset: trainedOn } = await loadModelArgument(positionals[0]!);
  const rows: { name: string; metrics: QualityMetrics }[] = [];
  let dataset: Dataset;
  try {
    const shape = generator.outputs[0]!.shape;
    if (shape[1] !== 28 || shape[2] !== 28 || shape[3] !== 1) {
      throw new GankitError(`Expected a generator of 28x28x1 images (the classifiers' input) but ${positionals[0]} makes ${shape.slice(1).join('x')} images`);
    }
    dataset = datasetFlag ?? ((CLASSIFIER_DATASETS as readonly string[]).includes(trainedOn ?? '') ? trainedOn as Dataset : 'mnist');
    rows.push({ name: 'model', metrics: await scoreGenerator(generator, n, seed, dataset) });
  } finally {
    generator.dispose();
  }
  if (!v['no-baseline']) {
    if (!config) {
      process.stderr.write('gankit quality: no GAN config next to the model (meta.json), so no untrained baseline\n');
    } else {
      const gan = createGan(config); // the same architecture and init seed: the run's step 0
      try {
        rows.push({ name: 'untrained', metrics: await scoreGenerator(gan.generator, n, seed, dataset) });
      } finally {
        disposeGan(gan);
      }
    }
  }
  if (v.real) {
    const test = dataset === 'mnist' ? await loadMnist({ split: 'test' }) : await loadFashionMnist({ split: 'test' });
    const batch = sampleBatch(test, Math.min(n, test.size), seed);
    try {
      rows.push({ name: 'real test images', metrics: await qualityMetrics(batch.images, { dataset }) });
    } finally {
      disposeBatch(batch);
    }
  }

  if (v.json) {
    process.stdout.write(JSON.stringify({ model: positionals[0], dataset, n, seed, results: Object.fromEntries(rows.map((r) => [r.name, r.metrics])) }, null, 2) + '\n');
  } else {
    process.stdout.write(`${positionals[0]}: ${n} images against ${dataset} test features\n`);
    process.stdout.write(`${'images'.padEnd(18)}${'fd'.padStart(10)}${'confidence'.padStart(12)}${'diversity'.padStart(11)}\n`);
    for (const r of rows) {
      process.stdout.write(`${r.name.padEnd(18)}${r.metrics.fd.toFixed(2).padStart(10)}${r.metrics.confidence.toFixed(3).padStart(12)}${r.metrics.diversity.toFixed(2).padStart(11)}\n`);
    }
  }
  return 0;
}
