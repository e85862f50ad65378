/** gankit's one 8-bit image type, RawImage, its validation, and its conversions to and from int32 tensors. */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { isPlainObject } from '../util/is.js';

/** Interleaved 8-bit pixels of one image, row-major HWC; 2 and 4 channels carry alpha last (gankit's one 8-bit image type). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Encoded image bytes (PNG, JPEG, WebP, GIF, TIFF), a file path, or raw pixels. */
export type ImageSource = string | Buffer | Uint8Array | RawImage;

/** True for a `{ data, width, height, channels }` raw image object (not validated). */
export function isRawImage(v: unknown): v is RawImage {
  return isPlainObject(v) && 'data' in v && 'width' in v && 'height' in v && 'channels' in v;
}

/** True for something openImage accepts. */
export function isImageSource(v: unknown): v is ImageSource {
  return (typeof v === 'string' && v.length > 0) || v instanceof Uint8Array || isRawImage(v);
}

/** Validate a raw image and copy its pixels (the caller's buffer may change later; edits are lazy). */
export function checkRaw(img: RawImage, name = 'image'): RawImage {
  const { data, width, height, channels } = img;
  v.positiveInt(`${name}.width`, width);
  v.positiveInt(`${name}.height`, height);
  v.oneOf(`${name}.channels`, channels, [1, 2, 3, 4] as const);
  v.check(`${name}.data`, data, data instanceof Uint8Array, 'Uint8Array or Buffer of 8-bit samples');
  if (data.length !== width * height * channels) {
    throw new GankitError(
      `Expected ${width * height * channels} bytes (width ${width} x height ${height} x channels ${channels}) for ${name}.data but received ${data.length}`,
    );
  }
  return { data: data.slice(), width, height, channels };
}

/** The pixels of channels `from` of each pixel (e.g. [0, 3] keeps grey and alpha of (g, g, g, a)). */
export function pickChannels(img: RawImage, from: number[]): RawImage {
  const n = img.width * img.height;
  const out = new Uint8Array(n * from.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < from.length; k++) out[i * from.length + k] = img.data[i * img.channels + from[k]!]!;
  return { ...img, data: out, channels: from.length as RawImage['channels'] };
}

/** Pixels -> int32 NHWC tensor [1, H, W, C] with values 0..255. */
export function rawToTensor(img: RawImage): tf.Tensor4D {
  return tf.tensor4d(Int32Array.from(img.data), [1, img.height, img.width, img.channels], 'int32');
}

/** NHWC int32 tensor with N = 1 -> pixels (values clamped to 0..255). Does not dispose the tensor. */
export async function tensorToRaw(t: tf.Tensor4D): Promise<RawImage> {
  const [n, height, width, channels] = t.shape;
  if (n !== 1 || channels < 1 || channels > 4) throw new GankitError(`internal: cannot read back a tensor of shape [${t.shape.join(',')}] as one image`);
  const values = (await t.data()) as Int32Array | Float32Array;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    data[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return { data, width, height, channels: channels as RawImage['channels'] };
}
