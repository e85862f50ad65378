/** `saveImage`: torchvision.utils.save_image semantics (grid, then 8-bit rounding, then a file). */
import type * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import { encodeRaw, formatForPath, parseEncodeSettings, writeBytes } from './encode.js';
import { MAKE_GRID_KEYS, makeGrid, type MakeGridOptions } from './grid.js';
import { tensorToPixels } from './pixels.js';
import * as v from '../util/validate.js';
import type { ImageFormat } from './validate.js';

export interface SaveImageOptions extends MakeGridOptions {
  /** Output format; default from the extension (.png, .jpg/.jpeg, .webp); must agree with it. */
  format?: ImageFormat | 'jpg';
  /** JPEG/WebP quality, integer 1..100 (sharp's default 80). Not valid for PNG. */
  quality?: number;
}

/**
 * Save images like torchvision save_image: makeGrid (same options; NHWC, HWC, HW or an array of
 * HWC), then `mul(255).add(0.5).clamp(0, 255)` to uint8, written as PNG, JPEG or WebP by extension.
 */
export async function saveImage(images: tf.Tensor | readonly tf.Tensor[], path: string, options?: SaveImageOptions): Promise<void> {
  const opts = v.options('options', options, [...MAKE_GRID_KEYS, 'format', 'quality']);
  const format = formatForPath(path, opts.format);
  const settings = parseEncodeSettings(opts, format);
  const { format: _f, quality: _q, ...gridOptions } = opts;
  const grid = makeGrid(images, gridOptions as MakeGridOptions);
  const channels = grid.shape[2];
  if (channels !== 3 && channels !== 4) {
    grid.dispose();
    throw new GankitError(
      `Expected images with 1, 3 or 4 channels (last axis) for images but received ${channels} channels; ` +
        'saveImage writes grey (as RGB), RGB or RGBA',
    );
  }
  let pixels;
  try {
    pixels = await tensorToPixels(grid, { range: '0-1' });
  } finally {
    grid.dispose();
  }
  await writeBytes(path, await encodeRaw(pixels, settings.format, settings.quality));
}
