/**
 * The pretrained MNIST / Fashion-MNIST classifiers of the quality metric: loaded once per process
 * from models/classifier/<dataset>/ (found relative to this module, so it works from src/ via tsx
 * and from dist/), with the reference feature statistics of each dataset's test split.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { findUpwards } from '../../util/paths.js';
import { isOneOf, isPlainObject } from '../../util/is.js';
import * as v from '../../util/validate.js';
import { loadFashionMnist, loadMnist, type Dataset } from '../../data/index.js';
import { FEATURE_DIM, FEATURE_LAYER, NUM_CLASSES } from './classifier-model.js';
import { assertClassifierImages } from './images.js';
import { decodeStatistics, featureStatistics, type FeatureStatistics } from './statistics.js';

export const CLASSIFIER_DATASETS = ['mnist', 'fashion-mnist'] as const;
/** Which dataset a classifier was trained on. */
export type ClassifierDataset = (typeof CLASSIFIER_DATASETS)[number];

/** File (in a classifier's directory) holding the test split's feature mean and covariance. */
export const REFERENCE_STATS_FILE = 'test-stats.bin';

/** Contents of a classifier's meta.json (written by scripts/train-classifier.ts). */
export interface ClassifierMeta {
  dataset: ClassifierDataset;
  /** Accuracy on the full test split, in [0, 1]. */
  testAccuracy: number;
  epochs: number;
  seed: number;
  command: string;
  date: string;
  tfjsVersion: string;
  featureLayer: string;
  [key: string]: unknown;
}

/** A loaded classifier: `model` maps images [n, 28, 28, 1] in [-1, 1] to class probabilities [n, 10]. */
export interface Classifier {
  readonly dataset: ClassifierDataset;
  /** The directory it was loaded from. */
  readonly dir: string;
  readonly model: tf.LayersModel;
  /** The same weights with two outputs: [features [n, 128], probabilities [n, 10]]. */
  readonly outputs: tf.LayersModel;
  readonly meta: ClassifierMeta;
}

export interface LoadClassifierOptions {
  /** Directory holding model.json, weights.bin and meta.json (default: models/classifier/<dataset> of the gankit checkout). */
  dir?: string;
}

const cache = new Map<string, Promise<Classifier>>();
const statsCache = new WeakMap<Classifier, Promise<FeatureStatistics>>();

/** The repository root holding models/classifier, searched upwards from this module (src/gan/metrics or dist/src/gan/metrics). */
function modelsRoot(): string {
  const found = findUpwards(import.meta.url, path.join('models', 'classifier'));
  if (found) return found;
  throw new GankitError(
    'Cannot find the classifiers: no models/classifier directory above ' +
      `${path.dirname(fileURLToPath(import.meta.url))}; train one with ` +
      '`node --import tsx scripts/train-classifier.ts --dataset mnist` or pass { dir }',
  );
}

/** Default directory of a dataset's classifier: models/classifier/<dataset> in the gankit checkout. */
export function classifierDir(dataset: ClassifierDataset): string {
  return path.join(modelsRoot(), v.oneOf('dataset', dataset, CLASSIFIER_DATASETS));
}

async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new GankitError(`Cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  if (!isPlainObject(json)) throw new GankitError(`Cannot read ${what} ${file}: not a JSON object`);
  return json;
}

async function readClassifier(dataset: ClassifierDataset, dir: string): Promise<Classifier> {
  const modelFile = path.join(dir, 'model.json');
  const json = await readJson(modelFile, 'classifier');
  const manifest = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] | undefined;
  if (!json.modelTopology || !Array.isArray(manifest)) {
    throw new GankitError(`Cannot read classifier ${modelFile}: not a TF.js Layers model.json (modelTopology or weightsManifest missing)`);
  }
  const meta = (await readJson(path.join(dir, 'meta.json'), 'classifier metadata')) as ClassifierMeta;
  if (meta.dataset !== dataset) throw new GankitError(`Classifier in ${dir} was trained on ${String(meta.dataset)}, not ${dataset}`);
  const specs = manifest.flatMap((g) => g.weights);
  let data: Buffer;
  try {
    data = Buffer.concat(await Promise.all(manifest.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(dir, p)))));
  } catch (e) {
    throw new GankitError(`Cannot read classifier weights in ${dir}: ${(e as Error).message}`);
  }
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (data.length !== expected) throw new GankitError(`Classifier weights in ${dir} have ${data.length} bytes, expected ${expected} (truncated or mismatched)`);
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: new Uint8Array(data).buffer,
  }));
  const featureLayer = typeof meta.featureLayer === 'string' ? meta.featureLayer : FEATURE_LAYER;
  let features: tf.SymbolicTensor;
  try {
    features = model.getLayer(featureLayer).output as tf.SymbolicTensor;
  } catch {
    model.dispose();
    throw new GankitError(`Classifier in ${dir} has no layer named ${featureLayer} (meta.json featureLayer)`);
  }
  const outputs = tf.model({ inputs: model.inputs, outputs: [features, model.outputs[0]!] });
  return Object.freeze({ dataset, dir, model, outputs, meta: Object.freeze(meta) });
}

/**
 * Load the classifier trained on `dataset` ('mnist' or 'fashion-mnist'); cached per directory for
 * the whole process (do not dispose its models).
 */
export function loadClassifier(dataset: ClassifierDataset, options: LoadClassifierOptions = {}): Promise<Classifier> {
  let dir: string;
  try {
    v.oneOf('dataset', dataset, CLASSIFIER_DATASETS);
    const { dir: given } = v.options('loadClassifier options', options, ['dir']);
    if (given !== undefined) v.check('dir', given, typeof given === 'string' && given !== '', 'a directory path');
    dir = path.resolve(options.dir ?? classifierDir(dataset));
  } catch (e) {
    return Promise.reject(e);
  }
  const key = `${dataset}\0${dir}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = readClassifier(dataset, dir);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

/** Check a classifier argument. */
export function assertClassifier(classifier: unknown): asserts classifier is Classifier {
  const c = classifier as Partial<Classifier> | undefined;
  if (typeof c !== 'object' || c === null || !(c.outputs instanceof tf.LayersModel) || !isOneOf(c.dataset, CLASSIFIER_DATASETS)) {
    throw invalidParameterError('classifier', 'a Classifier from loadClassifier()', classifier);
  }
}

function checkBatchSize(batchSize: unknown): number {
  return v.intIn('batchSize', batchSize, 1, 4096);
}

/** Features [n, 128] and class probabilities [n, 10] of images, computed batch by batch, as plain arrays. */
export async function classifierOutputs(
  classifier: Classifier, images: tf.Tensor4D, batchSize = 256,
): Promise<{ n: number; features: Float32Array; probs: Float32Array }> {
  const n = images.shape[0];
  const features = new Float32Array(n * FEATURE_DIM);
  const probs = new Float32Array(n * NUM_CLASSES);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [f, p] = tf.tidy(() => {
      const batch = images.slice([start, 0, 0, 0], [size, -1, -1, -1]);
      return classifier.outputs.predict(batch) as tf.Tensor[];
    }) as [tf.Tensor, tf.Tensor];
    try {
      features.set(await f.data() as Float32Array, start * FEATURE_DIM);
      probs.set(await p.data() as Float32Array, start * NUM_CLASSES);
    } finally {
      f.dispose();
      p.dispose();
    }
  }
  return { n, features, probs };
}

/**
 * Penultimate-layer features [n, 128] (ReLU activations, >= 0) of images [n, 28, 28, 1] in [-1, 1];
 * batchSize in [1, 4096] (default 256). The caller disposes the result.
 */
export function classifierFeatures(classifier: Classifier, images: tf.Tensor4D, batchSize = 256): tf.Tensor2D {
  assertClassifier(classifier);
  assertClassifierImages(images, 'images', 1);
  checkBatchSize(batchSize);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < images.shape[0]; start += batchSize) {
      const batch = images.slice([start, 0, 0, 0], [Math.min(batchSize, images.shape[0] - start), -1, -1, -1]);
      parts.push((classifier.outputs.predict(batch) as tf.Tensor[])[0]!);
    }
    return (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tf.Tensor2D;
  });
}

/** A dataset's test split as images [n, 28, 28, 1] in [-1, 1] (the caller disposes it); `limit` keeps the first n. */
export async function testImages(dataset: ClassifierDataset, limit?: number): Promise<{ images: tf.Tensor4D; labels: Uint8Array | Int32Array; data: Dataset }> {
  const options = limit === undefined ? { split: 'test' as const } : { split: 'test' as const, limit };
  const data = dataset === 'mnist' ? await loadMnist(options) : await loadFashionMnist(options);
  const images = tf.tidy(() => tf.tensor4d(data.images, [data.size, 28, 28, 1], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D);
  return { images, labels: data.labels!, data };
}

/** Compute the feature statistics of a dataset's whole test split (10000 images) with a classifier. */
export async function computeReferenceStatistics(classifier: Classifier): Promise<FeatureStatistics> {
  const { images } = await testImages(classifier.dataset);
  try {
    const { n, features } = await classifierOutputs(classifier, images);
    return featureStatistics(features, n, FEATURE_DIM);
  } finally {
    images.dispose();
  }
}

/**
 * The classifier's reference statistics (mean and covariance of the test split's features), read
 * from test-stats.bin next to the model, or computed from the test split when that file is missing.
 */
export function referenceStatistics(classifier: Classifier): Promise<FeatureStatistics> {
  assertClassifier(classifier);
  let stats = statsCache.get(classifier);
  if (!stats) {
    stats = (async () => {
      const file = path.join(classifier.dir, REFERENCE_STATS_FILE);
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new GankitError(`Cannot read reference statistics ${file}: ${(e as Error).message}`);
        return computeReferenceStatistics(classifier);
      }
      const info = classifier.meta.referenceStats as { count?: number } | undefined;
      return decodeStatistics(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), FEATURE_DIM, info?.count ?? 10000, file);
    })();
    statsCache.set(classifier, stats);
    stats.catch(() => statsCache.delete(classifier));
  }
  return stats;
}
