/**
 * Offline GAN quality metric for MNIST / Fashion-MNIST (see metrics/quality.ts): Frechet distance
 * of classifier features, confidence and diversity, and the exact Frechet distance of two Gaussians.
 */
export {
  loadClassifier, classifierFeatures, classifierDir, referenceStatistics, CLASSIFIER_DATASETS, REFERENCE_STATS_FILE,
  type Classifier, type ClassifierDataset, type ClassifierMeta, type LoadClassifierOptions,
} from './metrics/classifier.js';
export { frechetDistance } from './metrics/frechet.js';
export { featureStatistics, type FeatureStatistics } from './metrics/statistics.js';
export { qualityMetrics, type QualityMetrics, type QualityOptions } from './metrics/quality.js';
export { FEATURE_DIM, FEATURE_LAYER } from './metrics/classifier-model.js';
