/**
 * The functional edit API, torchvision.transforms.v2.functional style: each operation dispatches
 * on its input. A tfjs tensor (HWC or NHWC; float32 in [0, 1] or int32 0..255) gives a new tensor
 * of the same rank at once; an EditImage, file path, encoded Buffer or raw pixels give an
 * EditImage (lazy: encode it with toBuffer / toFile). Parameters are validated at the call.
 * Every function here is generated from the op table (ops.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import { runOnTensor, type EditOp } from './core.js';
import { EditImage } from './image.js';
import { isImageSource, type ImageSource } from '../image/raw.js';
import { makeOp, type OpArgs, type OpName } from './ops.js';
import { fiveCropOps, tenCropOps, type TenCropOptions } from './ops/five_crop.js';

/** What every edit accepts and returns in kind: a tfjs image tensor or an EditImage. */
export type Editable = tf.Tensor | EditImage;

/** Apply an op to any accepted input (the one dispatch point of the functional API). */
export function applyOp<T extends Editable>(input: T | ImageSource, op: EditOp): T | EditImage {
  if (input instanceof tf.Tensor) return runOnTensor(input, op) as T;
  if (input instanceof EditImage) return input.then(op);
  if (isImageSource(input)) return EditImage.open(input).then(op);
  throw invalidParameterError(
    'image',
    'a tf.Tensor (HWC or NHWC), an EditImage, a file path, a Buffer of an encoded image, or { data, width, height, channels }',
    input,
  );
}

/** A functional edit: a tensor in gives a tensor of the same kind out; an EditImage or image source gives an EditImage. */
export interface EditFunction<K extends OpName> {
  <T extends Editable>(image: T, ...args: OpArgs<K>): T;
  (image: ImageSource, ...args: OpArgs<K>): EditImage;
}

/** The functional form of the table's op `name`. */
function edit<K extends OpName>(name: K): EditFunction<K> {
  return ((image: Editable | ImageSource, ...args: OpArgs<K>) => applyOp(image, makeOp(name, args))) as EditFunction<K>;
}

/** Crop the box at (top, left), height x width pixels; a box outside the image is an error unless padOutside. */
export const crop = edit('crop');
/** Crop the centre to size (pixels: n or [height, width]); zero-pads when larger than the image. */
export const centerCrop = edit('centerCrop');
/** Pad by n, [leftRight, topBottom] or [left, top, right, bottom] pixels (mode constant / edge / reflect / symmetric). */
export const pad = edit('pad');
/** Resize to [height, width] pixels, or the shorter edge to `size` keeping the aspect ratio (capped by maxSize). */
export const resize = edit('resize');
/** Crop the box at (top, left), height x width pixels, then resize it to `size` (as resize). */
export const resizedCrop = edit('resizedCrop');
/** Mirror left-right. */
export const hflip = edit('hflip');
/** Mirror top-bottom. */
export const vflip = edit('vflip');
/** Rotate by angle in degrees, counter-clockwise, about the centre (or options.center [x, y] in pixels). */
export const rotate = edit('rotate');
/** Affine transform keeping the centre: angle in degrees counter-clockwise, translate in pixels, scale > 0, shear in degrees. */
export const affine = edit('affine');
/** Perspective transform taking the four startpoints [x, y] (TL, TR, BR, BL, pixels) to the four endpoints. */
export const perspective = edit('perspective');
/** Multiply by brightnessFactor >= 0 (0 black, 1 unchanged), clamped. */
export const adjustBrightness = edit('adjustBrightness');
/** Blend with the image's mean grey by contrastFactor >= 0 (0 solid grey, 1 unchanged). */
export const adjustContrast = edit('adjustContrast');
/** Blend with the greyscale image by saturationFactor >= 0 (0 grey, 1 unchanged, 2 doubled). */
export const adjustSaturation = edit('adjustSaturation');
/** Rotate the hue by hueFactor in [-0.5, 0.5] turns of the HSV colour wheel. */
export const adjustHue = edit('adjustHue');
/** Gamma correction on [0, 1] values: clamp(gain * x^gamma); gamma >= 0. */
export const adjustGamma = edit('adjustGamma');
/** Blend with a 3x3-smoothed image by sharpnessFactor >= 0 (0 blurred, 1 unchanged, 2 sharpened). */
export const adjustSharpness = edit('adjustSharpness');
/** Greyscale 0.2989 R + 0.587 G + 0.114 B with 1 or 3 output channels (alpha kept). */
export const rgbToGrayscale = edit('rgbToGrayscale');
/** Alias of rgbToGrayscale (torchvision's to_grayscale / Grayscale). */
export const grayscale = edit('grayscale');
/** Invert colours: 1 - x (floats) or 255 - x (8-bit). */
export const invert = edit('invert');
/** Keep the top `bits` (0..8) bits of each channel (floats: floor(x * 2^bits) / 2^bits). */
export const posterize = edit('posterize');
/** Invert values >= threshold (in [0, 1] for float tensors, 0..255 for int32 tensors and images). */
export const solarize = edit('solarize');
/** Stretch each channel of each image linearly so its minimum becomes 0 and its maximum the top of the range. */
export const autocontrast = edit('autocontrast');
/** Equalize each channel's histogram (PIL's scheme, on 8-bit values). */
export const equalize = edit('equalize');
/** Gaussian blur: odd kernelSize n or [kx, ky] pixels, sigma > 0 in pixels (default 0.15 k + 0.35), reflect padding. */
export const gaussianBlur = edit('gaussianBlur');
/** Set the box at (top, left), height x width pixels (cut at the image's edge) to value: a number, one per channel, or a tensor broadcasting to [height, width, C]. */
export const erase = edit('erase');
/** Move each pixel by a displacement field (given, or drawn from alpha, sigma and a seed as torchvision's ElasticTransform draws it). */
export const elasticTransform = edit('elasticTransform');

/** Apply each op to the image: one result per op. */
function applyEach<T extends Editable>(image: T | ImageSource, ops: EditOp[]): (T | EditImage)[] {
  const input = image instanceof tf.Tensor || image instanceof EditImage || !isImageSource(image) ? image : EditImage.open(image);
  return ops.map((op) => applyOp(input, op));
}

/** The four corner crops and the centre crop of size n or [height, width] pixels: [topLeft, topRight, bottomLeft, bottomRight, center]. */
export function fiveCrop<T extends Editable>(image: T, size: number | readonly number[]): T[];
export function fiveCrop(image: ImageSource, size: number | readonly number[]): EditImage[];
export function fiveCrop(image: Editable | ImageSource, size: number | readonly number[]): Editable[] {
  return applyEach(image, fiveCropOps(size));
}

/** fiveCrop of the image, then fiveCrop of its mirror image (left-right, or top-bottom with verticalFlip): ten results. */
export function tenCrop<T extends Editable>(image: T, size: number | readonly number[], options?: TenCropOptions): T[];
export function tenCrop(image: ImageSource, size: number | readonly number[], options?: TenCropOptions): EditImage[];
export function tenCrop(image: Editable | ImageSource, size: number | readonly number[], options?: TenCropOptions): Editable[] {
  return applyEach(image, tenCropOps(size, options));
}
