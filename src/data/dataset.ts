/**
 * The common in-memory dataset shape: raw uint8 pixels (HWC, 0..255) and optional integer labels.
 * Datasets hold no tensors; `batches()` and `sampleBatch()` make tensors on demand.
 */
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger, isPlainObject } from '../util/is.js';
import * as v from '../util/validate.js';

/** Image shape [height, width, channels] in pixels; channels is 1 (grey) or 3 (RGB). */
export type ImageShape = readonly [number, number, number];

/**
 * An image dataset in memory. `images` holds `size` images back to back, each HWC uint8 (0..255).
 * Arrays may be shared with gankit's per-process cache: treat them as read-only.
 */
export interface Dataset {
  /** A short name for display, e.g. 'mnist-train'. */
  readonly name: string;
  /** Number of images. */
  readonly size: number;
  /** [height, width, channels] of every image. */
  readonly imageShape: ImageShape;
  /** size * height * width * channels bytes, image after image, each row-major HWC. */
  readonly images: Uint8Array;
  /** One class index per image, in [0, numClasses), when the dataset is labelled. */
  readonly labels?: Uint8Array | Int32Array;
  /** Number of classes, when labelled. */
  readonly numClasses?: number;
  /** Class names indexed by label, when known. */
  readonly classNames?: readonly string[];
  /** Source file of each image (image folders only). */
  readonly files?: readonly string[];
}

/** Fields accepted by createDataset. */
export interface DatasetInit {
  name: string;
  imageShape: readonly [number, number, number];
  images: Uint8Array;
  labels?: Uint8Array | Int32Array;
  numClasses?: number;
  classNames?: readonly string[];
  files?: readonly string[];
}

const INIT_KEYS = ['name', 'imageShape', 'images', 'labels', 'numClasses', 'classNames', 'files'];

/** Bytes in one image of the given shape. */
export function imageBytes(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/**
 * Build a Dataset from raw uint8 HWC pixels (0..255), validating shapes and labels; the arrays
 * are used as given (not copied). `size` is derived from `images.length / (h * w * c)`.
 */
export function createDataset(init: DatasetInit): Dataset {
  v.check('init', init, isPlainObject(init), 'a plain object with name, imageShape and images');
  v.options('init', init, INIT_KEYS);
  const { name, imageShape, images, labels, classNames, files } = init;
  v.nonEmptyString('name', name);
  if (
    !Array.isArray(imageShape) || imageShape.length !== 3 ||
    !imageShape.slice(0, 2).every((d) => isInteger(d) && d >= 1) || (imageShape[2] !== 1 && imageShape[2] !== 3)
  ) {
    throw invalidParameterError('imageShape', '[height >= 1, width >= 1, channels 1 or 3]', imageShape);
  }
  if (!(images instanceof Uint8Array)) throw invalidParameterError('images', 'a Uint8Array of HWC pixels 0..255', images);
  const shape = [imageShape[0], imageShape[1], imageShape[2]] as const;
  const per = imageBytes(shape);
  if (images.length % per !== 0) {
    throw new GankitError(
      `Expected a multiple of ${per} bytes (${shape.join('x')} per image) for images but received ${images.length} bytes`,
    );
  }
  const size = images.length / per;
  if (size === 0) throw new GankitError('Expected at least one image for images but received 0 bytes');
  let numClasses = init.numClasses;
  if (labels !== undefined) {
    if (!(labels instanceof Uint8Array) && !(labels instanceof Int32Array)) {
      throw invalidParameterError('labels', 'a Uint8Array or Int32Array', labels);
    }
    if (labels.length !== size) {
      throw new GankitError(`Expected ${size} labels (one per image) for labels but received ${labels.length}`);
    }
    let max = -1;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      if (l < 0) throw new GankitError(`Expected labels >= 0 for labels but received ${l} at index ${i}`);
      if (l > max) max = l;
    }
    if (numClasses === undefined) numClasses = classNames ? classNames.length : max + 1;
    v.positiveInt('numClasses', numClasses);
    if (max >= numClasses) {
      throw new GankitError(`Expected labels in [0, ${numClasses - 1}] for labels but received ${max}`);
    }
  } else if (numClasses !== undefined) {
    v.positiveInt('numClasses', numClasses);
  }
  if (classNames !== undefined) {
    if (!Array.isArray(classNames) || !classNames.every((c) => typeof c === 'string')) {
      throw invalidParameterError('classNames', 'an array of strings', classNames);
    }
    if (numClasses !== undefined && classNames.length !== numClasses) {
      throw new GankitError(`Expected ${numClasses} class names (numClasses) for classNames but received ${classNames.length}`);
    }
  }
  if (files !== undefined && (!Array.isArray(files) || files.length !== size)) {
    throw invalidParameterError('files', `an array of ${size} file names (one per image)`, files);
  }
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { name, size, imageShape: Object.freeze(shape), images };
  if (labels !== undefined) out.labels = labels;
  if (numClasses !== undefined) out.numClasses = numClasses;
  if (classNames !== undefined) out.classNames = Object.freeze([...classNames]);
  if (files !== undefined) out.files = Object.freeze([...files]);
  return Object.freeze(out);
}

/** Check that `value` is a Dataset whose arrays agree with its size and shape (cheap checks only). */
export function assertDataset(value: unknown, name = 'dataset'): asserts value is Dataset {
  const d = value as Partial<Dataset> | undefined;
  if (
    typeof d !== 'object' || d === null || !(d.images instanceof Uint8Array) || !Array.isArray(d.imageShape) ||
    d.imageShape.length !== 3 || !isInteger(d.size)
  ) {
    throw invalidParameterError(name, 'a Dataset ({ name, size, imageShape, images }) from loadMnist, loadFashionMnist, loadImageFolder or createDataset', value);
  }
  const per = imageBytes(d.imageShape as ImageShape);
  if (d.images.length !== d.size * per) {
    throw new GankitError(
      `Expected ${d.size} x ${d.imageShape.join('x')} = ${d.size * per} bytes in ${name}.images but received ${d.images.length}`,
    );
  }
  if (d.labels !== undefined && d.labels.length !== d.size) {
    throw new GankitError(`Expected ${d.size} labels in ${name}.labels but received ${d.labels.length}`);
  }
}

/**
 * The first `count` images of a dataset (0 < count; clamped to its size), sharing its memory.
 * `name` defaults to the dataset's own.
 */
export function takeDataset(dataset: Dataset, count: number, name?: string): Dataset {
  assertDataset(dataset);
  v.positiveInt('count', count);
  const n = Math.min(count, dataset.size);
  if (n === dataset.size && name === undefined) return dataset;
  const per = imageBytes(dataset.imageShape);
  const init: DatasetInit = {
    name: name ?? dataset.name,
    imageShape: dataset.imageShape,
    images: dataset.images.subarray(0, n * per),
  };
  if (dataset.labels) init.labels = dataset.labels.subarray(0, n);
  if (dataset.numClasses !== undefined) init.numClasses = dataset.numClasses;
  if (dataset.classNames) init.classNames = dataset.classNames;
  if (dataset.files) init.files = dataset.files.slice(0, n);
  return createDataset(init);
}

/** One image's pixels (HWC uint8, a view, not a copy); `index` in [0, size). */
export function imageAt(dataset: Dataset, index: number): Uint8Array {
  assertDataset(dataset);
  v.intIn('index', index, 0, dataset.size - 1);
  const per = imageBytes(dataset.imageShape);
  return dataset.images.subarray(index * per, (index + 1) * per);
}
