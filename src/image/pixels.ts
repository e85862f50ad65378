/**
 * Tensor values -> 8-bit pixels, with torchvision `save_image` rounding:
 * `x.mul(255).add_(0.5).clamp_(0, 255).to(uint8)`, computed in float32 like PyTorch.
 */
import * as tf from '@tensorflow/tfjs';
import type { RawImage } from './raw.js';
import * as v from '../util/validate.js';
import { assertNumericTensor, assertSingleImage, parseRange, type ImageRange } from './validate.js';


export interface TensorToPixelsOptions {
  /** Scale of the tensor's values: '0-1' (default), '-1-1' or 'uint8' (0..255). */
  range?: ImageRange;
}

const f32 = Math.fround;

/**
 * Map one value to a byte. Float math is rounded to float32 after every step, so the result is
 * bit-identical to PyTorch's float32 `mul(255).add_(0.5).clamp_(0, 255)` then uint8 truncation.
 * NaN maps to 0 (PyTorch leaves NaN -> uint8 undefined).
 */
export function toByte(value: number, range: ImageRange): number {
  let v: number;
  if (range === 'uint8') {
    v = f32(f32(value) + 0.5);
  } else {
    const x = range === '-1-1' ? f32(f32(f32(value) + 1) / 2) : f32(value);
    v = f32(f32(x * 255) + 0.5);
  }
  if (!(v > 0)) return 0; // also NaN
  if (v >= 255) return 255;
  return Math.trunc(v);
}

/** Convert a value array in `range` to bytes; int32 'uint8' data is clamped to 0..255 without rounding. */
function valuesToBytes(values: ArrayLike<number>, range: ImageRange, isInt: boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  if (isInt && range === 'uint8') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
    }
    return out;
  }
  for (let i = 0; i < values.length; i++) out[i] = toByte(values[i]!, range);
  return out;
}

/**
 * Read one image tensor (HWC, or NHWC with N = 1; 1, 3 or 4 channels; float32 or int32) as 8-bit
 * pixels, values in `range` ('0-1' default, '-1-1', 'uint8' = 0..255) rounded to nearest and clamped.
 */
export async function tensorToPixels(tensor: tf.Tensor, options?: TensorToPixelsOptions): Promise<RawImage> {
  assertNumericTensor(tensor, 'tensor');
  const opts = v.options('options', options, ['range']);
  const range = parseRange(opts.range);
  const [height, width, channels] = assertSingleImage(tensor, 'tensor');
  const values = await tensor.data();
  return { data: valuesToBytes(values as ArrayLike<number>, range, tensor.dtype === 'int32'), height, width, channels };
}
