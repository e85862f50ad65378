/** The one encoder: 8-bit pixels and tensors -> PNG / JPEG / WebP bytes and files, via sharp. */
import { writeFileAtomic } from '../util/files.js';
import sharp from 'sharp';
import type * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { tensorToPixels } from './pixels.js';
import { pickChannels, type RawImage } from './raw.js';
import * as v from '../util/validate.js';
import { formatFromPath, parseFormat, parseRange, type ImageFormat, type ImageRange } from './validate.js';

export interface EncodeImageOptions {
  /** Output format: 'png' (default, lossless), 'jpeg' ('jpg' accepted) or 'webp'. */
  format?: ImageFormat | 'jpg';
  /** Scale of the tensor's values: '0-1' (default), '-1-1' or 'uint8' (0..255). */
  range?: ImageRange;
  /** JPEG/WebP quality, integer 1..100 (sharp's default 80). Not valid for PNG. */
  quality?: number;
  /** WebP only: lossless encoding (default false). */
  lossless?: boolean;
}

export type WriteImageOptions = EncodeImageOptions;

const ENCODE_KEYS = ['format', 'range', 'quality', 'lossless'] as const;

interface EncodeSettings {
  format: ImageFormat;
  quality: number | undefined;
  lossless: boolean;
}

/** Validate format-specific options (quality, lossless) for a known format. */
export function parseEncodeSettings(opts: Record<string, unknown>, format: ImageFormat): EncodeSettings {
  const { quality, lossless } = opts;
  if (quality !== undefined) {
    if (format === 'png') {
      throw invalidParameterError('quality', "no value with format 'png' (quality applies to 'jpeg' and 'webp')", quality);
    }
    v.intIn('quality', quality, 1, 100);
  }
  if (lossless !== undefined) {
    v.bool('lossless', lossless);
    if (lossless && format !== 'webp') {
      throw invalidParameterError('lossless', `false or no value with format '${format}' (lossless applies to 'webp')`, lossless);
    }
  }
  return { format, quality: quality as number | undefined, lossless: lossless === true };
}

/**
 * Encode 8-bit pixels as PNG (lossless, zlib level 6), JPEG or WebP: gankit's one encoder. Grey stays
 * grey in PNG; the one grey+alpha rule: grey+alpha is written as RGBA (as decodeImage reads it). One JPEG setting:
 * `quality` (1..100, default 80) with libjpeg's standard Huffman tables (no optimisation pass), as libjpeg
 * and Pillow do by default. JPEG has no alpha, so 2- and 4-channel pixels are rejected for it.
 */
export async function encodeRaw(img: RawImage, format: ImageFormat, quality?: number, lossless = false): Promise<Buffer> {
  if (format === 'jpeg' && (img.channels === 2 || img.channels === 4)) {
    throw new GankitError(
      `Expected an image with 1 or 3 channels for format 'jpeg' but received ${img.channels} channels (JPEG has no alpha: ` +
        "drop it first, or write 'png' or 'webp')",
    );
  }
  const { data, width, height, channels } = img.channels === 2 ? pickChannels(img, [0, 0, 0, 1]) : img;
  let s = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: channels as 1 | 3 | 4 } });
  if (channels === 1) s = s.toColourspace('b-w');
  if (format === 'png') s = s.png({ compressionLevel: 6 });
  else if (format === 'jpeg') s = s.jpeg({ quality: quality ?? 80, optimiseCoding: false });
  else s = s.webp({ quality: quality ?? 80, lossless });
  try {
    return await s.toBuffer();
  } catch (e) {
    throw new GankitError(`Cannot encode image as ${format}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Encode one image tensor (HWC, or NHWC with N = 1; 1, 3 or 4 channels) as PNG (default), JPEG or
 * WebP. Values in `range` ('0-1' default) are rounded like torchvision save_image and clamped to 0..255.
 */
export async function encodeImage(tensor: tf.Tensor, options?: EncodeImageOptions): Promise<Buffer> {
  const opts = v.options('options', options, ENCODE_KEYS);
  const format = parseFormat(opts.format, 'png');
  const settings = parseEncodeSettings(opts, format);
  const range = parseRange(opts.range);
  const pixels = await tensorToPixels(tensor, { range });
  return encodeRaw(pixels, settings.format, settings.quality, settings.lossless);
}

/** Write bytes to a file, turning file-system errors into a GankitError that names the path. */
export async function writeBytes(path: string, bytes: Buffer): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw new GankitError(`Cannot write image file ${JSON.stringify(path)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Resolve the output format from a path's extension, checking it against an explicit `format` option. */
export function formatForPath(path: unknown, format: unknown): ImageFormat {
  const file = v.nonEmptyString('path', path);
  const fromExt = formatFromPath(file);
  if (format !== undefined && parseFormat(format, fromExt) !== fromExt) {
    throw invalidParameterError('format', `'${fromExt}' or no value for a path ending in ${file.slice(file.lastIndexOf('.'))}`, format);
  }
  return fromExt;
}

/**
 * Write one image tensor to `path`; the format comes from the extension (.png, .jpg/.jpeg, .webp).
 * Options as for encodeImage; an explicit `format` must agree with the extension.
 */
export async function writeImage(tensor: tf.Tensor, path: string, options?: WriteImageOptions): Promise<void> {
  const opts = v.options('options', options, ENCODE_KEYS);
  const format = formatForPath(path, opts.format);
  const bytes = await encodeImage(tensor, { ...(opts as EncodeImageOptions), format });
  await writeBytes(path, bytes);
}
