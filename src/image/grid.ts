/**
 * `makeGrid`: torchvision.utils.make_grid (0.14) semantics on NHWC tensors (tfjs layout),
 * where torchvision uses NCHW.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber } from '../util/is.js';
import * as v from '../util/validate.js';
import { assertNumericTensor, tensorError } from './validate.js';

export interface MakeGridOptions {
  /** Images per grid row, integer >= 1 (default 8); the grid is ceil(N / nrow) rows high. */
  nrow?: number;
  /** Pixels of padding between images and around the border, integer >= 0 (default 2). */
  padding?: number;
  /** Shift values to [0, 1] using `valueRange`, or the min and max of the data (default false). */
  normalize?: boolean;
  /** [min, max] for `normalize`: values are clamped to it, then (x - min) / max(max - min, 1e-5). */
  valueRange?: readonly [number, number];
  /** With `normalize`, scale each image by its own min and max rather than the batch's (default false). */
  scaleEach?: boolean;
  /** Value of padded pixels (default 0), in the same units as the output. */
  padValue?: number;
}

export const MAKE_GRID_KEYS = ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'] as const;

interface GridSettings {
  nrow: number;
  padding: number;
  normalize: boolean;
  valueRange: [number, number] | undefined;
  scaleEach: boolean;
  padValue: number;
}

/** Validate makeGrid options, filling torchvision's defaults. */
function parseGridOptions(opts: Record<string, unknown>): GridSettings {
  const { valueRange, padValue = 0 } = opts;
  const settings = {
    nrow: v.positiveInt('nrow', opts.nrow ?? 8),
    padding: v.nonNegativeInt('padding', opts.padding ?? 2),
    normalize: v.bool('normalize', opts.normalize ?? false),
    scaleEach: v.bool('scaleEach', opts.scaleEach ?? false),
  };
  v.check('padValue', padValue, isFiniteNumber(padValue), 'finite number');
  const ok = valueRange === undefined ||
    (Array.isArray(valueRange) && valueRange.length === 2 && valueRange.every(isFiniteNumber) && valueRange[0] <= valueRange[1]);
  v.check('valueRange', valueRange, ok, '[min, max] of finite numbers with min <= max');
  return { ...settings, padValue: padValue as number, valueRange: valueRange as [number, number] | undefined };
}

/** Turn the input (tensor of rank 2-4, or array of HWC tensors) into a float32 NHWC batch. */
function toBatch(input: unknown): tf.Tensor4D {
  if (Array.isArray(input)) {
    if (input.length === 0) throw invalidParameterError('images', 'a tensor or a non-empty array of 3D tensors (HWC)', input);
    input.forEach((t, i) => {
      assertNumericTensor(t, `images[${i}]`);
      if (t.rank !== 3) throw tensorError(`images[${i}]`, '3D tensor (HWC) in an array of images', t);
      const first = input[0] as tf.Tensor;
      if (!tf.util.arraysEqual(t.shape, first.shape)) {
        throw tensorError(`images[${i}]`, `the same shape as images[0] [${first.shape.join(',')}]`, t);
      }
    });
    return tf.stack((input as tf.Tensor3D[]).map((t) => tf.cast(t, 'float32'))) as tf.Tensor4D;
  }
  assertNumericTensor(input, 'images');
  let t: tf.Tensor = tf.cast(input, 'float32');
  if (t.rank === 2) t = t.expandDims(2); // H x W -> H x W x 1
  if (t.rank === 3) t = t.expandDims(0); // single image -> batch of one
  if (t.rank !== 4) throw tensorError('images', '2D tensor (HW), 3D tensor (HWC) or 4D tensor (NHWC)', input);
  return t as tf.Tensor4D;
}

/** Clamp to [low, high], then (x - low) / max(high - low, 1e-5); low and high broadcast against x. */
function normRange(x: tf.Tensor4D, low: tf.Tensor | number, high: tf.Tensor | number): tf.Tensor4D {
  const clamped = tf.minimum(tf.maximum(x, low), high);
  const span = tf.maximum(tf.sub(high, low), 1e-5);
  return tf.div(tf.sub(clamped, low), span);
}

/**
 * Arrange images into one HWC grid like torchvision make_grid: input NHWC (or HWC, HW, or an array
 * of HWC tensors); 1-channel images become 3-channel; a single image comes back without padding.
 * Result is a new float32 tensor of shape [ceil(N/nrow)*(H+p)+p, min(nrow,N)*(W+p)+p, C].
 */
export function makeGrid(images: tf.Tensor | readonly tf.Tensor[], options?: MakeGridOptions): tf.Tensor3D {
  const s = parseGridOptions(v.options('options', options, MAKE_GRID_KEYS));
  return tf.tidy(() => {
    let batch = toBatch(images);
    const [n, h, w, c] = batch.shape;
    if (n === 0 || h === 0 || w === 0 || c === 0) {
      throw new GankitError(`Expected a non-empty batch of images for images but received shape [${batch.shape.join(',')}]`);
    }
    if (c === 1) batch = tf.tile(batch, [1, 1, 1, 3]);

    if (s.normalize) {
      if (s.valueRange) batch = normRange(batch, s.valueRange[0], s.valueRange[1]);
      else if (s.scaleEach) batch = normRange(batch, tf.min(batch, [1, 2, 3], true), tf.max(batch, [1, 2, 3], true));
      else batch = normRange(batch, tf.min(batch), tf.max(batch));
    }

    if (n === 1) return tf.squeeze(batch, [0]) as tf.Tensor3D;

    const xmaps = Math.min(s.nrow, n);
    const ymaps = Math.ceil(n / xmaps);
    const p = s.padding;
    const channels = batch.shape[3];
    // Each cell is the image with `padding` rows above and columns to its left; empty cells are all padding.
    const cells = tf.pad(batch, [[0, xmaps * ymaps - n], [p, 0], [p, 0], [0, 0]], s.padValue);
    const rows = cells
      .reshape([ymaps, xmaps, h + p, w + p, channels])
      .transpose([0, 2, 1, 3, 4])
      .reshape([ymaps * (h + p), xmaps * (w + p), channels]);
    // The outer border: `padding` more rows at the bottom and columns at the right.
    return tf.pad(rows, [[0, p], [0, p], [0, 0]], s.padValue) as tf.Tensor3D;
  });
}
