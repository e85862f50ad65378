/** Datasets (MNIST, Fashion-MNIST, image folders) as raw uint8 in memory, and tensor mini-batches. */
export {
  createDataset, takeDataset, imageAt,
  type Dataset, type DatasetInit, type ImageShape,
} from './dataset.js';
export {
  parseIdx, readIdxFile, readIdxImages, readIdxLabels, encodeIdx, isGzip,
  type IdxArray, type IdxImages,
} from './idx.js';
export { clearDatasetCache, SPLITS, type Split, type IdxLoadOptions } from './idx-dataset.js';
export { loadMnist, mnistDataDir, MNIST_CLASSES, MNIST_DIR_ENV, type MnistOptions } from './mnist.js';
export {
  loadFashionMnist, fashionMnistDir, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR_ENV, FASHION_MNIST_DEFAULT_DIR,
  type FashionMnistOptions,
} from './fashion.js';
export {
  loadImageFolder, DEFAULT_IMAGE_EXTENSIONS,
  type ImageFolderOptions, type FolderFit, type FolderClasses,
} from './folder.js';
export {
  batches, numBatches, sampleBatch, forEachBatch, disposeBatch, BATCH_RANGES,
  type Batch, type BatchIterable, type BatchOptions, type BatchRange, type SampleBatchOptions,
} from './batches.js';
