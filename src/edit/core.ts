/**
 * The shape every edit operation has, and how tensors enter and leave it.
 *
 * An operation (EditOp) is validated when it is created and then runs on either back end:
 * - `tensor`: a tfjs kernel on an NHWC batch, float32 in [0, 1] ('float') or int32 holding
 *   0..255 ('uint8'); it runs inside tf.tidy and uses only tensor ops (usable in training);
 * - `image` (optional): a kernel on 8-bit pixels for EditImage (typed-array loops, or the native
 *   addon, computing the tensor kernel's float32 formulas step for step); without one, or where it
 *   returns undefined for a case it does not cover, EditImage runs the tensor kernel on an int32 tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { tensorError } from '../image/validate.js';
import type { RawImage } from '../image/raw.js';

let poisonOutputs = false;

/** Fill every outputBuffer with 0xA5 from now on (tests: a kernel that leaves a byte unwritten shows it); returns the previous setting. */
export function setOutputPoison(on: boolean): boolean {
  const was = poisonOutputs;
  poisonOutputs = on;
  return was;
}

/** A fresh output buffer of `bytes` bytes for a kernel that writes every byte (uninitialised memory, not zeroed). */
export function outputBuffer(bytes: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(bytes);
  const out = new Uint8Array(b.buffer, b.byteOffset, bytes);
  if (poisonOutputs) out.fill(0xa5);
  return out;
}

export type { RawImage };

/** 'float': float32 values in [0, 1]; 'uint8': int32 values 0..255 (tfjs has no uint8 dtype). */
export type PixelKind = 'float' | 'uint8';

export interface EditOp {
  /** The public name, for error messages. */
  readonly name: string;
  /** Tensor kernel: NHWC in, NHWC out (same dtype), called inside tf.tidy. */
  tensor(x: tf.Tensor4D, kind: PixelKind): tf.Tensor4D;
  /** 8-bit kernel (typed arrays or sharp) with the tensor kernel's results; resolves undefined when it cannot do this case exactly. */
  image?(img: RawImage): Promise<RawImage | undefined>;
  /** For ops whose output size differs from the input's: the parameter that sets it and the output [height, width] for an input of h x w. */
  size?: { param: string; of(h: number, w: number): [number, number] };
}

/** An op built from the input's height and width when it runs (random crops, fiveCrop's corners), on either back end. */
export function sizedOp(name: string, make: (h: number, w: number) => EditOp): EditOp {
  return {
    name,
    tensor: (x, kind) => make(x.shape[1], x.shape[2]).tensor(x, kind),
    image: async (img) => make(img.height, img.width).image?.(img),
  };
}

/** Ops run in turn as one op; on images, the tensor kernels run the whole chain when a step has no 8-bit result. */
export function chainOps(name: string, ops: readonly EditOp[]): EditOp {
  return {
    name,
    tensor: (x, kind) => ops.reduce((y, op) => op.tensor(y, kind), x),
    image: async (img) => {
      let y: RawImage | undefined = img;
      for (const op of ops) if (!(y = await op.image?.(y))) return undefined;
      return y;
    },
  };
}

/** sharp's default limitInputPixels: 0x3FFF x 0x3FFF pixels. */
export const DEFAULT_PIXEL_LIMIT = 0x3fff * 0x3fff;
let pixelLimit = DEFAULT_PIXEL_LIMIT;

/** Set the most pixels (height x width, an integer >= 1) an edit may output, checked before anything is allocated; returns the previous limit. */
export function setPixelLimit(pixels: number): number {
  if (!Number.isSafeInteger(pixels) || pixels < 1) throw invalidParameterError('pixels', 'safe integer >= 1', pixels);
  const was = pixelLimit;
  pixelLimit = pixels;
  return was;
}

/** Throw a GankitError naming the op's size parameter when its output for an h x w input would exceed the pixel limit. */
export function checkOutputSize(op: EditOp, h: number, w: number): void {
  if (!op.size) return;
  const [oh, ow] = op.size.of(h, w);
  if (!(oh * ow <= pixelLimit)) {
    throw new GankitError(`Expected an output of at most ${pixelLimit} pixels (setPixelLimit) for ${op.size.param} of ${op.name} but received ${oh}x${ow} (height x width) from a ${h}x${w} image`);
  }
}

/** The largest value of a pixel kind: 1 for floats, 255 for 8-bit. */
export const boundOf = (kind: PixelKind): number => (kind === 'float' ? 1 : 255);


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
    checkOutputSize(op, x.shape[1], x.shape[2]);
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
