/**
 * Train the quality metric's classifier for one dataset and write it, with its metadata and the
 * test split's reference feature statistics, to models/classifier/<dataset>/:
 *
 *   node --import tsx scripts/train-classifier.ts --dataset mnist|fashion-mnist [--epochs N] [--seed S] [--batch-size B] [--out DIR]
 *
 * Inputs are scaled to [-1, 1] like a GAN generator's output. Seeded weight init and batch order.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/backend/select.js';
import { batches, disposeBatch, loadFashionMnist, loadMnist } from '../src/data/index.js';
import { buildClassifier, FEATURE_DIM, FEATURE_LAYER, NUM_CLASSES } from '../src/gan/metrics/classifier-model.js';
import {
  CLASSIFIER_DATASETS, REFERENCE_STATS_FILE, classifierOutputs, computeReferenceStatistics, loadClassifier, testImages,
  type ClassifierDataset,
} from '../src/gan/metrics/classifier.js';
import { encodeStatistics } from '../src/gan/metrics/statistics.js';

const DEFAULT_EPOCHS: Record<ClassifierDataset, number> = { mnist: 3, 'fashion-mnist': 6 };

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '64' }, lr: { type: 'string', default: '0.001' }, out: { type: 'string' },
    'max-batches': { type: 'string' },
  },
});
const dataset = values.dataset as ClassifierDataset;
if (!CLASSIFIER_DATASETS.includes(dataset)) {
  console.error(`--dataset must be one of ${CLASSIFIER_DATASETS.join(', ')}`);
  process.exit(2);
}
const epochs = Number(values.epochs ?? DEFAULT_EPOCHS[dataset]);
const seed = Number(values.seed);
const batchSize = Number(values['batch-size']);
const lr = Number(values.lr);
/** Batches per epoch at most (for a quick smoke run; default: whole epochs). */
const maxBatches = values['max-batches'] === undefined ? Infinity : Number(values['max-batches']);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(values.out ?? path.join(root, 'models', 'classifier', dataset));

const report = await initBackend();
console.log(`backend ${report.backend}; dataset ${dataset}; epochs ${epochs}; batch ${batchSize}; lr ${lr}; seed ${seed}`);
const train = dataset === 'mnist' ? await loadMnist({ split: 'train' }) : await loadFashionMnist({ split: 'train' });
const model = buildClassifier(seed, lr);
const t0 = Date.now();
for (let epoch = 0; epoch < epochs; epoch++) {
  let lossSum = 0;
  let accSum = 0;
  let count = 0;
  for (const batch of batches(train, { batchSize, seed: `${seed}-${epoch}`, range: '-1-1' })) {
    const y = tf.tidy(() => tf.oneHot(batch.labels!, NUM_CLASSES).toFloat());
    const [loss, acc] = (await model.trainOnBatch(batch.images, y)) as number[];
    y.dispose();
    disposeBatch(batch);
    lossSum += loss!; accSum += acc!; count++;
    if (count >= maxBatches) break;
    if (count % 200 === 0) console.log(`epoch ${epoch + 1} batch ${count}: loss ${(lossSum / count).toFixed(4)} acc ${(accSum / count).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`epoch ${epoch + 1}/${epochs}: train loss ${(lossSum / count).toFixed(4)} acc ${(accSum / count).toFixed(4)}`);
}
const trainSeconds = (Date.now() - t0) / 1000;

// Save in TF.js Layers format: model.json + weights.bin.
let files: Record<string, Uint8Array | string> = {};
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
  files = {
    'model.json': JSON.stringify({
      format: 'layers-model', generatedBy: `gankit (TensorFlow.js ${tf.version_core})`, convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }),
    'weights.bin': data,
  };
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
}));
model.dispose();
await fs.mkdir(out, { recursive: true });
await fs.rm(path.join(out, REFERENCE_STATS_FILE), { force: true });
for (const [name, data] of Object.entries(files)) await fs.writeFile(path.join(out, name), data);
const meta = {
  dataset, testAccuracy: 0, testCount: 0, epochs, batchSize, lr, optimizer: 'adam', seed,
  command: `node --import tsx scripts/train-classifier.ts --dataset ${dataset}` + (values.epochs ? ` --epochs ${epochs}` : '') +
    (seed !== 1 ? ` --seed ${seed}` : '') + (batchSize !== 64 ? ` --batch-size ${batchSize}` : '') + (lr !== 0.001 ? ` --lr ${lr}` : ''),
  date: new Date().toISOString(), tfjsVersion: tf.version_core, backend: report.backend, trainSeconds: Math.round(trainSeconds),
  featureLayer: FEATURE_LAYER, featureDim: FEATURE_DIM, inputShape: [28, 28, 1], inputRange: [-1, 1],
  referenceStats: {
    file: REFERENCE_STATS_FILE, split: 'test', count: 10000, dim: FEATURE_DIM, dtype: 'float64', byteOrder: 'little-endian',
    layout: 'mean (dim values) then unbiased covariance (dim x dim, row-major)',
  },
};
await fs.writeFile(path.join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');

// Evaluate the saved model (as loaded back) on the whole test split, then write the reference statistics.
const classifier = await loadClassifier(dataset, { dir: out });
const test = await testImages(dataset);
const { probs, n } = await classifierOutputs(classifier, test.images);
test.images.dispose();
let correct = 0;
for (let i = 0; i < n; i++) {
  let best = 0;
  for (let k = 1; k < NUM_CLASSES; k++) if (probs[i * NUM_CLASSES + k]! > probs[i * NUM_CLASSES + best]!) best = k;
  if (best === test.labels[i]) correct++;
}
meta.testAccuracy = correct / n;
meta.testCount = n;
await fs.writeFile(path.join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
const stats = await computeReferenceStatistics(classifier);
await fs.writeFile(path.join(out, REFERENCE_STATS_FILE), encodeStatistics(stats));
console.log(`test accuracy ${(100 * meta.testAccuracy).toFixed(2)}% (${correct}/${n}); trained in ${trainSeconds.toFixed(0)} s; wrote ${out}`);
