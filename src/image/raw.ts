/** 8-bit pixels <-> sharp and <-> int32 tensors, for the EditImage back end. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isPlainObject } from '../util/is.js';
import type { ImageFormat } from './validate.js';

/** Interleaved 8-bit pixels of one image, row-major HWC; 2 and 4 channels carry alpha last (gankit's one 8-bit image type). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Encoded image bytes (PNG, JPEG, WebP, GIF, TIFF), a file path, or raw pixels. */
export type ImageSource = string | Buffer | Uint8Array | RawImage;


function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** True for a `{ data, width, height, channels }` raw image object (not validated). */
export function isRawImage(v: unknown): v is RawImage {
  return isPlainObject(v) && 'data' in v && 'width' in v && 'height' in v && 'channels' in v;
}

/** True for something openImage accepts. */
export function isImageSource(v: unknown): v is ImageSource {
  return (typeof v === 'string' && v.length > 0) || v instanceof Uint8Array || isRawImage(v);
}

/** Validate a raw image and copy its pixels (the caller's buffer may change later; edits are lazy). */
export function checkRaw(v: RawImage, name = 'image'): RawImage {
  const { data, width, height, channels } = v;
  if (!Number.isInteger(width) || width < 1) throw invalidParameterError(`${name}.width`, 'positive integer', width);
  if (!Number.isInteger(height) || height < 1) throw invalidParameterError(`${name}.height`, 'positive integer', height);
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) throw invalidParameterError(`${name}.channels`, 'one of 1, 2, 3, 4', channels);
  if (!(data instanceof Uint8Array)) throw invalidParameterError(`${name}.data`, 'Uint8Array or Buffer of 8-bit samples', data);
  if (data.length !== width * height * channels) {
    throw new GankitError(
      `Expected ${width * height * channels} bytes (width ${width} x height ${height} x channels ${channels}) for ${name}.data but received ${data.length}`,
    );
  }
  return { data: data.slice(), width, height, channels };
}

/** Decode a path or encoded bytes into 8-bit pixels: grey stays 1 channel, grey+alpha 2, RGB 3, RGBA 4. */
export async function decodeSource(source: string | Uint8Array): Promise<RawImage> {
  let bytes: Buffer;
  let what: string;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (e) {
      throw new GankitError(`Cannot read image file ${JSON.stringify(source)}: ${message(e)}`);
    }
    what = `file ${JSON.stringify(source)}`;
  } else {
    bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    what = `${source.byteLength}-byte buffer`;
  }
  try {
    const meta = await sharp(bytes).metadata();
    const grey = meta.space === 'b-w' || meta.space === 'grey16';
    // Grey stays grey; everything else (CMYK, 16-bit RGB, ...) becomes 8-bit sRGB (alpha kept).
    const img = sharp(bytes).toColourspace(grey && !meta.hasAlpha ? 'b-w' : 'srgb');
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const raw: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
    // sharp hands grey+alpha out as (g, g, g, a): keep it grey+alpha.
    return grey && meta.hasAlpha && raw.channels === 4 ? pickChannels(raw, [0, 3]) : raw;
  } catch (e) {
    throw new GankitError(`Cannot decode image from ${what}: ${message(e)} (expected a PNG, JPEG or WebP image; GIF and TIFF also work)`);
  }
}

function pickChannels(img: RawImage, from: number[]): RawImage {
  const n = img.width * img.height;
  const out = new Uint8Array(n * from.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < from.length; k++) out[i * from.length + k] = img.data[i * img.channels + from[k]!]!;
  return { ...img, data: out, channels: from.length as RawImage['channels'] };
}

/** Grey+alpha -> RGBA (sharp has no 2-channel raw output). Other channel counts pass through. */
export function expandGreyAlpha(img: RawImage): RawImage {
  return img.channels === 2 ? pickChannels(img, [0, 0, 0, 1]) : img;
}

/** A sharp pipeline reading these pixels (1, 3 or 4 channels). */
export function sharpOf(img: RawImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 | 4 } });
}

/** Encode pixels as PNG (lossless), JPEG or WebP. */
export async function encodeRaw(img: RawImage, format: ImageFormat, quality?: number): Promise<Buffer> {
  const hasAlpha = img.channels === 2 || img.channels === 4;
  if (format === 'jpeg' && hasAlpha) {
    throw new GankitError('Cannot write a JPEG with an alpha channel: JPEG has no transparency (write PNG or WebP, or drop alpha first)');
  }
  const src = expandGreyAlpha(img);
  return encodeSharp(sharpOf(src), src.channels === 1, format, quality);
}

/**
 * Encode the output of a sharp pipeline (grey output stays 1 channel). JPEG uses libjpeg's standard
 * Huffman tables (no optimisation pass), as libjpeg and Pillow do by default: files ~2% larger than
 * sharp's default, and the encode about a third faster.
 */
export function encodeSharp(s: Sharp, grey: boolean, format: ImageFormat, quality?: number): Promise<Buffer> {
  if (grey) s = s.toColourspace('b-w');
  if (format === 'png') return s.png().toBuffer();
  if (format === 'jpeg') return s.jpeg({ quality: quality ?? 80, optimiseCoding: false }).toBuffer();
  return s.webp({ quality: quality ?? 80 }).toBuffer();
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
