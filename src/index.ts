/**
 * gankit: GAN image generation and image editing on TensorFlow.js and sharp.
 * The public API: what the README, docs/ and the notebooks teach. Internals stay importable from
 * their modules for tests; test/api.test.ts lists these names, so an addition is deliberate.
 */
// Backends and errors
export { initBackend, BACKEND_NAMES, type BackendName, type BackendReport, type InitBackendOptions } from './backend/select.js';
export { startWasmBackend } from './backend/wasm/threads.js';
export { GankitError } from './util/errors.js';

// Image files and tensors
export {
  decodeImage, encodeImage, loadImage, loadImages, writeImage, makeGrid, saveImage,
  type DecodeImageOptions, type EncodeImageOptions, type WriteImageOptions, type MakeGridOptions, type SaveImageOptions,
  type ImageFormat, type ImageRange, type ChannelCount,
} from './image/index.js';

// Display in the notebook
export {
  display, createDisplay, showTensor, showImages, showPlot, showModel, imageGrid, plot, tensorView,
  tensorBundle, imagesBundle, plotBundle, modelBundle, exploreLatent,
  kernelSignal, shouldStop, checkInterrupt, onInterrupt, InterruptedError,
  type DisplayOptions, type DisplayHandle, type ImageGrid, type Plot, type TensorView,
  type TensorBundleOptions, type ImagesBundleOptions, type ImagesInput, type PlotBundleOptions, type SeriesInput,
  type MimeBundle, type ExploreLatentOptions,
} from './display/index.js';

// Data
export {
  loadMnist, loadFashionMnist, loadImageFolder, MNIST_CLASSES, FASHION_MNIST_CLASSES,
  batches, numBatches, sampleBatch, forEachBatch, disposeBatch, clearDatasetCache,
  type Dataset, type Batch, type BatchOptions, type BatchRange, type SampleBatchOptions,
  type MnistOptions, type FashionMnistOptions, type ImageFolderOptions,
} from './data/index.js';

// GANs: models, training, checkpoints, sampling, metrics
export {
  createGan, disposeGan, dcganGenerator, dcganDiscriminator, mlpGenerator, mlpDiscriminator, conditionalGenerator, conditionalDiscriminator,
  summary, GanTrainer, saveCheckpoint, loadCheckpoint, restoreCheckpoint, exportGenerator, loadGenerator,
  sample, sampleNoise, generate, interpolate, interpolationImages, liveTraining, snapshotImages, lossSeries,
  PRETRAINED, loadPretrained, qualityMetrics, frechetDistance, classifierFeatures, loadClassifier, referenceStatistics,
  type Gan, type GanConfig, type GanConfigInput, type LossName, type StepRecord, type TrainerOptions, type TrainOptions, type TrainResult, type TrainEnd, type TrainMode, type ThreadOptions,
  type SampleOptions, type LiveTrainingOptions, type QualityMetrics, type QualityOptions,
} from './gan/index.js';

// Image editing
export {
  crop, centerCrop, pad, resize, resizedCrop, hflip, vflip, rotate, affine, perspective,
  adjustBrightness, adjustContrast, adjustSaturation, adjustHue, adjustGamma, adjustSharpness,
  rgbToGrayscale, grayscale, invert, posterize, solarize, autocontrast, equalize, gaussianBlur,
  erase, elasticTransform, elasticDisplacement, fiveCrop, tenCrop, normalize, toDtype,
  EditImage, openImage, compose, withRange, colorJitter, randomCrop, randomResizedCrop, randomHorizontalFlip, randomVerticalFlip, randomRotation,
  setPixelLimit, addonStatus,
  type Editable, type EncodeOptions, type RawImage, type ImageSource, type Transform,
  type CropOptions, type PadOptions, type ResizeOptions, type ResizedCropOptions, type RotateOptions, type AffineOptions, type PerspectiveOptions,
  type ColorJitterOptions, type RandomOptions, type RandomCropOptions, type RandomResizedCropOptions, type RandomRotationOptions,
  type EraseValue, type ElasticOptions, type ElasticParams, type TenCropOptions, type ImageDtype, type ToDtypeOptions,
} from './edit/index.js';
