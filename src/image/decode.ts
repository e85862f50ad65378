/** The one decoder: PNG / JPEG / WebP (and GIF, TIFF) bytes and files -> 8-bit pixels or tensors, via sharp. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { pickChannels, type RawImage } from './raw.js';
import { parseChannels, parseRange, type ChannelCount, type ImageRange } from './validate.js';

export interface DecodeImageOptions {
  /**
   * Value scale of the result: '0-1' (default, float32), '-1-1' (float32, for tanh generators) or
   * 'uint8' (int32 tensor with integer values 0..255; tfjs has no uint8 dtype).
   */
  range?: ImageRange;
  /**
   * Channels of the result: 1 (grey), 3 (RGB) or 4 (RGBA). Default: the file's own (grey -> 1,
   * grey+alpha -> 4, RGB -> 3, RGBA -> 4). Grey -> RGB repeats the grey value; RGBA -> RGB drops
   * alpha; RGB -> grey is round(0.2989 R + 0.587 G + 0.114 B) on the stored integers; an added
   * alpha channel is opaque.
   */
  channels?: ChannelCount;
}

const DECODE_KEYS = ['range', 'channels'] as const;
const DECODABLE = ['png', 'jpeg', 'webp', 'gif', 'tiff'];

/** Decoded integer samples of one image: 1 (G), 2 (GA), 3 (RGB) or 4 (RGBA) channels. */
interface Samples {
  data: Uint8Array | Uint16Array;
  height: number;
  width: number;
  channels: 1 | 2 | 3 | 4;
  /** 255 for 8-bit files, 65535 for 16-bit files. */
  max: number;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** Read the input into a Buffer without copying caller-owned memory it does not need to. */
async function readInput(input: unknown): Promise<{ bytes: Buffer; source: string }> {
  if (typeof input === 'string') {
    if (input.length === 0) throw invalidParameterError('input', 'file path, Buffer or Uint8Array', input);
    try {
      return { bytes: await readFile(input), source: `file ${JSON.stringify(input)}` };
    } catch (e) {
      throw new GankitError(`Cannot read image file ${JSON.stringify(input)}: ${message(e)}`);
    }
  }
  if (input instanceof Uint8Array) {
    if (input.byteLength === 0) throw new GankitError('Expected non-empty image bytes for input but received 0 bytes');
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    return { bytes, source: `${input.byteLength}-byte buffer` };
  }
  throw invalidParameterError('input', 'file path, Buffer or Uint8Array', input);
}

/**
 * gankit's one decoder: sharp -> integer samples. Grey stays 1 channel, grey+alpha 2, RGB 3, RGBA 4;
 * other colour spaces (CMYK, ...) become sRGB. 16-bit files stay 16-bit when `keepDepth`, else 8-bit.
 * `maxSide` (pixels): shrink larger images while decoding (sharp's resize, aspect kept).
 */
async function decodeSamples(bytes: Buffer, source: string, keepDepth: boolean, maxSide = Infinity): Promise<Samples> {
  const fail = (why: string) =>
    new GankitError(`Cannot decode image from ${source}: ${why} (expected a PNG, JPEG or WebP image; GIF and TIFF also work)`);
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (e) {
    throw fail(message(e));
  }
  if (!meta.format || !DECODABLE.includes(meta.format)) throw fail(`unsupported format ${JSON.stringify(meta.format)}`);
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  const deep = keepDepth && meta.depth === 'ushort';
  let img = sharp(bytes).toColourspace(deep ? (grey ? 'grey16' : 'rgb16') : grey && !meta.hasAlpha ? 'b-w' : 'srgb');
  if ((meta.width ?? 0) > maxSide || (meta.height ?? 0) > maxSide) img = img.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await img.raw({ depth: deep ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw fail(message(e));
  }
  const { width, height, channels } = out.info;
  if (channels < 1 || channels > 4) throw fail(`${channels} channels after decoding`);
  const data = deep
    ? new Uint16Array(out.data.buffer, out.data.byteOffset, out.data.byteLength / 2)
    : new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  const samples: Samples = { data, width, height, channels: channels as Samples['channels'], max: deep ? 65535 : 255 };
  // sharp returns 8-bit grey+alpha as RGBA (g, g, g, a): fold it back to GA.
  if (grey && !deep && channels === 4) return { ...pickChannels(samples as RawImage, [0, 3]), max: 255 };
  return samples;
}

/**
 * Decode a path or encoded bytes into 8-bit pixels (16-bit files are reduced to 8 bits by sharp);
 * images wider or taller than `maxSide` pixels are shrunk to fit while decoding.
 */
export async function decodeSource(source: string | Uint8Array, maxSide = Infinity): Promise<RawImage> {
  const { bytes, source: what } = await readInput(source);
  const { max: _max, ...raw } = await decodeSamples(bytes, what, false, maxSide);
  return raw as RawImage;
}

/** Convert samples to the target channel count, still in integer units 0..max. */
function convertChannels(s: Samples, target: ChannelCount): { data: Float64Array | Uint8Array | Uint16Array; channels: ChannelCount } {
  const { data, channels: c, max } = s;
  if (c === target) return { data, channels: target };
  const n = s.width * s.height;
  const out = new Float64Array(n * target);
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const q = i * target;
    const greySrc = c <= 2;
    const r = data[p]!;
    const g = greySrc ? r : data[p + 1]!;
    const b = greySrc ? r : data[p + 2]!;
    const a = c === 2 ? data[p + 1]! : c === 4 ? data[p + 3]! : max;
    if (target === 1) {
      out[q] = greySrc ? r : Math.min(max, Math.round(0.2989 * r + 0.587 * g + 0.114 * b));
    } else {
      out[q] = r;
      out[q + 1] = g;
      out[q + 2] = b;
      if (target === 4) out[q + 3] = a;
    }
  }
  return { data: out, channels: target };
}

/** Scale integer samples to the requested range and build the HWC tensor. */
function toTensor(s: Samples, target: ChannelCount, range: ImageRange): tf.Tensor3D {
  const { data, channels } = convertChannels(s, target);
  const shape: [number, number, number] = [s.height, s.width, channels];
  const max = s.max;
  if (range === 'uint8') {
    const out = new Int32Array(data.length);
    if (max === 255) out.set(data);
    else for (let i = 0; i < data.length; i++) out[i] = Math.round(data[i]! / 257);
    return tf.tensor3d(out, shape, 'int32');
  }
  const out = new Float32Array(data.length);
  if (range === '0-1') for (let i = 0; i < data.length; i++) out[i] = data[i]! / max;
  else for (let i = 0; i < data.length; i++) out[i] = Math.fround(data[i]! / max) * 2 - 1;
  return tf.tensor3d(out, shape, 'float32');
}

/**
 * Decode a PNG, JPEG or WebP (also GIF, TIFF: first frame) from a file path or bytes into an HWC
 * tensor: float32 in [0, 1] by default, or `range` '-1-1' / 'uint8' (int32 0..255); see `channels`.
 * EXIF orientation is not applied (like PIL and torchvision.io); 16-bit files keep full precision.
 */
export async function decodeImage(input: string | Buffer | Uint8Array, options?: DecodeImageOptions): Promise<tf.Tensor3D> {
  const opts = v.options('options', options, DECODE_KEYS);
  const range = parseRange(opts.range);
  const channels = parseChannels(opts.channels);
  const { bytes, source } = await readInput(input);
  const samples = await decodeSamples(bytes, source, true);
  return toTensor(samples, channels ?? defaultChannels(samples.channels), range);
}

function defaultChannels(c: Samples['channels']): ChannelCount {
  return c === 2 ? 4 : c;
}

/** Load one image file as an HWC tensor (float32 [0, 1] by default); same options as decodeImage. */
export async function loadImage(path: string, options?: DecodeImageOptions): Promise<tf.Tensor3D> {
  return decodeImage(v.nonEmptyString('path', path), options);
}

/**
 * Load image files of one size into an NHWC batch (float32 [0, 1] by default). Without `channels`,
 * all files must have the same channel count; pass `channels: 3` to mix grey and colour files.
 */
export async function loadImages(paths: readonly string[], options?: DecodeImageOptions): Promise<tf.Tensor4D> {
  if (!Array.isArray(paths) || paths.length === 0) throw invalidParameterError('paths', 'non-empty array of file paths', paths);
  paths.forEach((p, i) => v.nonEmptyString(`paths[${i}]`, p));
  const opts = v.options('options', options, DECODE_KEYS);
  const range = parseRange(opts.range);
  const channels = parseChannels(opts.channels);
  const all: Samples[] = [];
  for (const path of paths) {
    const { bytes, source } = await readInput(path);
    all.push(await decodeSamples(bytes, source, true));
  }
  const first = all[0]!;
  const firstChannels = channels ?? defaultChannels(first.channels);
  all.forEach((s, i) => {
    if (s.height !== first.height || s.width !== first.width) {
      throw new GankitError(
        `Expected all images to have the same size for paths but paths[${i}] ${JSON.stringify(paths[i])} is ` +
          `${s.height}x${s.width} (HxW) while paths[0] ${JSON.stringify(paths[0])} is ${first.height}x${first.width}; resize them first`,
      );
    }
    if (channels === undefined && defaultChannels(s.channels) !== firstChannels) {
      throw new GankitError(
        `Expected all images to have the same channel count for paths but paths[${i}] ${JSON.stringify(paths[i])} has ` +
          `${defaultChannels(s.channels)} while paths[0] has ${firstChannels}; pass channels: 1, 3 or 4 to convert them`,
      );
    }
  });
  return tf.tidy(() => tf.stack(all.map((s) => toTensor(s, firstChannels, range))) as tf.Tensor4D);
}
