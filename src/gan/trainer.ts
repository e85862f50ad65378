/**
 * Alternating D/G training, the PyTorch DCGAN tutorial's step:
 *   Update D: maximize log(D(x)) + log(1 - D(G(z))) on the real batch and a detached fake;
 *   Update G: maximize log(D(G(z))) on the same noise, with real labels.
 * The loop yields to the event loop between steps, so stop(), an AbortSignal or a kernel
 * interrupt end it cleanly after the current step.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber, isInteger, isOneOf } from '../util/is.js';
import { kernelSignal } from '../display/interrupt.js';
import { batches, disposeBatch, type Dataset } from '../data/index.js';
import { LOSSES, discriminatorLoss, generatorLoss, gradientPenalty, meanScore, type LossName } from './losses.js';
import type { Gan } from './models.js';

/** One training step's record: losses and mean D outputs (D(G(z)) before and after the D update). */
export interface StepRecord {
  step: number;
  epoch: number;
  lossD: number;
  lossG: number;
  /** Mean D(x) on the real batch ("probability real" for bce). */
  dx: number;
  /** Mean D(G(z)) before the D update. */
  dgz1: number;
  /** Mean D(G(z)) after the D update (during the G update). */
  dgz2: number;
}

/** Fixed-noise samples at one step, as uint8 pixels NHWC (small; no live tensors). */
export interface Snapshot { step: number; shape: [number, number, number, number]; pixels: Uint8Array }

export interface Progress { step: number; totalSteps?: number; stepsPerSecond: number; etaSeconds?: number; elapsedSeconds: number }

export interface TrainerOptions {
  /** Objective: 'bce' (default), 'lsgan', 'hinge' or 'wgan-gp'. */
  loss?: LossName;
  /** Adam learning rate for both networks, (0, 1] (default 2e-4). */
  lr?: number;
  /** Adam beta1 in [0, 1) (default 0.5). */
  beta1?: number;
  /** Adam beta2 in [0, 1) (default 0.999). */
  beta2?: number;
  /** Seed of the noise, fake labels and data order (default: the GAN's config seed). */
  seed?: number;
  /** Number of fixed-noise samples for snapshots, 1..256 (default 64). */
  fixedSamples?: number;
  /** WGAN-GP penalty weight, > 0 (default 10). */
  gpWeight?: number;
}

export interface TrainOptions {
  /** Steps to run now (default: until the data ends). */
  steps?: number;
  /** Batch size when training from a Dataset, 1..4096 (default 64). */
  batchSize?: number;
  /** Epochs when training from a Dataset (default 1; ignored when `steps` is given). */
  epochs?: number;
  /** Take a fixed-noise snapshot every N steps (default 100; 0 disables). */
  snapshotEvery?: number;
  /** Stops the loop after the current step when aborted (the kernel's interrupt signal is always watched). */
  signal?: AbortSignal;
  onStep?: (record: StepRecord, progress: Progress) => void | Promise<void>;
  onSnapshot?: (snapshot: Snapshot) => void | Promise<void>;
  onEpoch?: (epoch: number, history: readonly StepRecord[]) => void | Promise<void>;
}

export interface TrainResult { steps: number; stopped: boolean; reason: 'done' | 'stop' | 'signal' | 'interrupt' }

/** A real batch: images NHWC in [-1, 1], plus int32 labels for conditional GANs. */
export type RealBatch = tf.Tensor4D | { images: tf.Tensor4D; labels?: tf.Tensor1D; epoch?: number };

type Data = Dataset | Iterable<RealBatch> | AsyncIterable<RealBatch>;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Derive a 31-bit seed for (base seed, step, stream). */
export function stepSeed(seed: number, step: number, stream: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [step, stream]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
  }
  return (h ^ (h >>> 16)) & 0x7fffffff;
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
  readonly optimizerD: tf.AdamOptimizer;
  readonly optimizerG: tf.AdamOptimizer;
  readonly history: StepRecord[] = [];
  readonly snapshots: Snapshot[] = [];
  /** Noise for snapshots, fixed for the whole run: [fixedSamples, latentDim]. */
  readonly fixedNoise: tf.Tensor2D;
  /** Labels for conditional snapshots (0, 1, ..., numClasses-1 repeated). */
  readonly fixedLabels?: tf.Tensor1D;
  /** Steps completed so far. */
  step = 0;
  /** Epoch of the last real batch seen. */
  epoch = 0;
  private stopRequested = false;
  private running = false;

  constructor(gan: Gan, options: TrainerOptions = {}) {
    const { loss = 'bce', lr = 2e-4, beta1 = 0.5, beta2 = 0.999, seed = gan.config.seed, fixedSamples = 64, gpWeight = 10 } = options;
    if (!isOneOf(loss, LOSSES)) throw invalidParameterError('loss', `one of ${LOSSES.join(', ')}`, loss);
    if (!isFiniteNumber(lr) || lr <= 0 || lr > 1) throw invalidParameterError('lr', 'number in (0, 1]', lr);
    if (!isFiniteNumber(beta1) || beta1 < 0 || beta1 >= 1) throw invalidParameterError('beta1', 'number in [0, 1)', beta1);
    if (!isFiniteNumber(beta2) || beta2 < 0 || beta2 >= 1) throw invalidParameterError('beta2', 'number in [0, 1)', beta2);
    if (!isInteger(seed)) throw invalidParameterError('seed', 'integer', seed);
    if (!isInteger(fixedSamples) || fixedSamples < 1 || fixedSamples > 256) throw invalidParameterError('fixedSamples', 'integer in [1, 256]', fixedSamples);
    if (!isFiniteNumber(gpWeight) || gpWeight <= 0) throw invalidParameterError('gpWeight', 'positive number', gpWeight);
    if (loss === 'wgan-gp' && gan.config.architecture !== 'mlp') {
      // Checked against finite differences (test/gan/trainer.test.ts, README): tfjs 4.22's gradients of
      // gradients are right through dense + leakyReLU, wrong through 'same'-padded conv2d + leakyReLU
      // and through tanh/sigmoid, so the penalty would silently train the wrong objective.
      throw new GankitError(`WGAN-GP needs correct second-order gradients, which tfjs ${tf.version_core} gives only for dense + leakyReLU critics: use architecture 'mlp' with loss 'wgan-gp', or another loss (bce, lsgan, hinge) for ${gan.config.architecture}`);
    }
    this.gan = gan;
    this.loss = loss;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.seed = seed;
    this.gpWeight = gpWeight;
    // PyTorch's Adam epsilon is 1e-8 (tfjs defaults to 1e-7).
    this.optimizerD = tf.train.adam(lr, beta1, beta2, 1e-8);
    this.optimizerG = tf.train.adam(lr, beta1, beta2, 1e-8);
    this.fixedNoise = tf.randomNormal([fixedSamples, gan.config.latentDim], 0, 1, 'float32', stepSeed(seed, -1, 0)) as tf.Tensor2D;
    if (gan.config.architecture === 'conditional') {
      this.fixedLabels = tf.tensor1d(Array.from({ length: fixedSamples }, (_, i) => i % gan.config.numClasses), 'int32');
    }
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

  /** Run one D step and one G step on a real batch (NHWC in [-1, 1]); returns the step's record. */
  trainStep(real: tf.Tensor4D, labels?: tf.Tensor1D): StepRecord {
    const c = this.gan.config;
    if (!(real instanceof tf.Tensor) || real.rank !== 4) throw invalidParameterError('real', 'a 4D tensor (NHWC) of real images', real);
    const [, h, w, ch] = real.shape;
    if (h !== c.imageSize || w !== c.imageSize || ch !== c.channels) {
      throw new GankitError(`Expected real images of shape [N, ${c.imageSize}, ${c.imageSize}, ${c.channels}] but received [${real.shape.join(', ')}]`);
    }
    if (this.conditional && (!labels || labels.rank !== 1 || labels.shape[0] !== real.shape[0])) {
      throw new GankitError(`A conditional GAN needs int32 labels of shape [${real.shape[0]}] with each real batch`);
    }
    const { generator: G, discriminator: D } = this.gan;
    const n = real.shape[0];
    const step = this.step;
    const dVars = D.trainableWeights.map((v) => v.read() as tf.Variable);
    const gVars = G.trainableWeights.map((v) => v.read() as tf.Variable);
    let dx!: tf.Scalar;
    let dgz1!: tf.Scalar;
    let dgz2!: tf.Scalar;
    const values = tf.tidy(() => {
      const z = tf.randomNormal([n, c.latentDim], 0, 1, 'float32', stepSeed(this.seed, step, 1));
      const fakeLabels = this.conditional
        ? tf.randomUniform([n, 1], 0, c.numClasses, 'int32', stepSeed(this.seed, step, 2))
        : undefined;
      const gInput = fakeLabels ? [z, fakeLabels] : z;
      const dInput = (x: tf.Tensor, y?: tf.Tensor) => (y ? [x, y.reshape([-1, 1])] : x);
      const realLabels = labels?.reshape([-1, 1]);
      // Generate the fake batch once; outside a gradient tape it is detached from G.
      const fake = G.apply(gInput, { training: true }) as tf.Tensor4D;

      // (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
      const dStep = tf.variableGrads(() => {
        const realOut = D.apply(dInput(real, realLabels), { training: true }) as tf.Tensor;
        const fakeOut = D.apply(dInput(fake, fakeLabels), { training: true }) as tf.Tensor;
        dx = tf.keep(meanScore(this.loss, realOut));
        dgz1 = tf.keep(meanScore(this.loss, fakeOut));
        let lossD = discriminatorLoss(this.loss, realOut, fakeOut);
        if (this.loss === 'wgan-gp') {
          const critic = (x: tf.Tensor4D) => D.apply(dInput(x, realLabels ?? fakeLabels), { training: true }) as tf.Tensor;
          lossD = tf.add(lossD, gradientPenalty(critic, real, fake, stepSeed(this.seed, step, 3), this.gpWeight)) as tf.Scalar;
        }
        return lossD;
      }, dVars);
      this.optimizerD.applyGradients(dStep.grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);

      // (2) Update G: maximize log(D(G(z))) on the same noise (and labels), with real labels as targets
      const gStep = tf.variableGrads(() => {
        const fakeOut = D.apply(dInput(G.apply(gInput, { training: true }) as tf.Tensor, fakeLabels), { training: true }) as tf.Tensor;
        dgz2 = tf.keep(meanScore(this.loss, fakeOut));
        return generatorLoss(this.loss, fakeOut);
      }, gVars);
      this.optimizerG.applyGradients(gStep.grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      return tf.stack([dStep.value, gStep.value, dx, dgz1, dgz2]);
    });
    tf.dispose([dx, dgz1, dgz2]); // kept out of the tapes' tidy scopes; now stacked into `values`
    const [lossD, lossG, x, gz1, gz2] = Array.from(values.dataSync());
    values.dispose();
    this.step += 1;
    const record: StepRecord = { step: this.step, epoch: this.epoch, lossD: lossD!, lossG: lossG!, dx: x!, dgz1: gz1!, dgz2: gz2! };
    this.history.push(record);
    return record;
  }

  /**
   * Train on a Dataset (batched with this trainer's seed, drop-last, range [-1, 1]) or on an
   * iterable of real batches, which the trainer disposes after each step. Resolves when the data or
   * `steps` run out, or after the step during which stop(), the signal or a kernel interrupt came.
   */
  async train(data: Data, options: TrainOptions = {}): Promise<TrainResult> {
    const { steps, batchSize = 64, epochs = 1, snapshotEvery = 100, signal, onStep, onSnapshot, onEpoch } = options;
    if (steps !== undefined && (!isInteger(steps) || steps < 0)) throw invalidParameterError('steps', 'integer >= 0', steps);
    if (!isInteger(batchSize) || batchSize < 1 || batchSize > 4096) throw invalidParameterError('batchSize', 'integer in [1, 4096]', batchSize);
    if (!(isInteger(epochs) && epochs >= 1) && epochs !== Infinity) throw invalidParameterError('epochs', 'integer >= 1 or Infinity', epochs);
    if (!isInteger(snapshotEvery) || snapshotEvery < 0) throw invalidParameterError('snapshotEvery', 'integer >= 0', snapshotEvery);
    if (this.running) throw new GankitError('This trainer is already running; call stop() or wait for train() to finish');
    this.running = true;
    this.stopRequested = false;
    const interrupt = kernelSignal();
    const start = performance.now();
    const startStep = this.step;
    let done = 0;
    let reason: TrainResult['reason'] = 'done';
    const fromDataset = isDataset(data);
    const source = fromDataset ? this.datasetBatches(data, batchSize, steps === undefined ? epochs : Infinity) : data;
    const iterator = (Symbol.asyncIterator in source
      ? (source as AsyncIterable<RealBatch>)[Symbol.asyncIterator]()
      : (source as Iterable<RealBatch>)[Symbol.iterator]()) as Iterator<RealBatch> | AsyncIterator<RealBatch>;
    try {
      while (steps === undefined || done < steps) {
        const next = await iterator.next();
        if (next.done) break;
        const batch = next.value instanceof tf.Tensor ? { images: next.value } : next.value;
        let record: StepRecord;
        try {
          const epoch = batch.epoch ?? this.epoch;
          if (epoch !== this.epoch) {
            await onEpoch?.(this.epoch, this.history);
            this.epoch = epoch;
          }
          record = this.trainStep(batch.images, batch.labels);
        } finally {
          disposeBatch(batch);
        }
        done += 1;
        const elapsed = (performance.now() - start) / 1000;
        const rate = done / Math.max(elapsed, 1e-9);
        const progress: Progress = {
          step: this.step, stepsPerSecond: rate, elapsedSeconds: elapsed,
          ...(steps !== undefined ? { totalSteps: startStep + steps, etaSeconds: (steps - done) / rate } : {}),
        };
        if (snapshotEvery > 0 && this.step % snapshotEvery === 0) {
          const snap = await this.snapshot();
          await onSnapshot?.(snap);
        }
        await onStep?.(record, progress);
        await yieldToEventLoop();
        if (this.stopRequested) { reason = 'stop'; break; }
        if (signal?.aborted) { reason = 'signal'; break; }
        if (interrupt.aborted) { reason = 'interrupt'; break; }
      }
      if (reason === 'done') await onEpoch?.(this.epoch, this.history);
    } finally {
      await iterator.return?.();
      this.running = false;
    }
    return { steps: done, stopped: reason !== 'done', reason };
  }

  /** Endless seeded batches of a Dataset, resuming at this.step (skipped batches are never materialised twice). */
  private *datasetBatches(dataset: Dataset, batchSize: number, epochs: number): Generator<RealBatch> {
    const it = batches(dataset, { batchSize, seed: this.seed, dropLast: true, range: '-1-1', epochs });
    let index = 0;
    for (const b of it) {
      if (index++ < this.step) { disposeBatch(b); continue; }
      yield { images: b.images, labels: b.labels, epoch: b.epoch };
    }
  }

  /** Generate the fixed-noise samples now, store them in `snapshots` and return them (pixels uint8 NHWC). */
  async snapshot(): Promise<Snapshot> {
    const images = this.generateFixed();
    const pixels = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255), 'int32'));
    images.dispose();
    const data = Uint8Array.from(await pixels.data());
    const snap: Snapshot = { step: this.step, shape: pixels.shape as Snapshot['shape'], pixels: data };
    pixels.dispose();
    this.snapshots.push(snap);
    return snap;
  }

  /** G's output for the fixed noise, NHWC in [-1, 1] (BatchNorm in inference mode); the caller disposes it. */
  generateFixed(): tf.Tensor4D {
    const input = this.fixedLabels ? [this.fixedNoise, this.fixedLabels.reshape([-1, 1])] : this.fixedNoise;
    return tf.tidy(() => this.gan.generator.apply(input, { training: false }) as tf.Tensor4D);
  }

  /** Free the optimizers' state and the fixed noise (the models stay usable). */
  dispose(): void {
    this.optimizerD.dispose();
    this.optimizerG.dispose();
    this.fixedNoise.dispose();
    this.fixedLabels?.dispose();
  }
}

function isDataset(x: unknown): x is Dataset {
  return typeof x === 'object' && x !== null && 'images' in x && (x as Dataset).images instanceof Uint8Array && 'imageShape' in x;
}
