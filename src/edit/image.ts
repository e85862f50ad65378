/**
 * EditImage: an immutable, lazy image (file, encoded bytes or raw pixels) with a list of edits.
 * Each edit returns a new EditImage; nothing runs until toBuffer / toFile / toRaw / toTensor.
 * Edits run one at a time in the order they were written (sharp would reorder the operations of
 * one pipeline), each on materialised 8-bit pixels: the op's 8-bit kernel where it has one for the
 * case, otherwise gankit's tensor kernel on an int32 tensor (torchvision's uint8 semantics).
 * Encoding has one path: decode -> each edit -> encode the final pixels with sharp.
 */
import { writeError, writeFileAtomic } from '../util/files.js';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isImageSource, checkRaw, rawToTensor, tensorToRaw, isRawImage, type ImageSource } from '../image/raw.js';
import { decodeSource } from '../image/decode.js';
import { encodeRaw, formatForPath } from '../image/encode.js';
import { parseFormat, parseRange, type ImageFormat, type ImageRange } from '../image/validate.js';
import { checkOutputSize, type EditOp, type RawImage } from './core.js';
import { makeOp, OP_NAMES, type OpArgs, type OpName } from './ops.js';
import * as v from '../util/validate.js';

/** Run one op on pixels: its native kernel when it has one for this case, else the tensor kernel on int32. */
export async function runOnRaw(img: RawImage, op: EditOp): Promise<RawImage> {
  checkOutputSize(op, img.height, img.width);
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

export interface EncodeOptions {
  /** 'png' (default, lossless), 'jpeg' or 'webp'. */
  format?: ImageFormat;
  /** JPEG / WebP quality 1..100 (default 80). */
  quality?: number;
}

function parseEncode(options: unknown, defaultFormat: ImageFormat) {
  const o = v.options('options', options, ['format', 'quality']);
  const format = parseFormat(o.format, defaultFormat, 'options.format');
  const quality = o.quality === undefined ? undefined : v.intIn('options.quality', o.quality, 1, 100);
  return { format, quality };
}

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
   * caller owns: the last edit's fresh output when nothing holds this image's pixels yet (not cached),
   * otherwise a copy.
   */
  async toRaw(): Promise<RawImage> {
    if (!this.#result && this.#parent && this.#op) {
      const input = await this.#parent.#pixels();
      const out = await runOnRaw(input, this.#op);
      if (out.data.buffer !== input.data.buffer) return out;
    }
    const p = await this.#pixels();
    return { ...p, data: p.data.slice() };
  }

  /** Width, height and channel count after the edits. */
  async size(): Promise<{ width: number; height: number; channels: number }> {
    const { width, height, channels } = await this.#pixels();
    return { width, height, channels };
  }

  /** Run the edits and encode: PNG by default (lossless), or `format` 'jpeg' / 'webp' with `quality`. */
  async toBuffer(options?: EncodeOptions): Promise<Buffer> {
    const { format, quality } = parseEncode(options, 'png');
    return encodeRaw(await this.#pixels(), format, quality);
  }

  /** Run the edits and write a file; the format comes from the extension (.png, .jpg, .jpeg, .webp); an explicit `format` must agree with it. */
  async toFile(path: string, options?: EncodeOptions): Promise<void> {
    const { format, quality } = parseEncode(options, formatForPath(path, (options as EncodeOptions | undefined)?.format));
    const bytes = await encodeRaw(await this.#pixels(), format, quality);
    await writeFileAtomic(path, bytes).catch((e: unknown) => { throw writeError(path, e); });
  }

  /** Run the edits and return an HWC tensor: float32 in [0, 1] (default), '-1-1', or 'uint8' (int32 0..255). */
  async toTensor(options?: { range?: ImageRange }): Promise<tf.Tensor3D> {
    const o = v.options('options', options, ['range']);
    const range = parseRange(o.range, 'options.range');
    const { data, width, height, channels } = await this.#pixels();
    const shape: [number, number, number] = [height, width, channels];
    if (range === 'uint8') return tf.tensor3d(Int32Array.from(data), shape, 'int32');
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = range === '0-1' ? data[i]! / 255 : Math.fround(data[i]! / 255) * 2 - 1;
    return tf.tensor3d(out, shape, 'float32');
  }

  /** Apply a transform (compose(...), colorJitter(...), a random transform, or any function of an EditImage). */
  apply(transform: (image: EditImage) => EditImage): EditImage {
    if (typeof transform !== 'function') throw invalidParameterError('transform', 'function', transform);
    const out = transform(this);
    if (!(out instanceof EditImage)) throw invalidParameterError('transform result', 'an EditImage', out);
    return out;
  }
}

/** EditImage's fluent edits: one method per op of the table (ops.ts), with the op's parameters (as the functional API after the image). */
export type FluentEdits = { [K in OpName]: (...args: OpArgs<K>) => EditImage };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EditImage extends FluentEdits {}
for (const name of OP_NAMES) {
  Object.defineProperty(EditImage.prototype, name, {
    value(this: EditImage, ...args: unknown[]) { return this.then(makeOp(name, args as OpArgs<typeof name>)); },
    writable: true, configurable: true,
  });
}

/** Open an image for editing: a file path, encoded bytes, or raw pixels `{ data, width, height, channels }`. */
export function openImage(source: ImageSource): EditImage {
  return EditImage.open(source);
}
