/**
 * toDtype: torchvision's to_dtype between gankit's two tensor kinds, float32 ([0, 1]) and int32
 * (8-bit values 0..255, torch.uint8). With `scale` it follows 0.14's convert_image_dtype: int32 ->
 * float32 is x / 255; float32 -> int32 is trunc(x * 255.999) (x clamped to [0, 1] first, where torch's
 * uint8 cast would wrap). Without `scale` the values are only cast: float32 -> int32 truncates toward
 * zero and clamps to 0..255 (torch wraps modulo 256 there); int32 -> float32 keeps 0..255.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import * as v from '../../util/validate.js';

/** The dtypes toDtype converts between: 'float32' (values in [0, 1]) and 'int32' (8-bit values 0..255). */
export const IMAGE_DTYPES = ['float32', 'int32'] as const;
export type ImageDtype = (typeof IMAGE_DTYPES)[number];

export interface ToDtypeOptions {
  /** Rescale the values to the new range (0..255 <-> [0, 1]) as convert_image_dtype does. Default false, like torchvision's to_dtype. */
  scale?: boolean;
}

/** Convert an image tensor ([..., H, W, C]) to dtype 'float32' or 'int32' (default 'float32'), rescaling values with { scale: true }. */
export function toDtype<T extends tf.Tensor>(image: T, dtype: ImageDtype = 'float32', options?: ToDtypeOptions): T {
  if (!(image instanceof tf.Tensor)) throw invalidParameterError('image', 'a tf.Tensor ([..., H, W, C]) of dtype float32 or int32', image);
  if (image.isDisposed) throw new GankitError('Expected a live tensor for image but received a disposed tensor');
  const to = v.oneOf('dtype', dtype, IMAGE_DTYPES);
  const o = v.options('options', options, ['scale']);
  const scale = o.scale === undefined ? false : v.bool('options.scale', o.scale);
  const from = v.oneOf('image.dtype', image.dtype, IMAGE_DTYPES);
  return tf.tidy(() => {
    if (from === to) return image.clone();
    if (to === 'float32') return scale ? tf.div(tf.cast(image, 'float32'), 255) : tf.cast(image, 'float32');
    const x = scale ? tf.mul(tf.clipByValue(image, 0, 1), 255.999) : tf.clipByValue(image, 0, 255);
    return tf.cast(x, 'int32');
  }) as T;
}
