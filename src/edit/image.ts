/**
 * EditImage: an immutable, lazy image (file, encoded bytes or raw pixels) with a list of edits.
 * Each edit returns a new EditImage; nothing runs until toBuffer / toFile / toRaw / toTensor.
 * Edits run one at a time in the order they were written (sharp would reorder the operations of
 * one pipeline), each on materialised 8-bit pixels: the op's 8-bit kernel (typed-array loops that
 * compute the tensor kernel's float32 formulas step for step, or a sharp step where sharp is exact:
 * extend, quarter-turn rotate), otherwise gankit's tensor kernel on an int32 tensor (torchvision's
 * uint8 semantics).
 * Encoding (toBuffer / toFile) fuses the last edit into the encoder's sharp pipeline when the op has
 * an exact native step (flips, crops, padding, invert, quarter turns), and with the decoder too when
 * that edit is the only one on an encoded source: decode -> op -> encode then runs in libvips without
 * a raw-pixel round trip. Per-pixel edits (brightness, gamma, posterize, solarize, grayscale,
 * saturation) as the only edit on an 8-bit sRGB or grey encoded source run inside one libvips
 * decode -> op -> encode pipeline when the gankit_vips addon is built (src/edit/vips.ts), and so do
 * autocontrast and equalize (decoded into memory while their histograms are counted, then table ->
 * encode); other table edits (contrast, ...) as the only edit on an encoded source run in place on a freshly decoded
 * buffer. The bytes are the same either way.
 */
import { writeError, writeFileAtomic } from '../util/files.js';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import type { Sharp } from 'sharp';
import { isImageSource, checkRaw, decodeSource, encodeRaw, encodeSharp, rawToTensor, sharpOf, tensorToRaw, isRawImage, type ImageSource, type EditImageFormat } from './raw.js';
import { fusableSource, sharpFrom } from './native.js';
import { hasPointPipeline, pointPipeline, startDecode, wholePipeline } from './vips.js';
import type { EditOp, RawImage, SharpInput } from './core.js';
import { copyBytes, releasePixels } from './outputs.js';
import { nativeKernels } from './addon.js';
import { encodeJpegStrips, stripCount } from './jpeg_strips.js';
import { centerCropOp, cropOp, hflipOp, padOp, vflipOp, type CropOptions, type PadOptions } from './geometry.js';
import { resizeOp, resizedCropOp, type ResizeOptions, type ResizedCropOptions } from './resize.js';
import { affineOp, perspectiveOp, rotateOp, type AffineOptions, type PerspectiveOptions, type RotateOptions } from './warp.js';
import {
  adjustBrightnessOp, adjustContrastOp, adjustGammaOp, adjustHueOp, adjustSaturationOp, adjustSharpnessOp, autocontrastOp,
  equalizeOp, invertOp, posterizeOp, rgbToGrayscaleOp, solarizeOp,
} from './color.js';
import { gaussianBlurOp } from './blur.js';
import * as v from './validate.js';

/** Run one op on pixels: its native kernel when it has one for this case, else the tensor kernel on int32. */
export async function runOnRaw(img: RawImage, op: EditOp): Promise<RawImage> {
  if (op.image) {
    const native = await op.image(img);
    if (native) return native;
  }
  const y = tf.tidy(() => {
    const x = rawToTensor(img);
    const out = op.tensor(x, 'uint8');
    return out === x ? out.clone() : out;
  });
  try {
    return await tensorToRaw(y);
  } finally {
    y.dispose();
  }
}

/** The sole-edit source's fusableSource metadata, read once per encode (undefined without such a source). */
type SourceMeta = () => Promise<SharpInput | undefined>;

export interface EncodeOptions {
  /** 'png' (default, lossless), 'jpeg' or 'webp'. */
  format?: EditImageFormat;
  /** JPEG / WebP quality 1..100 (default 80). */
  quality?: number;
}

function parseEncode(options: unknown, defaultFormat: EditImageFormat) {
  const o = v.options('options', options, ['format', 'quality']);
  let format = defaultFormat;
  if (o.format !== undefined) format = o.format === 'jpg' ? 'jpeg' : v.oneOf('options.format', o.format, ['png', 'jpeg', 'webp'] as const);
  const quality = o.quality === undefined ? undefined : v.intIn('options.quality', o.quality, 1, 100);
  return { format, quality };
}

/** The format a file name implies (.png, .jpg, .jpeg, .webp). */
export function formatOfPath(path: string): EditImageFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'webp') return 'webp';
  throw invalidParameterError('path', 'a file name ending in .png, .jpg, .jpeg or .webp', path);
}

/** Value scale of toTensor's result. */
export type TensorRange = '0-1' | '-1-1' | 'uint8';

export class EditImage {
  #source: ImageSource | undefined;
  #parent: EditImage | undefined;
  #op: EditOp | undefined;
  #result: Promise<RawImage> | undefined;

  private constructor(source: ImageSource | undefined, parent: EditImage | undefined, op: EditOp | undefined) {
    this.#source = source;
    this.#parent = parent;
    this.#op = op;
  }

  /** Open a file path, encoded bytes (PNG, JPEG, WebP, GIF, TIFF) or raw pixels `{ data, width, height, channels }`. */
  static open(source: ImageSource): EditImage {
    if (!isImageSource(source)) throw invalidParameterError('source', 'file path, Buffer / Uint8Array of an encoded image, or { data, width, height, channels }', source);
    if (isRawImage(source)) return new EditImage(checkRaw(source, 'source'), undefined, undefined);
    if (typeof source !== 'string') {
      if (source.byteLength === 0) throw new GankitError('Expected non-empty image bytes for source but received 0 bytes');
      return new EditImage(new Uint8Array(source), undefined, undefined);
    }
    return new EditImage(source, undefined, undefined);
  }

  /** A new EditImage with `op` appended (used by the functional API and transforms). */
  then(op: EditOp): EditImage {
    return new EditImage(undefined, this, op);
  }

  /** Materialise this image's pixels (computed once, then shared; never mutated). */
  #pixels(): Promise<RawImage> {
    if (!this.#result) {
      const compute = async (): Promise<RawImage> => {
        if (this.#parent && this.#op) {
          const input = await this.#parent.#pixels();
          return runOnRaw(input, this.#op);
        }
        const src = this.#source!;
        return isRawImage(src) ? src : decodeSource(src);
      };
      this.#result = compute();
      // Once computed, the parent chain is not needed to reproduce this image.
      this.#result.then(() => { this.#parent = undefined; this.#source = undefined; }, () => undefined);
    }
    return this.#result;
  }

  /**
   * Run the edits and return the 8-bit pixels (HWC; 2 and 4 channels carry alpha last), in a buffer the
   * caller owns. When nothing holds this image's pixels yet, the last edit's fresh output is handed out
   * without a copy (not cached: a later call or a derived image runs that edit again); otherwise a copy.
   */
  async toRaw(): Promise<RawImage> {
    if (!this.#result) {
      const owned = await this.#decodedInPlace();
      if (owned) return owned;
      if (this.#parent && this.#op) {
        const input = await this.#parent.#pixels();
        const out = await runOnRaw(input, this.#op);
        if (out.data.buffer !== input.data.buffer) return out;
      } else if (this.#source !== undefined && !isRawImage(this.#source)) {
        return decodeSource(this.#source);
      }
    }
    const p = await this.#pixels();
    return { ...p, data: copyBytes(p.data) };
  }

  /**
   * The encoded source (path or bytes) when this image is the only edit on it and neither has been
   * materialised: the case where decoding can be fused with the edit. Else undefined.
   */
  #soleEditSource(): string | Uint8Array | undefined {
    const parent = this.#parent;
    if (this.#result || !parent || !this.#op || parent.#parent || parent.#result) return undefined;
    const src = parent.#source;
    return src === undefined || isRawImage(src) ? undefined : src;
  }

  /**
   * A sharp pipeline giving this image's pixels with its last edit run natively, or undefined when the
   * edit has no exact native step, or when the pixel path is faster for this output: a large JPEG (which
   * encodeRaw writes in parallel strips) from pixels in memory (no decode for the encoder to overlap
   * with) or from a source the step must decode completely first (op.sharpBuffers).
   */
  async #native(format: EditImageFormat, sourceMeta: SourceMeta): Promise<{ s: Sharp; grey: boolean } | undefined> {
    const parent = this.#parent;
    const op = this.#op;
    if (this.#result || !parent || !op?.sharp) return undefined;
    const strips = (size: { width: number; height: number; channels: number }) =>
      format === 'jpeg' && nativeKernels() !== undefined && stripCount(size.width, size.height, size.channels) > 1;
    const src = this.#soleEditSource();
    if (src !== undefined) {
      const meta = await sourceMeta();
      if (meta && op.sharpBuffers && strips(meta)) return undefined;
      const step = meta && (await op.sharp(meta));
      if (meta && step) return { s: step(sharpFrom(src)), grey: meta.channels === 1 };
    }
    const pixels = await parent.#pixels();
    if ((pixels.channels !== 1 && pixels.channels !== 3) || strips(pixels)) return undefined;
    const step = await op.sharp({ width: pixels.width, height: pixels.height, channels: pixels.channels, pixels });
    return step && { s: step(sharpOf(pixels)), grey: pixels.channels === 1 };
  }

  /** Encode: through a fused native pipeline when there is one, else from the materialised pixels. */
  async #encode(format: EditImageFormat, quality: number | undefined): Promise<Buffer> {
    // The sole-edit source's fusableSource, read at most once for the fused paths below.
    const src = this.#soleEditSource();
    let meta: Promise<SharpInput | undefined> | undefined;
    const sourceMeta: SourceMeta = () => (src === undefined ? Promise.resolve(undefined) : (meta ??= fusableSource(src)));
    // gankit_vips before sharp's fused step for an op that has both (hflip: libvips' flop is slower), else after it.
    const vipsFirst = Boolean(this.#op?.point && this.#op.sharp);
    const viaVips = () => this.#vipsFused(format, quality, sourceMeta).catch(() => undefined);
    if (vipsFirst) {
      const fused = await viaVips();
      if (fused) return fused;
    }
    const native = await this.#native(format, sourceMeta).catch(() => undefined);
    if (native) {
      try {
        return await encodeSharp(native.s, native.grey, format, quality);
      } catch {
        // fall through: the pixel path reports the error with gankit's message
      }
    }
    if (!vipsFirst) {
      const fused = await viaVips();
      if (fused) return fused;
    }
    const flipped = await this.#reversedStrips(format, quality, sourceMeta);
    if (flipped) return flipped;
    const owned = await this.#decodedInPlace();
    if (!owned) return encodeRaw(await this.#pixels(), format, quality);
    const bytes = await encodeRaw(owned, format, quality);
    releasePixels(owned); // nobody else holds it, and every encoder has finished with it (on failure V8 collects it)
    return bytes;
  }

  /**
   * For the only edit on a fusable encoded source whose pixels nobody has asked for: decode -> op ->
   * encode in one libvips pipeline of gankit_vips, for a point op (per-pixel kernel) or a whole-image
   * table edit (autocontrast / equalize: histograms counted while decoding). Else undefined; rejects
   * when that pipeline fails (the caller then takes the pixel path).
   */
  async #vipsFused(format: EditImageFormat, quality: number | undefined, sourceMeta: SourceMeta): Promise<Buffer | undefined> {
    const op = this.#op;
    const src = this.#soleEditSource();
    if (src === undefined || !op || (!op.point && !op.whole) || !hasPointPipeline()) return undefined;
    const meta = await sourceMeta();
    if (!meta) return undefined;
    if (op.point) {
      const spec = op.point(meta);
      return spec && pointPipeline(src, spec, format, quality);
    }
    return wholePipeline(src, op.whole!, format, quality);
  }

  /**
   * For a row-reversing last edit (vflip) whose pixels nobody has asked for, written as a large JPEG: the
   * parent's pixels encoded upside down in parallel strips, without the flipped copy. Else undefined.
   */
  async #reversedStrips(format: EditImageFormat, quality: number | undefined, sourceMeta: SourceMeta): Promise<Buffer | undefined> {
    const parent = this.#parent;
    if (format !== 'jpeg' || this.#result || !parent || !this.#op?.reversesRows) return undefined;
    // The only edit on an encoded source: strips start while the decoder is still on the rows below them.
    const src = this.#soleEditSource();
    const meta = await sourceMeta();
    if (src !== undefined && meta && stripCount(meta.width, meta.height, meta.channels) > 1) {
      const decoding = startDecode(src, meta);
      if (decoding) {
        const bytes = await encodeJpegStrips(decoding.image, quality ?? 80, { reversed: true, rowsReady: decoding.rowsReady }).catch(() => undefined);
        if (bytes && (await decoding.done)) {
          releasePixels(decoding.image); // every strip encoder has finished with it
          return bytes;
        }
        await decoding.done; // the pixel path below reports a failure (V8 collects this buffer)
      }
    }
    const input = await parent.#pixels();
    if (input.channels !== 1 && input.channels !== 3) return undefined;
    return encodeJpegStrips(input, quality ?? 80, { reversed: true });
  }

  /**
   * For the only edit on an encoded source whose pixels nobody has asked for: decode into a buffer of
   * its own (not cached) and run the edit's in-place kernel on it, saving the output buffer. Else undefined.
   */
  async #decodedInPlace(): Promise<RawImage | undefined> {
    const src = this.#soleEditSource();
    if (src === undefined || !this.#op?.imageInto) return undefined;
    return this.#op.imageInto(await decodeSource(src));
  }

  /** Width, height and channel count after the edits. */
  async size(): Promise<{ width: number; height: number; channels: number }> {
    const { width, height, channels } = await this.#pixels();
    return { width, height, channels };
  }

  /** Run the edits and encode: PNG by default (lossless), or `format` 'jpeg' / 'webp' with `quality`. */
  async toBuffer(options?: EncodeOptions): Promise<Buffer> {
    const { format, quality } = parseEncode(options, 'png');
    return this.#encode(format, quality);
  }

  /** Run the edits and write a file; the format comes from the extension (.png, .jpg, .jpeg, .webp). */
  async toFile(path: string, options?: Omit<EncodeOptions, 'format'>): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw invalidParameterError('path', 'non-empty string', path);
    const format = formatOfPath(path);
    const { quality } = parseEncode(options, format);
    const bytes = await this.#encode(format, quality);
    await writeFileAtomic(path, bytes).catch((e: unknown) => { throw writeError(path, e); });
  }

  /** Run the edits and return an HWC tensor: float32 in [0, 1] (default), '-1-1', or 'uint8' (int32 0..255). */
  async toTensor(options?: { range?: TensorRange }): Promise<tf.Tensor3D> {
    const o = v.options('options', options, ['range']);
    const range = o.range === undefined ? '0-1' : v.oneOf('options.range', o.range, ['0-1', '-1-1', 'uint8'] as const);
    const { data, width, height, channels } = await this.#pixels();
    const shape: [number, number, number] = [height, width, channels];
    if (range === 'uint8') return tf.tensor3d(Int32Array.from(data), shape, 'int32');
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = range === '0-1' ? data[i]! / 255 : Math.fround(data[i]! / 255) * 2 - 1;
    return tf.tensor3d(out, shape, 'float32');
  }

  // Fluent edits: the same operations and arguments as the functional API.
  /** Crop the box at (top, left) of height x width pixels. */
  crop(top: number, left: number, height: number, width: number, options?: CropOptions): EditImage { return this.then(cropOp(top, left, height, width, options)); }
  /** Crop the centre; zero-pads when the size is larger than the image. */
  centerCrop(size: number | readonly number[]): EditImage { return this.then(centerCropOp(size)); }
  /** Pad by n, [leftRight, topBottom] or [left, top, right, bottom] pixels. */
  pad(padding: number | readonly number[], options?: PadOptions): EditImage { return this.then(padOp(padding, options)); }
  /** Resize to [height, width], or the shorter edge to `size`. */
  resize(size: number | readonly number[], options?: ResizeOptions): EditImage { return this.then(resizeOp(size, options)); }
  /** Crop, then resize. */
  resizedCrop(top: number, left: number, height: number, width: number, size: number | readonly number[], options?: ResizedCropOptions): EditImage {
    return this.then(resizedCropOp(top, left, height, width, size, options));
  }
  /** Mirror left-right. */
  hflip(): EditImage { return this.then(hflipOp()); }
  /** Mirror top-bottom. */
  vflip(): EditImage { return this.then(vflipOp()); }
  /** Rotate by `angle` degrees, counter-clockwise. */
  rotate(angle: number, options?: RotateOptions): EditImage { return this.then(rotateOp(angle, options)); }
  /** Affine transform (angle counter-clockwise, translate, scale, shear) about the centre. */
  affine(options?: AffineOptions): EditImage { return this.then(affineOp(options)); }
  /** Perspective transform mapping the four startpoints to the four endpoints. */
  perspective(startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[], options?: PerspectiveOptions): EditImage {
    return this.then(perspectiveOp(startpoints, endpoints, options));
  }
  /** Multiply brightness by factor >= 0. */
  adjustBrightness(brightnessFactor: number): EditImage { return this.then(adjustBrightnessOp(brightnessFactor)); }
  /** Blend with the mean grey by factor >= 0. */
  adjustContrast(contrastFactor: number): EditImage { return this.then(adjustContrastOp(contrastFactor)); }
  /** Blend with the greyscale image by factor >= 0. */
  adjustSaturation(saturationFactor: number): EditImage { return this.then(adjustSaturationOp(saturationFactor)); }
  /** Shift hue by hueFactor in [-0.5, 0.5] turns. */
  adjustHue(hueFactor: number): EditImage { return this.then(adjustHueOp(hueFactor)); }
  /** gain * x^gamma on [0, 1] values. */
  adjustGamma(gamma: number, gain = 1): EditImage { return this.then(adjustGammaOp(gamma, gain)); }
  /** Blend with a 3x3-blurred image by factor >= 0 (0 blurs, 1 keeps, 2 sharpens). */
  adjustSharpness(sharpnessFactor: number): EditImage { return this.then(adjustSharpnessOp(sharpnessFactor)); }
  /** Convert to greyscale with 1 or 3 output channels. */
  rgbToGrayscale(numOutputChannels = 1): EditImage { return this.then(rgbToGrayscaleOp(numOutputChannels)); }
  /** Alias of rgbToGrayscale. */
  grayscale(numOutputChannels = 1): EditImage { return this.then(rgbToGrayscaleOp(numOutputChannels)); }
  /** 255 - x. */
  invert(): EditImage { return this.then(invertOp()); }
  /** Keep the top `bits` (0..8) bits of each channel. */
  posterize(bits: number): EditImage { return this.then(posterizeOp(bits)); }
  /** Invert values >= threshold (0..255 here). */
  solarize(threshold: number): EditImage { return this.then(solarizeOp(threshold)); }
  /** Stretch each channel to the full range. */
  autocontrast(): EditImage { return this.then(autocontrastOp()); }
  /** Equalize each channel's histogram. */
  equalize(): EditImage { return this.then(equalizeOp()); }
  /** Gaussian blur with odd kernel size(s) [kx, ky] and sigma(s) in pixels. */
  gaussianBlur(kernelSize: number | readonly number[], sigma?: number | readonly number[]): EditImage { return this.then(gaussianBlurOp(kernelSize, sigma)); }
  /** Apply a transform (compose(...), colorJitter(...), a random transform, or any function of an EditImage). */
  apply(transform: (image: EditImage) => EditImage): EditImage {
    if (typeof transform !== 'function') throw invalidParameterError('transform', 'function', transform);
    const out = transform(this);
    if (!(out instanceof EditImage)) throw invalidParameterError('transform result', 'an EditImage', out);
    return out;
  }
}

/** Open an image for editing: a file path, encoded bytes, or raw pixels `{ data, width, height, channels }`. */
export function openImage(source: ImageSource): EditImage {
  return EditImage.open(source);
}
