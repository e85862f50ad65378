/**
 * normalize: torchvision's normalize on float tensors, (x - mean) / std per channel (the last axis),
 * in float32 as torch computes it. The result is no longer an image in [0, 1], so normalize takes
 * float32 tensors only (like torchvision, which rejects integer tensors) and returns a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { isFiniteNumber } from '../../util/is.js';
import { tensorError } from '../../image/validate.js';

/** One finite number per channel (or one for all), every std non-zero. */
function perChannel(name: string, value: unknown, channels: number, nonZero: boolean): number[] {
  const values = isFiniteNumber(value) ? [value] : value;
  const what = `finite number${nonZero ? ' != 0' : ''} or array of 1 or ${channels} (one per channel)`;
  if (!Array.isArray(values) || (values.length !== 1 && values.length !== channels)) throw invalidParameterError(name, what, value);
  values.forEach((x, i) => {
    if (!isFiniteNumber(x) || (nonZero && Math.fround(x) === 0)) throw invalidParameterError(`${name}[${i}]`, `finite number${nonZero ? ' != 0 (in float32)' : ''}`, x);
  });
  return values.length === channels ? values : new Array<number>(channels).fill(values[0]!);
}

/** (image - mean) / std per channel of a float32 tensor ([..., H, W, C]); mean and std are one number or one per channel. */
export function normalize<T extends tf.Tensor>(image: T, mean: number | readonly number[], std: number | readonly number[]): T {
  if (!(image instanceof tf.Tensor)) throw invalidParameterError('image', 'a float32 tf.Tensor ([..., H, W, C])', image);
  if (image.isDisposed) throw new GankitError('Expected a live tensor for image but received a disposed tensor');
  if (image.dtype !== 'float32') throw tensorError('image', "a float32 tensor (normalize needs floats: convert int32 pixels with toDtype(image, 'float32', { scale: true }))", image);
  if (image.rank < 3) throw tensorError('image', 'a tensor of rank 3 or more ([..., H, W, C])', image);
  const channels = image.shape[image.rank - 1]!;
  const m = perChannel('mean', mean, channels, false);
  const s = perChannel('std', std, channels, true);
  return tf.tidy(() => tf.div(tf.sub(image, tf.tensor1d(m)), tf.tensor1d(s))) as T;
}
