/**
 * The shape every edit operation has, and how tensors enter and leave it.
 *
 * An operation (EditOp) is validated when it is created and then runs on either back end:
 * - `tensor`: a tfjs kernel on an NHWC batch, float32 in [0, 1] ('float') or int32 holding
 *   0..255 ('uint8'); it runs inside tf.tidy and uses only tensor ops (usable in training);
 * - `image` (optional): a kernel on 8-bit pixels for EditImage (typed-array loops computing the
 *   tensor kernel's float32 formulas step for step, or a sharp step where sharp is exact); without
 *   one EditImage runs the tensor kernel on an int32 tensor;
 * - `sharp` (optional): the same result as one native libvips step, so that EditImage can fuse
 *   decode -> op -> encode (or pixels -> op -> encode) into one multi-threaded sharp pipeline;
 * - `point` (optional): the `image` kernel as a per-pixel table / luma / blend (or row mirror) description, so that
 *   EditImage can run it inside one libvips decode -> op -> encode pipeline (the gankit_vips addon).
 */
import * as tf from '@tensorflow/tfjs';
import type { Sharp } from 'sharp';
import { GankitError } from '../util/errors.js';
import { uninitialisedBytes } from './outputs.js';

let poisonOutputs = false;

/** Fill every outputBuffer with 0xA5 from now on (tests: a kernel that leaves a byte unwritten shows it); returns the previous setting. */
export function setOutputPoison(on: boolean): boolean {
  const was = poisonOutputs;
  poisonOutputs = on;
  return was;
}

/**
 * A fresh output buffer of `bytes` bytes for a kernel that writes every byte: uninitialised memory (a
 * recycled gankit_alloc block for large outputs, else Buffer.allocUnsafeSlow), so no page is zeroed for
 * it and a collected image's pages are reused without page faults, as Pillow's image blocks are.
 */
export function outputBuffer(bytes: number): Uint8Array {
  const out = uninitialisedBytes(bytes);
  if (poisonOutputs) out.fill(0xa5);
  return out;
}

/** Interleaved 8-bit pixels of one image, row-major HWC; 2 and 4 channels carry alpha last. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** 'float': float32 values in [0, 1]; 'uint8': int32 values 0..255 (tfjs has no uint8 dtype). */
export type PixelKind = 'float' | 'uint8';

export interface EditOp {
  /** The public name, for error messages. */
  readonly name: string;
  /** Tensor kernel: NHWC in, NHWC out (same dtype), called inside tf.tidy. */
  tensor(x: tf.Tensor4D, kind: PixelKind): tf.Tensor4D;
  /** 8-bit kernel (typed arrays or sharp) with the tensor kernel's results; resolves undefined when it cannot do this case exactly. */
  image?(img: RawImage): Promise<RawImage | undefined>;
  /** As `image`, but may write the result into img.data (called only on a buffer that nothing else holds). */
  imageInto?(img: RawImage): Promise<RawImage | undefined>;
  /**
   * Native sharp step giving exactly the `image` kernel's pixels for an input of this size and channel
   * count (1 or 3); `pixels` is given when the input is in memory (for ops whose parameters depend on
   * it). Resolves undefined when there is no exact native step for this case.
   */
  sharp?(input: SharpInput): Promise<SharpStep | undefined>;
  /**
   * True when the `sharp` step needs the whole decoded image before its first output row (a vertical
   * flip, half and quarter turns), so a fused pipeline decodes and encodes one after the other; to a
   * large JPEG, EditImage then takes the pixel path, whose encoder runs in parallel strips.
   */
  sharpBuffers?: boolean;
  /** True when the op only reverses the order of the rows (vflip): a JPEG encoded in strips reads its input bottom-up instead of running the kernel. */
  reversesRows?: boolean;
  /**
   * The `image` kernel as a per-pixel operation for an input of this size and channel count (1 or 3,
   * no alpha), giving exactly its pixels; undefined when it has none for this case (or needs image
   * statistics first, as contrast and equalize do).
   */
  point?(input: SharpInput): PointSpec | undefined;
  /**
   * A table edit whose tables come from the whole image's per-channel histograms, which gankit_vips runs
   * on an encoded source exactly as the `image` kernel does (src/edit/vips.ts wholePipeline).
   */
  whole?: WholeEdit;
}

/** gankit_vips' table edits from per-channel histograms of the whole image. */
export type WholeEdit = 'autocontrast' | 'equalize';

/**
 * A per-pixel 8-bit operation (addon/src/kernels.h; the float32 formulas of src/edit/pixels.ts):
 * - 'lut': one 256-entry table for every colour channel, or one per colour channel;
 * - 'grayscale': floor of torchvision's float32 luma, into 1 or 3 channels (grey input passes its value);
 * - 'saturation': each RGB value blended with the pixel's floor(luma) by factor (grey input unchanged).
 */
export type PointSpec =
  | { kind: 'lut'; luts: readonly Uint8Array[] }
  | { kind: 'grayscale'; outChannels: 1 | 3 }
  | { kind: 'saturation'; factor: number }
  | { kind: 'hflip' };

/** What a native step may look at: the input's size and channels, and its pixels when they are in memory. */
export interface SharpInput {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels?: RawImage;
}

/** One step appended to a sharp pipeline. */
export type SharpStep = (s: Sharp) => Sharp;

/** The largest value of a pixel kind: 1 for floats, 255 for 8-bit. */
export const boundOf = (kind: PixelKind): number => (kind === 'float' ? 1 : 255);

/** Error for a tensor whose shape or dtype is wrong. */
export function tensorError(name: string, expected: string, t: tf.Tensor): GankitError {
  return new GankitError(`Expected ${expected} for ${name} but received shape [${t.shape.join(',')}] of dtype ${t.dtype}`);
}

/**
 * Check an image tensor (HWC, NHWC or [..., H, W, C]; float32 or int32; 1 to 4 channels; non-empty)
 * and view it as NHWC, the leading axes flattened into N as torchvision does. Returns the 4D view
 * (the input itself when already 4D) and its pixel kind.
 */
export function asBatch(t: tf.Tensor, name = 'image'): { x: tf.Tensor4D; kind: PixelKind } {
  if (t.isDisposed) throw new GankitError(`Expected a live tensor for ${name} but received a disposed tensor`);
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw tensorError(name, "a tensor of dtype 'float32' ([0, 1]) or 'int32' (0..255)", t);
  }
  if (t.rank < 3) throw tensorError(name, 'a 3D tensor (HWC), 4D tensor (NHWC) or more ([..., H, W, C])', t);
  const [h, w, c] = t.shape.slice(-3) as [number, number, number];
  const n = t.shape.slice(0, -3).reduce((a, b) => a * b, 1);
  if (c < 1 || c > 4) throw tensorError(name, 'an image with 1, 2, 3 or 4 channels (last axis)', t);
  if (h < 1 || w < 1 || n < 1) throw tensorError(name, 'a non-empty image (height, width and batch of at least 1)', t);
  const x = (t.rank === 4 ? t : t.reshape([n, h, w, c])) as tf.Tensor4D;
  return { x, kind: t.dtype === 'float32' ? 'float' : 'uint8' };
}

/** Run an operation on a tensor: validate, run the kernel in tf.tidy, keep the input's leading axes. Never returns the input itself. */
export function runOnTensor<T extends tf.Tensor>(input: T, op: EditOp): T {
  return tf.tidy(() => {
    const { x, kind } = asBatch(input);
    let y = op.tensor(x, kind);
    if ((y as tf.Tensor) === (input as tf.Tensor)) y = y.clone();
    return (input.rank === 4 ? y : y.reshape([...input.shape.slice(0, -3), ...y.shape.slice(1)])) as unknown as T;
  });
}

/** Height, width and channels of an NHWC tensor. */
export function dims(x: tf.Tensor4D): { n: number; h: number; w: number; c: number } {
  const [n, h, w, c] = x.shape;
  return { n, h, w, c };
}

/** int32 (uint8 kind) -> float32; float stays. */
export const toFloat = (x: tf.Tensor4D): tf.Tensor4D => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));

/** Back to the kind's dtype after float math: uint8 values are rounded half to even (torch.round), then cast. */
export function fromFloatRounded(y: tf.Tensor4D, kind: PixelKind, clamp = false): tf.Tensor4D {
  if (kind === 'float') return y;
  const r = tf.round(y);
  return tf.cast(clamp ? tf.clipByValue(r, 0, 255) : r, 'int32');
}

/** Back to the kind's dtype by truncation (torch's `.to(torch.uint8)` of values already in [0, 255]). */
export function fromFloatTruncated(y: tf.Tensor4D, kind: PixelKind): tf.Tensor4D {
  return kind === 'float' ? y : tf.cast(y, 'int32');
}

/**
 * Apply a colour kernel to the colour channels only: 1 and 3 channels go through as they are; the
 * last channel of 2- and 4-channel images is alpha, passed through unchanged.
 */
export function colourChannels(x: tf.Tensor4D, fn: (rgb: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const c = x.shape[3];
  if (c === 1 || c === 3) return fn(x);
  const [colour, alpha] = tf.split(x, [c - 1, 1], 3) as [tf.Tensor4D, tf.Tensor4D];
  return tf.concat([fn(colour), alpha], 3);
}
