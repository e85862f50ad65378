/**
 * erase: torchvision's erase, img[..., top:top+height, left:left+width] = value, on every channel
 * (alpha included, as torchvision has no alpha). The box follows Python slicing: a box reaching past
 * the bottom or right edge is cut there. `value` is one number, one per channel, or a tensor that
 * broadcasts to the erased box [height, width, C] (RandomErasing's noise); on int32 images values are
 * truncated to integers as torch's uint8 assignment does.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { dims, type EditOp, type PixelKind, type RawImage } from '../core.js';
import * as v from '../../util/validate.js';

/** The value erase writes: a fill (number or one per channel) or a tensor broadcasting to the box. */
export type EraseValue = v.Fill | tf.Tensor;

/** The erased box clipped to an h x w image: [top, left, height, width] (height or width 0 when nothing is erased). */
function clipBox(h: number, w: number, top: number, left: number, height: number, width: number): [number, number, number, number] {
  const t = Math.min(top, h), l = Math.min(left, w);
  return [t, l, Math.min(top + height, h) - t, Math.min(left + width, w) - l];
}

/** The value as an NHWC tensor broadcast to the clipped box, in the image's dtype. */
function valueTensor(value: EraseValue, kind: PixelKind, c: number, bh: number, bw: number): tf.Tensor4D {
  if (!(value instanceof tf.Tensor)) {
    const values = v.fillPerChannel('value', value, c, kind === 'uint8');
    return tf.broadcastTo(tf.tensor4d(kind === 'uint8' ? values.map(Math.trunc) : values, [1, 1, 1, c], kind === 'uint8' ? 'int32' : 'float32'), [1, bh, bw, c]);
  }
  if (value.isDisposed) throw new GankitError('Expected a live tensor for value but received a disposed tensor');
  const box = [bh, bw, c];
  const fits = value.rank <= 3 && value.shape.every((d, i) => d === 1 || d === box[3 - value.rank + i]);
  if (!fits) throw new GankitError(`Expected a value tensor that broadcasts to the erased box [${box.join(', ')}] (HWC) for value but received shape [${value.shape.join(', ')}]`);
  const t = tf.broadcastTo(value, box);
  // Clamped in float32 (tfjs-backend-wasm's ClipByValue ignores the bounds on int32), then truncated.
  const values = tf.cast(t, 'float32');
  return (kind === 'uint8' ? tf.cast(tf.clipByValue(values, 0, 255), 'int32') : values).expandDims(0) as tf.Tensor4D;
}

/** The 8-bit kernel for number values: copy, then write the per-channel values into the box. */
function eraseRaw(img: RawImage, box: [number, number, number, number], value: v.Fill): RawImage {
  const { width: w, channels: c } = img;
  const values = v.fillPerChannel('value', value, c, true).map(Math.trunc);
  const data = img.data.slice();
  const [top, left, bh, bw] = box;
  for (let y = top; y < top + bh; y++) {
    for (let x = left; x < left + bw; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = values[k]!;
  }
  return { ...img, data };
}

export function eraseOp(top: number, left: number, height: number, width: number, value: EraseValue): EditOp {
  const t = v.nonNegativeInt('top', top);
  const l = v.nonNegativeInt('left', left);
  const h = v.positiveInt('height', height);
  const w = v.positiveInt('width', width);
  if (!(value instanceof tf.Tensor)) v.fill('value', value);
  else if (value.dtype !== 'float32' && value.dtype !== 'int32') throw invalidParameterError('value', 'a number, an array of numbers or a float32 / int32 tensor', value);
  return {
    name: 'erase',
    tensor: (x, kind) => {
      const { n, h: ih, w: iw, c } = dims(x);
      const [bt, bl, bh, bw] = clipBox(ih, iw, t, l, h, w);
      if (bh === 0 || bw === 0) return x;
      const padded = tf.pad(valueTensor(value, kind, c, bh, bw), [[0, 0], [bt, ih - bt - bh], [bl, iw - bl - bw], [0, 0]]);
      const inside = tf.cast(tf.pad(tf.ones([1, bh, bw, 1], 'int32'), [[0, 0], [bt, ih - bt - bh], [bl, iw - bl - bw], [0, 0]]), 'bool');
      return tf.where(tf.broadcastTo(inside, [n, ih, iw, c]), tf.broadcastTo(padded, [n, ih, iw, c]), x) as tf.Tensor4D;
    },
    image: async (img) => (value instanceof tf.Tensor ? undefined : eraseRaw(img, clipBox(img.height, img.width, t, l, h, w), value)),
  };
}
