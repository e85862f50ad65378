/** GAN building blocks: models, losses, trainer, checkpoints, sampling. */
export {
  resolveConfig, DEFAULT_CONFIG, ARCHITECTURES, IMAGE_SIZES, NORMS,
  type GanConfig, type GanConfigInput, type Architecture, type ImageSize, type Norm,
} from './config.js';
export {
  createGan, disposeGan,
  dcganGenerator, dcganDiscriminator, mlpGenerator, mlpDiscriminator, conditionalGenerator, conditionalDiscriminator,
  type Gan,
} from './models/index.js';
export { SeedSequence } from './init.js';
export { SampleNorm, type SampleNormArgs } from './models/layers.js';
export { summary, type ModelSummary, type LayerSummary } from './summary.js';
export { LOSSES, discriminatorLoss, generatorLoss, gradientPenalty, meanScore, type LossName } from './losses.js';
export {
  GanTrainer, stepSeed,
  type StepRecord, type Snapshot, type Progress, type TrainerOptions, type TrainOptions, type TrainResult, type TrainEnd,
  type RealBatch, type BatchFunction, type TrainData, type TrainerSettings,
} from './trainer.js';
export {
  TRAIN_MODES, TRAIN_MODE_ENV, THREAD_ENV, whyNotCompiled, type TrainMode, type ThreadOptions,
} from './compiled/mode.js';
export { tfgraphStatus } from './compiled/native.js';
export {
  saveCheckpoint, loadCheckpoint, restoreCheckpoint, exportGenerator, loadGenerator,
  type LoadCheckpointOptions,
} from './checkpoint.js';
export {
  sample, sampleNoise, generate, interpolate, interpolationImages, latentDimOf, numClassesOf,
  type SampleOptions, type InterpolationMode,
} from './sample.js';
export { liveTraining, progressBundle, lossSeries, snapshotImages, type LiveTrainingOptions, type LiveTrainingCallbacks } from './live.js';
export { PRETRAINED, PRETRAINED_NAMES, loadPretrained, pretrainedDir, type PretrainedInfo } from './pretrained.js';
export * from './metrics.js';
