/** Tensor -> PNG / JPEG / WebP bytes and files, via sharp. */
import { writeFileAtomic } from '../util/files.js';
import sharp from 'sharp';
import type * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger, inRange } from '../util/is.js';
import { tensorToPixels } from './pixels.js';
import type { RawImage } from './raw.js';
import {
  checkOptionKeys,
  formatFromPath,
  parseFormat,
  parseRange,
  type ImageFormat,
  type ImageRange,
} from './validate.js';

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
    if (!isInteger(quality) || !inRange(quality, 1, 100)) throw invalidParameterError('quality', 'integer between 1 and 100', quality);
  }
  if (lossless !== undefined) {
    if (typeof lossless !== 'boolean') throw invalidParameterError('lossless', 'boolean', lossless);
    if (lossless && format !== 'webp') {
      throw invalidParameterError('lossless', `false or no value with format '${format}' (lossless applies to 'webp')`, lossless);
    }
  }
  return { format, quality: quality as number | undefined, lossless: lossless === true };
}

/** Encode 8-bit pixels with sharp. JPEG cannot hold alpha, so 4-channel pixels are rejected for it. */
export async function encodePixels(pixels: RawImage, settings: EncodeSettings): Promise<Buffer> {
  const { data, width, height, channels } = pixels;
  if (settings.format === 'jpeg' && channels === 4) {
    throw new GankitError(
      "Expected an image with 1 or 3 channels for format 'jpeg' but received 4 channels (JPEG has no alpha: " +
        "drop it with tensor.slice or use 'png' or 'webp')",
    );
  }
  let img = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  const q = settings.quality === undefined ? {} : { quality: settings.quality };
  if (settings.format === 'png') img = img.png();
  else if (settings.format === 'jpeg') img = img.jpeg(q);
  else img = img.webp({ ...q, lossless: settings.lossless });
  try {
    return await img.toBuffer();
  } catch (e) {
    throw new GankitError(`Cannot encode image as ${settings.format}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Encode one image tensor (HWC, or NHWC with N = 1; 1, 3 or 4 channels) as PNG (default), JPEG or
 * WebP. Values in `range` ('0-1' default) are rounded like torchvision save_image and clamped to 0..255.
 */
export async function encodeImage(tensor: tf.Tensor, options?: EncodeImageOptions): Promise<Buffer> {
  const opts = checkOptionKeys(options, 'options', ENCODE_KEYS);
  const format = parseFormat(opts.format, 'png');
  const settings = parseEncodeSettings(opts, format);
  const range = parseRange(opts.range);
  const pixels = await tensorToPixels(tensor, { range });
  return encodePixels(pixels, settings);
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
  if (typeof path !== 'string' || path.length === 0) throw invalidParameterError('path', 'non-empty string', path);
  const fromExt = formatFromPath(path);
  if (format !== undefined && parseFormat(format, fromExt) !== fromExt) {
    throw invalidParameterError('format', `'${fromExt}' or no value for a path ending in ${path.slice(path.lastIndexOf('.'))}`, format);
  }
  return fromExt;
}

/**
 * Write one image tensor to `path`; the format comes from the extension (.png, .jpg/.jpeg, .webp).
 * Options as for encodeImage; an explicit `format` must agree with the extension.
 */
export async function writeImage(tensor: tf.Tensor, path: string, options?: WriteImageOptions): Promise<void> {
  const opts = checkOptionKeys(options, 'options', ENCODE_KEYS);
  const format = formatForPath(path, opts.format);
  const bytes = await encodeImage(tensor, { ...(opts as EncodeImageOptions), format });
  await writeBytes(path, bytes);
}
