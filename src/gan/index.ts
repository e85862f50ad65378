/** GAN building blocks: models, losses, trainer, checkpoints, sampling. */
export { resolveConfig, DEFAULT_CONFIG, ARCHITECTURES, IMAGE_SIZES, type GanConfig, type GanConfigInput, type Architecture } from './config.js';
export { createGan, type Gan } from './models.js';
export { summary, type ModelSummary, type LayerSummary } from './summary.js';
export { LOSSES, discriminatorLoss, generatorLoss, gradientPenalty, type LossName } from './losses.js';
export {
  GanTrainer, stepSeed,
  type StepRecord, type Snapshot, type Progress, type TrainerOptions, type TrainOptions, type TrainResult, type RealBatch,
} from './trainer.js';
export { saveCheckpoint, loadCheckpoint, restoreCheckpoint, exportGenerator, loadGenerator, disposeGan } from './checkpoint.js';
export { sample, sampleNoise, generate, interpolate, interpolationImages, type SampleOptions } from './sample.js';
