/**
 * qualityMetrics: an offline quality score for 28x28 grey generators (MNIST / Fashion-MNIST), from a
 * small classifier trained on the dataset (models/classifier/<dataset>), FID-style:
 *
 * - fd: Frechet distance between Gaussians fitted to the images' 128 penultimate classifier features
 *   and to those of the dataset's 10000 test images (lower is better; 0 for identical statistics).
 *   Like FID it is biased upwards for small n: compare models at the same n (1000 or more).
 * - confidence: mean over images of the largest class probability, in [0.1, 1] (sharp, recognisable
 *   images score near 1).
 * - diversity: exp(entropy of the mean predicted class distribution), in [1, 10]: 10 when the
 *   predicted classes are spread evenly, 1 when every image looks like the same class (mode collapse).
 *   It is the marginal half of the Inception Score, which is exp(H(mean p) - mean H(p)).
 */
import type * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';
import * as v from '../../util/validate.js';
import { FEATURE_DIM, NUM_CLASSES } from './classifier-model.js';
import {
  CLASSIFIER_DATASETS, classifierOutputs, loadClassifier, referenceStatistics, type ClassifierDataset,
} from './classifier.js';
import { frechetDistance } from './frechet.js';
import { assertClassifierImages } from './images.js';
import { featureStatistics } from './statistics.js';

export interface QualityOptions {
  /** The dataset whose classifier and test statistics to use: 'mnist' or 'fashion-mnist'. */
  dataset: ClassifierDataset;
  /** Images per classifier batch, integer in [1, 4096] (default 256); only memory and speed depend on it. */
  batchSize?: number;
}

export interface QualityMetrics {
  /** Frechet distance to the test split's feature statistics, >= 0 (squared feature units; lower is better). */
  fd: number;
  /** Mean largest class probability, in [0.1, 1] (higher: more recognisable images). */
  confidence: number;
  /** exp(entropy of the mean class distribution), in [1, 10] (higher: classes more evenly covered). */
  diversity: number;
  /** Images predicted as each class (argmax), indexed by class; sums to n. */
  classCounts: number[];
  /** Number of images scored. */
  n: number;
}

const OPTION_KEYS = ['dataset', 'batchSize'];

/**
 * Score generated (or real) images [n >= 2, 28, 28, 1], float32 in [-1, 1], against a dataset:
 * Frechet distance of classifier features, confidence and diversity (see QualityMetrics). Does not
 * dispose `images`.
 */
export async function qualityMetrics(images: tf.Tensor4D, options: QualityOptions): Promise<QualityMetrics> {
  v.options('qualityMetrics options', options, OPTION_KEYS);
  const { dataset, batchSize = 256 } = options ?? {};
  v.oneOf('dataset', dataset, CLASSIFIER_DATASETS);
  v.intIn('batchSize', batchSize, 1, 4096);
  assertClassifierImages(images, 'images', 2);
  const classifier = await loadClassifier(dataset);
  const reference = await referenceStatistics(classifier);
  if (images.isDisposed) throw new GankitError('Expected a live tensor for images but it was disposed while the classifier loaded');
  const { n, features, probs } = await classifierOutputs(classifier, images, batchSize);
  const stats = featureStatistics(features, n, FEATURE_DIM);
  const fd = frechetDistance(stats.mu, stats.sigma, reference.mu, reference.sigma);
  const classCounts = new Array<number>(NUM_CLASSES).fill(0);
  const meanProbs = new Float64Array(NUM_CLASSES);
  let confidence = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 0; k < NUM_CLASSES; k++) {
      const p = probs[i * NUM_CLASSES + k]!;
      meanProbs[k] += p / n;
      if (p > probs[i * NUM_CLASSES + best]!) best = k;
    }
    confidence += probs[i * NUM_CLASSES + best]! / n;
    classCounts[best]!++;
  }
  let total = 0;
  for (const p of meanProbs) total += p;
  let entropy = 0;
  for (const p of meanProbs) if (p > 0) entropy -= (p / total) * Math.log(p / total);
  const diversity = Math.min(Math.max(Math.exp(entropy), 1), NUM_CLASSES);
  return { fd, confidence, diversity, classCounts, n };
}
