/**
 * Mini-batches of a Dataset as tensors, after PyTorch's DataLoader: seeded shuffling, drop_last,
 * several epochs. Each batch's tensors belong to the caller, who disposes them.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger } from '../util/is.js';
import * as v from '../util/validate.js';
import { assertDataset, imageBytes, type Dataset } from './dataset.js';

/**
 * Value scale of batch images: '-1-1' (v / 255 * 2 - 1, the default, matching a tanh generator
 * and torchvision's Normalize(0.5, 0.5) after ToTensor) or '0-1' (v / 255, like ToTensor).
 */
export type BatchRange = '0-1' | '-1-1';
export const BATCH_RANGES: readonly BatchRange[] = ['0-1', '-1-1'];

export interface BatchOptions {
  /** Images per batch, a positive integer. */
  batchSize: number;
  /** Visit images in a new random order every epoch (default true); false keeps dataset order. */
  shuffle?: boolean;
  /** Seed (number or string) for the shuffle; same seed, same order. Default: a random seed (see `seed` on the result). */
  seed?: number | string;
  /** Skip the last batch of an epoch when it is smaller than batchSize (default false, like DataLoader). */
  dropLast?: boolean;
  /** Value scale of `images`: '-1-1' (default, for GANs with a tanh generator) or '0-1'. */
  range?: BatchRange;
  /** Passes over the dataset (default 1): a positive integer, or Infinity for an endless stream. */
  epochs?: number;
}

/** One mini-batch. The caller owns `images` and `labels` and must dispose them (see disposeBatch). */
export interface Batch {
  /** [n, height, width, channels] float32 in the requested range. */
  images: tf.Tensor4D;
  /** [n] int32 class indices, when the dataset is labelled. */
  labels?: tf.Tensor1D;
  /** Dataset index of each image in the batch. */
  indices: Int32Array;
  /** Batch number within its epoch, from 0. */
  index: number;
  /** Epoch number, from 0. */
  epoch: number;
  /** Batch number over all epochs, from 0. */
  step: number;
  /** Images in this batch (batchSize, or fewer for the last batch of an epoch without dropLast). */
  size: number;
}

/**
 * A re-iterable sequence of batches: each `for...of` starts again from epoch 0 with the same seed,
 * so it yields the same batches in the same order. Works with `for await` too.
 */
export interface BatchIterable extends Iterable<Batch> {
  /** The seed actually used (the given one, or the random one chosen when none was given). */
  readonly seed: number | string;
  /** Batches in one epoch. */
  readonly batchesPerEpoch: number;
  /** Batches over all epochs (Infinity for an endless stream). */
  readonly numBatches: number;
}

const OPTION_KEYS = ['batchSize', 'shuffle', 'seed', 'dropLast', 'range', 'epochs'];

interface Parsed {
  batchSize: number;
  shuffle: boolean;
  seed: number | string;
  dropLast: boolean;
  range: BatchRange;
  epochs: number;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}

function parseSeed(seed: unknown): number | string {
  if (seed === undefined) return randomSeed();
  if ((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string') return seed;
  throw invalidParameterError('seed', 'a finite number or a string', seed);
}

function parseRange(range: unknown): BatchRange {
  return range === undefined ? '-1-1' : v.oneOf('range', range, BATCH_RANGES);
}

function parseOptions(dataset: Dataset, options: unknown): Parsed {
  const o = v.options('batches options', options, OPTION_KEYS);
  for (const key of ['shuffle', 'dropLast'] as const) if (o[key] !== undefined) v.bool(key, o[key]);
  const epochs = o.epochs ?? 1;
  v.check('epochs', epochs, epochs === Infinity || (isInteger(epochs) && epochs >= 1), 'positive integer or Infinity');
  const parsed: Parsed = {
    batchSize: v.positiveInt('batchSize', o.batchSize),
    shuffle: (o.shuffle as boolean | undefined) ?? true,
    seed: parseSeed(o.seed),
    dropLast: (o.dropLast as boolean | undefined) ?? false,
    range: parseRange(o.range),
    epochs: epochs as number,
  };
  if (parsed.dropLast && parsed.batchSize > dataset.size) {
    throw new GankitError(
      `Expected batchSize in [1, ${dataset.size}] (the dataset size) with dropLast: true but received ${parsed.batchSize}: ` +
        'no full batch can be made',
    );
  }
  return parsed;
}

function perEpoch(size: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/**
 * Batches per pass times `epochs` (default 1): floor(size / batchSize) with dropLast, else
 * ceil(size / batchSize). E.g. 60000 images, batchSize 64: 937 with dropLast, 938 without.
 */
export function numBatches(dataset: Dataset, options: BatchOptions): number {
  assertDataset(dataset);
  const o = parseOptions(dataset, options);
  return perEpoch(dataset.size, o.batchSize, o.dropLast) * o.epochs;
}

/** Lookup tables from a byte to its float32 value in each range. */
const LUT: Record<BatchRange, Float32Array> = {
  '0-1': Float32Array.from({ length: 256 }, (_, v) => v / 255),
  '-1-1': Float32Array.from({ length: 256 }, (_, v) => Math.fround(v / 255) * 2 - 1),
};

/** Make the image (and label) tensors for the given dataset indices; the caller owns them. */
function makeTensors(dataset: Dataset, indices: Int32Array, range: BatchRange): { images: tf.Tensor4D; labels?: tf.Tensor1D } {
  const [h, w, c] = dataset.imageShape;
  const per = imageBytes(dataset.imageShape);
  const lut = LUT[range];
  const src = dataset.images;
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) {
    const from = indices[k]! * per;
    const to = k * per;
    for (let i = 0; i < per; i++) out[to + i] = lut[src[from + i]!]!;
  }
  const images = tf.tensor4d(out, [indices.length, h, w, c], 'float32');
  if (!dataset.labels) return { images };
  const lab = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) lab[k] = dataset.labels[indices[k]!]!;
  return { images, labels: tf.tensor1d(lab, 'int32') };
}

/** In-place Fisher-Yates shuffle of `order` driven by `rng` (uniform in [0, 1)). */
function shuffleInPlace(order: Int32Array, rng: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/**
 * Iterate over `dataset` in mini-batches: NHWC float32 images in `range` (default '-1-1') and int32
 * labels. Shuffled per epoch from `seed` unless shuffle is false. Dispose each batch (disposeBatch).
 */
export function batches(dataset: Dataset, options: BatchOptions): BatchIterable {
  assertDataset(dataset);
  const o = parseOptions(dataset, options);
  const size = dataset.size;
  const per = perEpoch(size, o.batchSize, o.dropLast);
  function* generate(): Generator<Batch, void, undefined> {
    const rng = seedrandom(String(o.seed));
    const order = new Int32Array(size);
    let step = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = 0; i < size; i++) order[i] = i;
      if (o.shuffle) shuffleInPlace(order, rng);
      for (let index = 0; index < per; index++) {
        const start = index * o.batchSize;
        const indices = order.slice(start, Math.min(start + o.batchSize, size));
        const tensors = makeTensors(dataset, indices, o.range);
        const batch: Batch = { images: tensors.images, indices, index, epoch, step: step++, size: indices.length };
        if (tensors.labels) batch.labels = tensors.labels;
        yield batch;
      }
    }
  }
  return {
    seed: o.seed,
    batchesPerEpoch: per,
    numBatches: per * o.epochs,
    [Symbol.iterator]: generate,
  };
}

/** Dispose a batch's tensors (safe to call twice). */
export function disposeBatch(batch: Pick<Batch, 'images' | 'labels'>): void {
  batch.images.dispose();
  batch.labels?.dispose();
}

/**
 * Call `fn` on every batch (awaiting it) and dispose the batch afterwards, also when `fn` throws;
 * returns the number of batches visited. `fn` may return false to stop early.
 */
export async function forEachBatch(
  dataset: Dataset,
  options: BatchOptions,
  fn: (batch: Batch) => void | boolean | Promise<void | boolean>,
): Promise<number> {
  if (typeof fn !== 'function') throw invalidParameterError('fn', 'a function (batch) => void', fn);
  let count = 0;
  for (const batch of batches(dataset, options)) {
    try {
      count++;
      if ((await fn(batch)) === false) break;
    } finally {
      disposeBatch(batch);
    }
  }
  return count;
}

/** Options of sampleBatch. */
export interface SampleBatchOptions {
  /** Value scale of `images`: '-1-1' (default) or '0-1'. */
  range?: BatchRange;
}

/**
 * `n` distinct images (1 <= n <= size) drawn at random from `seed` (default random), as one batch
 * with index 0; the caller disposes it. Same seed, same images.
 */
export function sampleBatch(dataset: Dataset, n: number, seed?: number | string, options?: SampleBatchOptions): Batch {
  assertDataset(dataset);
  v.intIn('n', n, 1, dataset.size);
  const s = parseSeed(seed);
  const range = parseRange(v.options('sampleBatch options', options, ['range']).range);
  // Partial Fisher-Yates: the first n entries become a uniform sample without replacement.
  const rng = seedrandom(String(s));
  const order = new Int32Array(dataset.size);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const indices = order.slice(0, n);
  const tensors = makeTensors(dataset, indices, range);
  const batch: Batch = { images: tensors.images, indices, index: 0, epoch: 0, step: 0, size: n };
  if (tensors.labels) batch.labels = tensors.labels;
  return batch;
}
