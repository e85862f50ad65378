/** Validation of the image batches the quality metric takes: NHWC float32 [n >= 2, 28, 28, 1], finite, in [-1, 1]. */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { CLASSIFIER_INPUT_SHAPE } from './classifier-model.js';

/** Slack allowed beyond [-1, 1] for rounding (e.g. after resizing); beyond it images are rejected. */
const RANGE_SLACK = 1e-3;

/**
 * Check that `images` is a float32 tensor [n, 28, 28, 1] with n >= minCount, all finite and within
 * [-1, 1] (a generator's tanh range); throws a GankitError naming `name` otherwise. Disposes nothing.
 */
export function assertClassifierImages(images: unknown, name = 'images', minCount = 2): asserts images is tf.Tensor4D {
  const [h, w, c] = CLASSIFIER_INPUT_SHAPE;
  if (!(images instanceof tf.Tensor)) throw invalidParameterError(name, `a tf.Tensor4D of shape [n, ${h}, ${w}, ${c}] (NHWC, values in [-1, 1])`, images);
  if (images.isDisposed) throw new GankitError(`Expected a live tensor for ${name} but received a disposed one`);
  if (images.rank !== 4 || images.shape[1] !== h || images.shape[2] !== w || images.shape[3] !== c) {
    throw new GankitError(`Expected shape [n, ${h}, ${w}, ${c}] (NHWC, grey) for ${name} but received [${images.shape.join(', ')}]`);
  }
  if (images.dtype !== 'float32') throw new GankitError(`Expected dtype float32 for ${name} but received ${images.dtype}`);
  const n = images.shape[0]!;
  if (n < minCount) throw new GankitError(`Expected at least ${minCount} images (n >= ${minCount}) for ${name} but received ${n}`);
  const [bad, min, max] = tf.tidy(() => {
    const notFinite = tf.logicalNot(tf.isFinite(images)).any().cast('float32');
    return tf.stack([notFinite, images.min(), images.max()]).dataSync();
  }) as unknown as [number, number, number];
  if (bad) throw new GankitError(`Expected finite values for ${name} but it holds NaN or Infinity`);
  if (min < -1 - RANGE_SLACK || max > 1 + RANGE_SLACK) {
    throw new GankitError(
      `Expected values in [-1, 1] for ${name} (a generator's tanh range; scale 0..255 pixels as v / 127.5 - 1) but received [${min}, ${max}]`,
    );
  }
}
