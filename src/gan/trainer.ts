/**
 * Alternating D/G training: the PyTorch DCGAN tutorial's step.
 *
 *   fake = G(z)                                  one generator forward pass per step
 *   (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))   on the real batch and the detached fake
 *   (2) Update G: maximize log(D(G(z)))          on the same fake, through the updated D, real labels
 *
 * PyTorch keeps the graph of `fake` alive across the D update and backpropagates into G later. In
 * tfjs a gradient tape lives for one tf.variableGrads call, so the whole step runs inside G's call:
 * G's forward pass is recorded once; the D update runs on a tape of its own (for D the fake is a
 * constant), and G's loss is then taken on the same fake through the updated D. So G runs forward
 * once per step, and its BatchNorm running statistics move once per step, as in PyTorch.
 *
 * train() yields to the event loop between steps, so stop(), an AbortSignal or a kernel interrupt end
 * it cleanly after the current step, with models, optimizers and history consistent.
 *
 * On tfjs-node the same step runs compiled into one TensorFlow graph (compiled/step.ts) when every
 * layer lowers ('auto', the default): `mode` and `modeReason` say which runs and why. The weights
 * then live in graph variables during training and are copied back into `gan`'s tfjs models before
 * anything can observe them (callbacks, snapshots, generateFixed, checkpoints, the end of train(),
 * after trainStep()).
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber, isInteger } from '../util/is.js';
import * as v from '../util/validate.js';
import { kernelSignal } from '../display/interrupt.js';
import { batches, disposeBatch, numBatches, type Dataset } from '../data/index.js';
import { LOSSES, discriminatorLoss, generatorLoss, gradientPenalty, meanScore, type LossName } from './losses.js';
import { disposeGan, type Gan } from './models/index.js';
import { CompiledStep, type ThreadSettings } from './compiled/step.js';
import { chooseMode, requestedMode, resolveThreads, type ThreadOptions, type TrainMode } from './compiled/mode.js';
import { tfgraphAddon } from './compiled/native.js';
import { assertAlive, disposeTracked, isDisposed, markDisposed, track } from './lifetime.js';
import { JUPYTER_DISPLAY } from '../display/common.js';
import { plot } from '../display/plot.js';
import { imageGrid } from '../display/images.js';
import type { MimeBundle } from '../display/types.js';
import { lossSeries, snapshotImages } from './live.js';
import { withDisplay } from './rich.js';

/** One training step's record: losses and mean D outputs (D(G(z)) before and after the D update). */
export interface StepRecord {
  /** Steps completed, from 1. */
  step: number;
  /** Epoch of the real batch, from 0. */
  epoch: number;
  /** Loss_D (for bce: BCE(D(x), 1) + BCE(D(G(z)), 0); for wgan-gp including the penalty). */
  lossD: number;
  /** Loss_G (for bce: BCE(D(G(z)), 1)). */
  lossG: number;
  /** D(x): mean D output on the real batch (a probability in (0, 1) for bce, a raw score otherwise). */
  dx: number;
  /** D(G(z)) before the D update. */
  dgz1: number;
  /** D(G(z)) after the D update (during the G update). */
  dgz2: number;
}

/** Fixed-noise samples at one step: uint8 pixels, NHWC, 0..255 (small plain data, no tensors). */
export interface Snapshot {
  step: number;
  /** [n, height, width, channels] */
  shape: [number, number, number, number];
  pixels: Uint8Array;
}

/** Progress of a train() call, passed to onStep. */
export interface Progress {
  /** Steps completed in total (this.step). */
  step: number;
  epoch: number;
  /** Steps this train() call will run, when known (the `steps` option or a Dataset's epochs). */
  totalSteps?: number;
  /** Steps run by this train() call so far. */
  done: number;
  /** Mean speed of this train() call, steps per second. */
  stepsPerSecond: number;
  /** Estimated seconds until this train() call ends, when totalSteps is known. */
  etaSeconds?: number;
  elapsedSeconds: number;
}

export interface TrainerOptions {
  /** Objective: 'bce' (default), 'lsgan', 'hinge' or 'wgan-gp'. */
  loss?: LossName;
  /** Adam learning rate for both networks, in (0, 1] (default 2e-4). */
  lr?: number;
  /** Adam beta1 in [0, 1) (default 0.5). */
  beta1?: number;
  /** Adam beta2 in [0, 1) (default 0.999). */
  beta2?: number;
  /** Seed of the noise, the penalty's mixing and a Dataset's batch order, an integer (default: the GAN's config seed). */
  seed?: number;
  /** Number of fixed-noise samples for snapshots, integer in [1, 256] (default 64). */
  fixedSamples?: number;
  /** WGAN-GP penalty weight lambda, > 0 (default 10). */
  gpWeight?: number;
  /** Snapshots kept in `snapshots`, integer >= 2 (default 100): beyond it every other one is dropped, keeping them spread over time. */
  maxSnapshots?: number;
  /** 'auto' (default): the compiled graph step when it can run, else eager; 'graph' (an error when it cannot); 'eager'. GANKIT_TRAIN_MODE overrides it. */
  mode?: TrainMode;
  /** TensorFlow thread pools of the compiled step, integers in [0, 256] (0, the default: TensorFlow's choice); GANKIT_INTRA_OP_THREADS / GANKIT_INTER_OP_THREADS fill missing ones. */
  threads?: ThreadOptions;
}

/** The options that define the training itself (stored in checkpoints; mode and threads are per machine). */
export type TrainerSettings = Required<Omit<TrainerOptions, 'mode' | 'threads'>>;

/** A real batch: images NHWC float32 in [-1, 1], plus int32 labels [n] for conditional GANs. */
export type RealBatch = tf.Tensor4D | { images: tf.Tensor4D; labels?: tf.Tensor1D; epoch?: number };

/** A function that makes the next real batch: (batchSize, step) -> batch (called once per step). */
export type BatchFunction = (batchSize: number, step: number) => RealBatch | Promise<RealBatch>;

/** Anything train() reads real batches from. */
export type TrainData = Dataset | Iterable<RealBatch> | AsyncIterable<RealBatch> | BatchFunction;

export interface TrainOptions {
  /** Steps to run now, integer >= 0 (default: until the data ends; required when data is a function). */
  steps?: number;
  /** Batch size for a Dataset or a batch function, integer in [1, 4096] (default 64). */
  batchSize?: number;
  /** Passes over a Dataset, integer >= 1 or Infinity (default 1; ignored when `steps` is given). */
  epochs?: number;
  /** Take a fixed-noise snapshot every N steps, integer >= 0 (default 100; 0 disables). */
  snapshotEvery?: number;
  /** Dispose each batch after its step (default true; set false to reuse the same tensors). */
  disposeBatches?: boolean;
  /** Stops the loop after the current step when aborted (the kernel's interrupt signal is always watched). */
  signal?: AbortSignal;
  onStep?: (record: StepRecord, progress: Progress) => void | Promise<void>;
  onSnapshot?: (snapshot: Snapshot) => void | Promise<void>;
  /** Called when an epoch ends (the data moves to the next epoch, or a complete run ends). */
  onEpoch?: (epoch: number, history: readonly StepRecord[]) => void | Promise<void>;
  /** Called once when this train() call ends for any reason: done, stop(), the signal, an interrupt or an error. */
  onEnd?: (end: TrainEnd) => void | Promise<void>;
}

/** How a train() call ended, passed to onEnd. */
export interface TrainEnd {
  /** Steps run by this call. */
  steps: number;
  /** Steps completed in total (this.step). */
  step: number;
  reason: TrainResult['reason'] | 'error';
}

export interface TrainResult {
  /** Steps run by this call. */
  steps: number;
  stopped: boolean;
  reason: 'done' | 'stop' | 'signal' | 'interrupt';
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Derive a 31-bit seed for (base seed, step, stream): one independent random stream per use and step. */
export function stepSeed(seed: number, step: number, stream: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [step, stream]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
  }
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Random streams of stepSeed. */
const STREAM = { noise: 1, penalty: 3, fixedNoise: 0 } as const;

type NamedGrads = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** Scalars of one step kept across tape scopes until the record is read. */
type Kept = Partial<Record<'lossD' | 'dx' | 'dgz1' | 'dgz2', tf.Scalar>>;

/** The engine's tape state (tfjs-core 4.x internals, checked before use). */
interface TapeState { activeTape: unknown[] | null; gradientDepth: number }

/**
 * Run `fn` (a complete gradient computation and optimizer update) on a tape of its own while an
 * outer tape is recording, like a separate autograd graph in PyTorch. The outer tape neither records
 * fn's operations (their backward pass and the optimizer's update would otherwise be recorded and
 * their inputs kept, for nothing) nor can fn's gradients reach through it. Without the expected
 * engine fields it runs `fn` nested in the outer tape: the same results, only slower.
 */
function onSeparateTape(fn: () => void): void {
  const state = (tf.engine() as unknown as { state: Partial<TapeState> }).state;
  if (!Array.isArray(state.activeTape) || typeof state.gradientDepth !== 'number') { fn(); return; }
  const saved = { activeTape: state.activeTape, gradientDepth: state.gradientDepth };
  state.activeTape = null;
  state.gradientDepth = 0;
  try {
    fn();
  } finally {
    state.activeTape = saved.activeTape;
    state.gradientDepth = saved.gradientDepth;
  }
}

/** Trains a GAN; owns two Adam optimizers, the step counter, the history and the fixed noise. */
export class GanTrainer {
  readonly gan: Gan;
  readonly loss: LossName;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly seed: number;
  readonly gpWeight: number;
  readonly maxSnapshots: number;
  private optD: tf.AdamOptimizer;
  private optG: tf.AdamOptimizer;
  /** One record per step, in order. */
  readonly history: StepRecord[] = [];
  /** Fixed-noise samples over time (at most maxSnapshots, spread over the run). */
  readonly snapshots: Snapshot[] = [];
  /** Noise for snapshots, fixed for the whole run: [fixedSamples, latentDim]. */
  readonly fixedNoise: tf.Tensor2D;
  /** Labels for conditional snapshots: [fixedSamples, 1] int32 (0, 1, ..., numClasses-1 repeated). */
  readonly fixedLabels?: tf.Tensor2D;
  /** Steps completed so far. */
  step = 0;
  /** Epoch of the last real batch seen. */
  epoch = 0;
  private stopRequested = false;
  private running = false;
  /** 'graph': steps run compiled (one TensorFlow graph each); 'eager': tfjs ops one by one. */
  readonly mode: 'graph' | 'eager';
  /** Why this mode runs: what is compiled, or the first layer, backend or library that stops compiling. */
  readonly modeReason: string;
  /** Thread pools of the compiled step (0: TensorFlow's default). */
  readonly threads: ThreadSettings;
  private compiled?: CompiledStep;
  /** The graph's weights / optimizer moments are newer than the tfjs ones. */
  private stale = { weights: false, optimizers: false };
  /** The tfjs models or optimizers changed (or nothing was uploaded yet): upload before the next graph step. */
  private uploadNeeded = true;

  constructor(gan: Gan, options: TrainerOptions = {}) {
    if (!isGan(gan)) throw invalidParameterError('gan', 'a Gan from createGan() (config, generator, discriminator)', gan);
    assertAlive(gan);
    v.options('trainer options', options, TRAINER_KEYS);
    const {
      loss = 'bce', lr = 2e-4, beta1 = 0.5, beta2 = 0.999, seed = gan.config.seed, fixedSamples = 64, gpWeight = 10, maxSnapshots = 100,
    } = options;
    v.oneOf('loss', loss, LOSSES);
    v.check('lr', lr, isFiniteNumber(lr) && lr > 0 && lr <= 1, 'number in (0, 1]');
    for (const [name, b] of Object.entries({ beta1, beta2 })) v.check(name, b, isFiniteNumber(b) && b >= 0 && b < 1, 'number in [0, 1)');
    v.integer('seed', seed);
    v.intIn('fixedSamples', fixedSamples, 1, 256);
    v.check('gpWeight', gpWeight, isFiniteNumber(gpWeight) && gpWeight > 0, 'positive number');
    v.check('maxSnapshots', maxSnapshots, isInteger(maxSnapshots) && maxSnapshots >= 2, 'integer >= 2');
    const requested = requestedMode(options.mode);
    this.threads = resolveThreads(options.threads);
    if (loss === 'wgan-gp' && gan.config.discriminatorNorm === 'batch') {
      throw new GankitError(
        "WGAN-GP penalises the gradient of each image's score, which BatchNorm couples across the batch: " +
        "build the GAN with discriminatorNorm 'layer' (as Gulrajani et al.) or 'none'",
      );
    }
    ({ mode: this.mode, reason: this.modeReason } = chooseMode(requested, gan));
    this.gan = gan;
    this.loss = loss;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.seed = seed;
    this.gpWeight = gpWeight;
    this.maxSnapshots = maxSnapshots;
    this.optD = this.newOptimizer();
    this.optG = this.newOptimizer();
    this.fixedNoise = tf.randomNormal([fixedSamples, gan.config.latentDim], 0, 1, 'float32', stepSeed(seed, -1, STREAM.fixedNoise)) as tf.Tensor2D;
    if (this.conditional) {
      this.fixedLabels = tf.tensor2d(Array.from({ length: fixedSamples }, (_, i) => i % gan.config.numClasses), [fixedSamples, 1], 'int32');
    }
    track(this, 'GanTrainer', `(of a ${gan.config.architecture} GAN)`);
  }

  /** D's Adam optimizer (its state is current: copied from the compiled step first). */
  get optimizerD(): tf.AdamOptimizer {
    this.syncOptimizers();
    return this.optD;
  }

  /** G's Adam optimizer (its state is current: copied from the compiled step first). */
  get optimizerG(): tf.AdamOptimizer {
    this.syncOptimizers();
    return this.optG;
  }

  /**
   * Copy the compiled step's current weights and BatchNorm statistics into `gan`'s tfjs models
   * (a no-op in eager mode or when they are current). The trainer calls it itself before anything
   * observes the models: callbacks, snapshots, generateFixed(), checkpoints, after trainStep(), when train() ends.
   */
  syncWeights(): void {
    if (!this.stale.weights) return;
    this.compiled!.downloadWeights();
    this.stale.weights = false;
  }

  private syncOptimizers(): void {
    if (!this.stale.optimizers) return;
    this.compiled!.downloadOptimizers(this.optG, this.optD);
    this.stale.optimizers = false;
  }

  /** Adam as configured; PyTorch's epsilon 1e-8 (tfjs defaults to 1e-7). */
  private newOptimizer(): tf.AdamOptimizer {
    return track(tf.train.adam(this.lr, this.beta1, this.beta2, 1e-8), 'optimizer', `(Adam, lr ${this.lr})`);
  }

  /**
   * Replace the training state (used by checkpoints): `optimizers` fills two fresh Adam optimizers
   * (G's, D's), which replace the current ones only if it succeeds.
   */
  async restoreState(state: {
    optimizers: (g: tf.AdamOptimizer, d: tf.AdamOptimizer) => Promise<void>;
    step: number; epoch: number; history: readonly StepRecord[]; snapshots: readonly Snapshot[];
  }): Promise<void> {
    assertAlive(this);
    if (this.running) throw new GankitError('Cannot restore a trainer while it trains; stop() it first');
    // What the graph holds is replaced: the restored models and optimizers go up before the next step.
    this.stale = { weights: false, optimizers: false };
    this.uploadNeeded = true;
    const g = this.newOptimizer();
    const d = this.newOptimizer();
    try {
      await state.optimizers(g, d);
    } catch (e) {
      g.dispose();
      d.dispose();
      throw e;
    }
    this.optG.dispose();
    this.optD.dispose();
    this.optG = g;
    this.optD = d;
    this.step = state.step;
    this.epoch = state.epoch;
    this.history.splice(0, this.history.length, ...state.history.map((r) => ({ ...r })));
    this.snapshots.splice(0, this.snapshots.length, ...state.snapshots.map(viewableSnapshot));
  }

  /** The options to build an identical trainer (stored in checkpoints). */
  get options(): TrainerSettings {
    return {
      loss: this.loss, lr: this.lr, beta1: this.beta1, beta2: this.beta2, seed: this.seed,
      fixedSamples: this.fixedNoise.shape[0], gpWeight: this.gpWeight, maxSnapshots: this.maxSnapshots,
    };
  }

  /** Ask a running train() to stop after the current step. */
  stop(): void {
    this.stopRequested = true;
  }

  /** True while train() runs. */
  get isRunning(): boolean {
    return this.running;
  }

  private get conditional(): boolean {
    return this.gan.config.architecture === 'conditional';
  }

  /** Check a real batch before it touches any state; one small read-back for the value range. */
  private checkBatch(real: unknown, labels: unknown): asserts real is tf.Tensor4D {
    const c = this.gan.config;
    if (!(real instanceof tf.Tensor) || real.rank !== 4) throw invalidParameterError('real', 'a 4D tensor (NHWC) of real images', real);
    const [n, h, w, ch] = real.shape as number[];
    if (h !== c.imageSize || w !== c.imageSize || ch !== c.channels || n! < 1) {
      throw new GankitError(`Expected real images of shape [N, ${c.imageSize}, ${c.imageSize}, ${c.channels}] but received [${real.shape.join(', ')}]`);
    }
    if (real.dtype !== 'float32') throw new GankitError(`Expected float32 real images in [-1, 1] but received a tensor of dtype ${real.dtype}`);
    if (this.conditional) {
      if (!(labels instanceof tf.Tensor) || labels.rank !== 1 || labels.shape[0] !== n || labels.dtype !== 'int32') {
        throw new GankitError(`A conditional GAN needs int32 labels of shape [${n}] with each real batch`);
      }
    }
    const [lo, hi, lmin, lmax] = tf.tidy(() => {
      const parts = [tf.min(real), tf.max(real)];
      if (this.conditional) parts.push(tf.cast(tf.min(labels as tf.Tensor), 'float32'), tf.cast(tf.max(labels as tf.Tensor), 'float32'));
      return tf.stack(parts).dataSync();
    }) as unknown as number[];
    if (!(lo! >= -1.001 && hi! <= 1.001)) {
      throw new GankitError(`Expected real images with values in [-1, 1] (use range '-1-1' when batching) but received values in [${lo}, ${hi}]`);
    }
    if (this.conditional && !(lmin! >= 0 && lmax! < c.numClasses)) {
      throw new GankitError(`Expected labels in [0, ${c.numClasses - 1}] but received labels in [${lmin}, ${lmax}]`);
    }
  }

  /**
   * Run one D step and one G step on a real batch (NHWC float32 in [-1, 1]; labels [n] int32 for a
   * conditional GAN); returns the step's record. Bad input throws before anything changes.
   */
  trainStep(real: tf.Tensor4D, labels?: tf.Tensor1D): StepRecord {
    assertAlive(this);
    const record = this.step1(real, labels);
    if (!this.running) this.syncWeights(); // train() syncs before its callbacks and when it ends
    return record;
  }

  /** One step in this trainer's mode, without syncing the weights back to the tfjs models. */
  private step1(real: tf.Tensor4D, labels?: tf.Tensor1D): StepRecord {
    this.checkBatch(real, labels);
    const values = this.mode === 'graph' ? this.graphValues(real, labels) : this.eagerValues(real, labels);
    const [lossD, lossG, dx, dgz1, dgz2] = values;
    this.step += 1;
    const record: StepRecord = { step: this.step, epoch: this.epoch, lossD: lossD!, lossG: lossG!, dx: dx!, dgz1: dgz1!, dgz2: dgz2! };
    this.history.push(record);
    return record;
  }

  /** The eager step: [Loss_D, Loss_G, D(x), D(G(z)) before, after]. */
  private eagerValues(real: tf.Tensor4D, labels?: tf.Tensor1D): number[] {
    const kept: Kept = {};
    let values: tf.Tensor1D;
    try {
      values = tf.tidy(() => this.updateBoth(real, labels, kept));
    } finally {
      tf.dispose(Object.values(kept));
    }
    const out = Array.from(values.dataSync());
    values.dispose();
    return out;
  }

  /**
   * The compiled step: the same noise (and penalty mixing) as eagerValues, fed to one graph run.
   * The graph is built for the batch size on first use (and again when it changes).
   */
  private graphValues(real: tf.Tensor4D, labels?: tf.Tensor1D): number[] {
    const n = real.shape[0];
    const c = this.gan.config;
    if (this.compiled?.batchSize !== n) {
      if (this.compiled) {
        this.syncWeights();
        this.syncOptimizers();
        this.compiled.dispose();
        this.compiled = undefined;
      }
      this.compiled = new CompiledStep(tfgraphAddon()!, this.gan, n, {
        loss: this.loss, lr: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: 1e-8, gpWeight: this.gpWeight,
      }, this.threads);
      this.uploadNeeded = true;
    }
    if (this.uploadNeeded) {
      this.syncOptimizers(); // moments not yet copied out must not be overwritten by older tfjs ones
      this.compiled.upload(this.optG, this.optD);
      this.uploadNeeded = false;
    }
    // The eager step's seeded draws: the noise, and the penalty's mixing weights (gradientPenalty).
    const z = tf.randomNormal([n, c.latentDim], 0, 1, 'float32', stepSeed(this.seed, this.step, STREAM.noise));
    const eps = this.loss === 'wgan-gp' ? tf.randomUniform([n, 1, 1, 1], 0, 1, 'float32', stepSeed(this.seed, this.step, STREAM.penalty)) : undefined;
    try {
      const out = this.compiled.run({
        real: real.dataSync() as Float32Array, z: z.dataSync() as Float32Array,
        labels: labels?.dataSync() as Int32Array | undefined, eps: eps?.dataSync() as Float32Array | undefined,
      });
      this.stale = { weights: true, optimizers: true };
      return out;
    } finally {
      z.dispose();
      eps?.dispose();
    }
  }

  /**
   * The tensor work of one step (run inside a tidy): both updates, then
   * [Loss_D, Loss_G, D(x), D(G(z)) before the D update, D(G(z)) after it]. Scalars computed inside the
   * tapes are kept in `kept` (the caller disposes them).
   */
  private updateBoth(real: tf.Tensor4D, labels: tf.Tensor1D | undefined, kept: Kept): tf.Tensor1D {
    const { generator: G, discriminator: D, config: c } = this.gan;
    const n = real.shape[0];
    const dVars = D.trainableWeights.map((v) => v.read() as tf.Variable);
    const gVars = G.trainableWeights.map((v) => v.read() as tf.Variable);
    const keep = (name: keyof Kept, t: tf.Scalar): void => { kept[name] = tf.keep(t); };
    // Conditional GANs: the fakes take the real batch's labels, so D sees every class as often in both.
    const y = labels?.reshape([n, 1]);
    const withLabel = (x: tf.Tensor) => (y ? [x, y] : x);

    const gStep = tf.variableGrads(() => {
      const z = tf.randomNormal([n, c.latentDim], 0, 1, 'float32', stepSeed(this.seed, this.step, STREAM.noise));
      // Generate the fake batch once, recorded on G's tape. D's update below runs on a tape of its
      // own, where the fake is a constant (fake.detach() in PyTorch); G's update reuses it.
      const fake = G.apply(withLabel(z), { training: true }) as tf.Tensor4D;

      // (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
      onSeparateTape(() => {
        const dStep = tf.variableGrads(() => {
          const outReal = D.apply(withLabel(real), { training: true }) as tf.Tensor;
          const outFake = D.apply(withLabel(fake), { training: true }) as tf.Tensor;
          keep('dx', meanScore(this.loss, outReal));
          keep('dgz1', meanScore(this.loss, outFake));
          let lossD = discriminatorLoss(this.loss, outReal, outFake);
          if (this.loss === 'wgan-gp') {
            const critic = (x: tf.Tensor4D) => D.apply(withLabel(x), { training: true }) as tf.Tensor;
            const penalty = gradientPenalty(critic, real, fake, stepSeed(this.seed, this.step, STREAM.penalty), this.gpWeight);
            lossD = tf.add(lossD, penalty) as tf.Scalar;
          }
          return lossD;
        }, dVars);
        this.optimizerD.applyGradients(dStep.grads as unknown as NamedGrads);
        keep('lossD', dStep.value);
      });

      // (2) Update G: maximize log(D(G(z))): the same fake, through the updated D, with real labels
      const outFake = D.apply(withLabel(fake), { training: true }) as tf.Tensor;
      keep('dgz2', meanScore(this.loss, outFake));
      return generatorLoss(this.loss, outFake);
    }, gVars);
    this.optimizerG.applyGradients(gStep.grads as unknown as NamedGrads);
    return tf.stack([kept.lossD!, gStep.value, kept.dx!, kept.dgz1!, kept.dgz2!]) as tf.Tensor1D;
  }

  /**
   * Train on real batches from a Dataset (batched with this trainer's seed, drop-last, values in
   * [-1, 1], resuming at this.step), an iterable or async iterable of batches, or a batch function.
   * Resolves when the data or `steps` run out, or after the step during which stop(), the signal or
   * a kernel interrupt came. Batches are disposed after their step unless disposeBatches is false.
   */
  async train(data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
    assertAlive(this);
    v.options('train options', options, TRAIN_KEYS);
    const { steps, batchSize = 64, epochs = 1, snapshotEvery = 100, disposeBatches = true, signal, onStep, onSnapshot, onEpoch, onEnd } = options;
    for (const [name, fn] of Object.entries({ onStep, onSnapshot, onEpoch, onEnd })) {
      v.check(name, fn, fn === undefined || typeof fn === 'function', 'function');
    }
    if (steps !== undefined) v.nonNegativeInt('steps', steps);
    v.intIn('batchSize', batchSize, 1, 4096);
    v.check('epochs', epochs, (isInteger(epochs) && epochs >= 1) || epochs === Infinity, 'positive integer or Infinity');
    v.nonNegativeInt('snapshotEvery', snapshotEvery);
    v.check('steps', steps, typeof data !== 'function' || steps !== undefined, 'integer >= 0 when data is a batch function');
    const fromDataset = isDataset(data);
    if (!fromDataset && typeof data !== 'function' && !isIterable(data)) {
      throw invalidParameterError('data', 'a Dataset, an (async) iterable of batches or a function (batchSize, step) => batch', data);
    }
    if (this.running) throw new GankitError('This trainer is already running; call stop() or wait for train() to finish');
    this.running = true;
    this.stopRequested = false;
    // Weights set on the models since the last graph step (by hand, or a loaded checkpoint) go up first.
    if (!this.stale.weights) this.uploadNeeded = true;
    const interrupt = kernelSignal();
    const start = performance.now();
    let done = 0;
    let reason: TrainResult['reason'] = 'done';
    let failed = false;
    let totalSteps = steps;
    let source: Iterable<RealBatch> | AsyncIterable<RealBatch>;
    if (fromDataset) {
      if (steps === undefined && epochs !== Infinity) totalSteps = Math.max(0, numBatches(data, { batchSize, dropLast: true, epochs }) - this.step);
      source = this.datasetBatches(data, batchSize, steps === undefined ? epochs : Infinity);
    } else if (typeof data === 'function') {
      source = functionBatches(data, batchSize, () => this.step);
    } else {
      source = data;
    }
    const iterator = (Symbol.asyncIterator in source
      ? (source as AsyncIterable<RealBatch>)[Symbol.asyncIterator]()
      : (source as Iterable<RealBatch>)[Symbol.iterator]()) as Iterator<RealBatch> | AsyncIterator<RealBatch>;
    try {
      while (totalSteps === undefined || done < totalSteps) {
        const next = await iterator.next();
        if (next.done) break;
        const batch = next.value instanceof tf.Tensor ? { images: next.value as tf.Tensor4D } : next.value;
        let record: StepRecord;
        try {
          const epoch = batch.epoch ?? this.epoch;
          if (epoch !== this.epoch) {
            this.syncWeights();
            await onEpoch?.(this.epoch, this.history);
            this.epoch = epoch;
          }
          record = this.step1(batch.images, batch.labels);
        } finally {
          if (disposeBatches) disposeBatch(batch);
        }
        done += 1;
        const elapsed = (performance.now() - start) / 1000;
        const rate = done / Math.max(elapsed, 1e-9);
        const progress: Progress = {
          step: this.step, epoch: this.epoch, done, stepsPerSecond: rate, elapsedSeconds: elapsed,
          ...(totalSteps !== undefined ? { totalSteps, etaSeconds: (totalSteps - done) / rate } : {}),
        };
        if (snapshotEvery > 0 && this.step % snapshotEvery === 0) {
          const snap = await this.snapshot();
          await onSnapshot?.(snap);
        }
        if (onStep) {
          this.syncWeights();
          await onStep(record, progress);
        }
        await yieldToEventLoop();
        if (this.stopRequested) { reason = 'stop'; break; }
        if (signal?.aborted) { reason = 'signal'; break; }
        if (interrupt.aborted) { reason = 'interrupt'; break; }
      }
      this.syncWeights();
      if (reason === 'done' && done > 0) await onEpoch?.(this.epoch, this.history);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      await iterator.return?.();
      // The models and both optimizers are current when train() returns, whichever mode ran.
      this.syncWeights();
      this.syncOptimizers();
      this.running = false;
      await onEnd?.({ steps: done, step: this.step, reason: failed ? 'error' : reason });
    }
    return { steps: done, stopped: reason !== 'done', reason };
  }

  /** Seeded batches of a Dataset, resuming at this.step (earlier batches are skipped). */
  private *datasetBatches(dataset: Dataset, batchSize: number, epochs: number): Generator<RealBatch> {
    const it = batches(dataset, { batchSize, seed: this.seed, dropLast: true, range: '-1-1', epochs });
    let index = 0;
    for (const b of it) {
      if (index++ < this.step) { disposeBatch(b); continue; }
      yield b.labels ? { images: b.images, labels: b.labels, epoch: b.epoch } : { images: b.images, epoch: b.epoch };
    }
  }

  /** Generate the fixed-noise samples now, store them in `snapshots` and return them. */
  async snapshot(): Promise<Snapshot> {
    assertAlive(this);
    const pixels = tf.tidy(() => {
      const images = this.generateFixed();
      return tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255), 'int32');
    });
    const data = Uint8Array.from(await pixels.data());
    const snap = viewableSnapshot({ step: this.step, shape: pixels.shape as Snapshot['shape'], pixels: data });
    pixels.dispose();
    this.snapshots.push(snap);
    if (this.snapshots.length > this.maxSnapshots) {
      // Drop every other one (keeping the first and the newest): snapshots stay spread over the run.
      const thinned = this.snapshots.filter((_, i, a) => i % 2 === 0 || i === a.length - 1);
      this.snapshots.splice(0, this.snapshots.length, ...thinned);
    }
    return snap;
  }

  /** G's output for the fixed noise, NHWC in [-1, 1] (BatchNorm in inference mode); the caller disposes it. */
  generateFixed(): tf.Tensor4D {
    assertAlive(this);
    this.syncWeights();
    const input = this.fixedLabels ? [this.fixedNoise, this.fixedLabels] : this.fixedNoise;
    return tf.tidy(() => this.gan.generator.apply(input, { training: false }) as tf.Tensor4D);
  }

  /** As a cell's last expression: the loss curves so far (or a line of text before the first step). */
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    const title = `GanTrainer (${this.gan.config.architecture}, ${this.loss}) at step ${this.step}`;
    if (this.history.length === 0) return Promise.resolve({ 'text/plain': `${title}: not trained yet` });
    return plot(lossSeries(this.history), { title })[JUPYTER_DISPLAY]();
  }

  /**
   * Free what this trainer made: both Adam optimizers' state (moments, bias-correction terms), the fixed
   * noise and labels, and the compiled step (its TensorFlow graph, session and variables); the trainer
   * then raises a DisposedError when used. G's and D's weights are synced back first and stay usable:
   * the trainer does not own its GAN unless `{ gan: true }` is passed, which frees it too (as
   * disposeGan(trainer.gan)). Disposing again does nothing.
   */
  dispose(options: { gan?: boolean } = {}): void {
    const { gan = false } = v.options('dispose options', options, ['gan']);
    v.bool('gan', gan);
    if (isDisposed(this)) return;
    this.syncWeights();
    markDisposed(this, 'dispose()');
    this.compiled?.dispose();
    this.compiled = undefined;
    this.stale = { weights: false, optimizers: false };
    for (const opt of [this.optD, this.optG]) {
      opt.dispose();
      disposeTracked(opt, 'the trainer\'s dispose()');
    }
    this.fixedNoise.dispose();
    this.fixedLabels?.dispose();
    if (gan) disposeGan(this.gan);
  }
}

/** A snapshot that renders as its image grid when it is a cell's last expression. */
function viewableSnapshot(s: Snapshot): Snapshot {
  return withDisplay(s, () => imageGrid(snapshotImages(s), { title: `fixed-noise samples at step ${s.step}` })[JUPYTER_DISPLAY]());
}

const TRAINER_KEYS = ['loss', 'lr', 'beta1', 'beta2', 'seed', 'fixedSamples', 'gpWeight', 'maxSnapshots', 'mode', 'threads'];
const TRAIN_KEYS = ['steps', 'batchSize', 'epochs', 'snapshotEvery', 'disposeBatches', 'signal', 'onStep', 'onSnapshot', 'onEpoch', 'onEnd'];

function isGan(x: unknown): x is Gan {
  const g = x as Gan;
  return typeof x === 'object' && x !== null && typeof g.config === 'object' && g.config !== null &&
    typeof g.generator?.apply === 'function' && typeof g.discriminator?.apply === 'function';
}

async function* functionBatches(fn: BatchFunction, batchSize: number, step: () => number): AsyncGenerator<RealBatch> {
  for (;;) yield await fn(batchSize, step());
}

function isIterable(x: unknown): x is Iterable<RealBatch> | AsyncIterable<RealBatch> {
  return typeof x === 'object' && x !== null && (Symbol.iterator in x || Symbol.asyncIterator in x);
}

function isDataset(x: unknown): x is Dataset {
  return typeof x === 'object' && x !== null && (x as Dataset).images instanceof Uint8Array && 'imageShape' in x && 'size' in x;
}
