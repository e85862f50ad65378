/**
 * The image module's parameter kinds (range, format, channels, image tensors), built on the one
 * validation module util/validate.ts and its one error shape ("Expected ... for NAME but received ...").
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';

/** Value scale of an image tensor: [0, 1] floats, [-1, 1] floats (GAN outputs, tanh), or 0..255. */
export type ImageRange = '0-1' | '-1-1' | 'uint8';
const IMAGE_RANGES: readonly ImageRange[] = ['0-1', '-1-1', 'uint8'];

/** Encodings the image module writes. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';
const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

/** Channel counts an image tensor may have: grey, RGB, RGBA. */
export type ChannelCount = 1 | 3 | 4;

/** Error for a tensor whose shape or dtype is wrong, naming the parameter and what is valid. */
export function tensorError(name: string, expected: string, t: tf.Tensor): GankitError {
  return new GankitError(`Expected ${expected} for ${name} but received shape [${t.shape.join(',')}] of dtype ${t.dtype}`);
}

/** Check that `value` is a live float32 or int32 tf.Tensor. */
export function assertNumericTensor(value: unknown, name: string): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) throw invalidParameterError(name, 'a tf.Tensor', value);
  if (value.isDisposed) throw new GankitError(`Expected a live tensor for ${name} but received a disposed tensor`);
  if (value.dtype !== 'float32' && value.dtype !== 'int32') {
    throw tensorError(name, "a tensor of dtype 'float32' or 'int32'", value);
  }
}

/**
 * Check an image tensor that encodes to one picture: HWC, or NHWC with N = 1, with 1, 3 or 4
 * channels and non-zero height and width. Returns [height, width, channels].
 */
export function assertSingleImage(t: tf.Tensor, name: string): [number, number, ChannelCount] {
  if (t.rank !== 3 && t.rank !== 4) throw tensorError(name, '3D tensor (HWC) or 4D tensor (NHWC)', t);
  if (t.rank === 4 && t.shape[0] !== 1) {
    throw tensorError(name, 'a single image: 3D tensor (HWC) or 4D tensor (NHWC) with N = 1 (use makeGrid or saveImage for batches)', t);
  }
  const [h, w, c] = t.shape.slice(-3) as [number, number, number];
  if (c !== 1 && c !== 3 && c !== 4) throw tensorError(name, 'an image with 1, 3 or 4 channels (last axis)', t);
  if (h < 1 || w < 1) throw tensorError(name, 'an image with height and width of at least 1', t);
  return [h, w, c as ChannelCount];
}

/** Parse a `range` option (default '0-1'). */
export function parseRange(value: unknown, name = 'range'): ImageRange {
  return value === undefined ? '0-1' : v.oneOf(name, value, IMAGE_RANGES);
}

/** Parse a `format` option; `fallback` when undefined. */
export function parseFormat(value: unknown, fallback: ImageFormat, name = 'format'): ImageFormat {
  if (value === undefined) return fallback;
  if (value === 'jpg') return 'jpeg';
  v.check(name, value, IMAGE_FORMATS.includes(value as ImageFormat), `one of ${v.list(IMAGE_FORMATS)} ('jpg' is accepted too)`);
  return value as ImageFormat;
}

/** Parse an optional `channels` option (1, 3 or 4). */
export function parseChannels(value: unknown, name = 'channels'): ChannelCount | undefined {
  return value === undefined ? undefined : v.oneOf(name, value, [1, 3, 4] as const);
}

/** Image format implied by a file name's extension (.png, .jpg, .jpeg, .webp; case-insensitive). */
export function formatFromPath(path: string, name = 'path'): ImageFormat {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  const ext = m ? m[1]!.toLowerCase() : '';
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'webp') return 'webp';
  throw invalidParameterError(name, 'a file name ending in .png, .jpg, .jpeg or .webp', path);
}
