/**
 * The functional edit API, torchvision.transforms.v2.functional style: each operation dispatches
 * on its input. A tfjs tensor (HWC or NHWC; float32 in [0, 1] or int32 0..255) gives a new tensor
 * of the same rank at once; an EditImage, file path, encoded Buffer or raw pixels give an
 * EditImage (lazy: encode it with toBuffer / toFile). Parameters are validated at the call.
 */
import * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import { runOnTensor, type EditOp } from './core.js';
import { EditImage } from './image.js';
import { isImageSource, type ImageSource } from './raw.js';
import { centerCropOp, cropOp, hflipOp, padOp, vflipOp, type CropOptions, type PadOptions } from './geometry.js';
import { resizeOp, resizedCropOp, type ResizeOptions, type ResizedCropOptions } from './resize.js';
import { affineOp, perspectiveOp, rotateOp, type AffineOptions, type PerspectiveOptions, type RotateOptions } from './warp.js';
import {
  adjustBrightnessOp, adjustContrastOp, adjustGammaOp, adjustHueOp, adjustSaturationOp, adjustSharpnessOp, autocontrastOp,
  equalizeOp, invertOp, posterizeOp, rgbToGrayscaleOp, solarizeOp,
} from './color.js';
import { gaussianBlurOp } from './blur.js';

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

/** Crop the box at (top, left), height x width pixels; a box outside the image is an error unless padOutside. */
export function crop<T extends Editable>(image: T, top: number, left: number, height: number, width: number, options?: CropOptions): T;
export function crop(image: ImageSource, top: number, left: number, height: number, width: number, options?: CropOptions): EditImage;
export function crop(image: Editable | ImageSource, top: number, left: number, height: number, width: number, options?: CropOptions): Editable {
  return applyOp(image, cropOp(top, left, height, width, options));
}

/** Crop the centre to size (pixels: n or [height, width]); zero-pads when larger than the image. */
export function centerCrop<T extends Editable>(image: T, size: number | readonly number[]): T;
export function centerCrop(image: ImageSource, size: number | readonly number[]): EditImage;
export function centerCrop(image: Editable | ImageSource, size: number | readonly number[]): Editable {
  return applyOp(image, centerCropOp(size));
}

/** Pad by n, [leftRight, topBottom] or [left, top, right, bottom] pixels (mode constant / edge / reflect / symmetric). */
export function pad<T extends Editable>(image: T, padding: number | readonly number[], options?: PadOptions): T;
export function pad(image: ImageSource, padding: number | readonly number[], options?: PadOptions): EditImage;
export function pad(image: Editable | ImageSource, padding: number | readonly number[], options?: PadOptions): Editable {
  return applyOp(image, padOp(padding, options));
}

/** Resize to [height, width] pixels, or the shorter edge to `size` keeping the aspect ratio (capped by maxSize). */
export function resize<T extends Editable>(image: T, size: number | readonly number[], options?: ResizeOptions): T;
export function resize(image: ImageSource, size: number | readonly number[], options?: ResizeOptions): EditImage;
export function resize(image: Editable | ImageSource, size: number | readonly number[], options?: ResizeOptions): Editable {
  return applyOp(image, resizeOp(size, options));
}

/** Crop the box at (top, left), height x width pixels, then resize it to `size` (as resize). */
export function resizedCrop<T extends Editable>(image: T, top: number, left: number, height: number, width: number, size: number | readonly number[], options?: ResizedCropOptions): T;
export function resizedCrop(image: ImageSource, top: number, left: number, height: number, width: number, size: number | readonly number[], options?: ResizedCropOptions): EditImage;
export function resizedCrop(
  image: Editable | ImageSource, top: number, left: number, height: number, width: number, size: number | readonly number[], options?: ResizedCropOptions,
): Editable {
  return applyOp(image, resizedCropOp(top, left, height, width, size, options));
}

/** Mirror left-right. */
export function hflip<T extends Editable>(image: T): T;
export function hflip(image: ImageSource): EditImage;
export function hflip(image: Editable | ImageSource): Editable {
  return applyOp(image, hflipOp());
}

/** Mirror top-bottom. */
export function vflip<T extends Editable>(image: T): T;
export function vflip(image: ImageSource): EditImage;
export function vflip(image: Editable | ImageSource): Editable {
  return applyOp(image, vflipOp());
}

/** Rotate by angle in degrees, counter-clockwise, about the centre (or options.center [x, y] in pixels). */
export function rotate<T extends Editable>(image: T, angle: number, options?: RotateOptions): T;
export function rotate(image: ImageSource, angle: number, options?: RotateOptions): EditImage;
export function rotate(image: Editable | ImageSource, angle: number, options?: RotateOptions): Editable {
  return applyOp(image, rotateOp(angle, options));
}

/** Affine transform keeping the centre: angle in degrees counter-clockwise, translate in pixels, scale > 0, shear in degrees. */
export function affine<T extends Editable>(image: T, options?: AffineOptions): T;
export function affine(image: ImageSource, options?: AffineOptions): EditImage;
export function affine(image: Editable | ImageSource, options?: AffineOptions): Editable {
  return applyOp(image, affineOp(options));
}

/** Perspective transform taking the four startpoints [x, y] (TL, TR, BR, BL, pixels) to the four endpoints. */
export function perspective<T extends Editable>(image: T, startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[], options?: PerspectiveOptions): T;
export function perspective(image: ImageSource, startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[], options?: PerspectiveOptions): EditImage;
export function perspective(
  image: Editable | ImageSource, startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[], options?: PerspectiveOptions,
): Editable {
  return applyOp(image, perspectiveOp(startpoints, endpoints, options));
}

/** Multiply by brightnessFactor >= 0 (0 black, 1 unchanged), clamped. */
export function adjustBrightness<T extends Editable>(image: T, brightnessFactor: number): T;
export function adjustBrightness(image: ImageSource, brightnessFactor: number): EditImage;
export function adjustBrightness(image: Editable | ImageSource, brightnessFactor: number): Editable {
  return applyOp(image, adjustBrightnessOp(brightnessFactor));
}

/** Blend with the image's mean grey by contrastFactor >= 0 (0 solid grey, 1 unchanged). */
export function adjustContrast<T extends Editable>(image: T, contrastFactor: number): T;
export function adjustContrast(image: ImageSource, contrastFactor: number): EditImage;
export function adjustContrast(image: Editable | ImageSource, contrastFactor: number): Editable {
  return applyOp(image, adjustContrastOp(contrastFactor));
}

/** Blend with the greyscale image by saturationFactor >= 0 (0 grey, 1 unchanged, 2 doubled). */
export function adjustSaturation<T extends Editable>(image: T, saturationFactor: number): T;
export function adjustSaturation(image: ImageSource, saturationFactor: number): EditImage;
export function adjustSaturation(image: Editable | ImageSource, saturationFactor: number): Editable {
  return applyOp(image, adjustSaturationOp(saturationFactor));
}

/** Rotate the hue by hueFactor in [-0.5, 0.5] turns of the HSV colour wheel. */
export function adjustHue<T extends Editable>(image: T, hueFactor: number): T;
export function adjustHue(image: ImageSource, hueFactor: number): EditImage;
export function adjustHue(image: Editable | ImageSource, hueFactor: number): Editable {
  return applyOp(image, adjustHueOp(hueFactor));
}

/** Gamma correction on [0, 1] values: clamp(gain * x^gamma); gamma >= 0. */
export function adjustGamma<T extends Editable>(image: T, gamma: number, gain?: number): T;
export function adjustGamma(image: ImageSource, gamma: number, gain?: number): EditImage;
export function adjustGamma(image: Editable | ImageSource, gamma: number, gain = 1): Editable {
  return applyOp(image, adjustGammaOp(gamma, gain));
}

/** Blend with a 3x3-smoothed image by sharpnessFactor >= 0 (0 blurred, 1 unchanged, 2 sharpened). */
export function adjustSharpness<T extends Editable>(image: T, sharpnessFactor: number): T;
export function adjustSharpness(image: ImageSource, sharpnessFactor: number): EditImage;
export function adjustSharpness(image: Editable | ImageSource, sharpnessFactor: number): Editable {
  return applyOp(image, adjustSharpnessOp(sharpnessFactor));
}

/** Greyscale 0.2989 R + 0.587 G + 0.114 B with 1 or 3 output channels (alpha kept). */
export function rgbToGrayscale<T extends Editable>(image: T, numOutputChannels?: 1 | 3): T;
export function rgbToGrayscale(image: ImageSource, numOutputChannels?: 1 | 3): EditImage;
export function rgbToGrayscale(image: Editable | ImageSource, numOutputChannels: 1 | 3 = 1): Editable {
  return applyOp(image, rgbToGrayscaleOp(numOutputChannels));
}

/** Alias of rgbToGrayscale (torchvision's to_grayscale / Grayscale). */
export const grayscale = rgbToGrayscale;

/** Invert colours: 1 - x (floats) or 255 - x (8-bit). */
export function invert<T extends Editable>(image: T): T;
export function invert(image: ImageSource): EditImage;
export function invert(image: Editable | ImageSource): Editable {
  return applyOp(image, invertOp());
}

/** Keep the top `bits` (0..8) bits of each channel (floats: floor(x * 2^bits) / 2^bits). */
export function posterize<T extends Editable>(image: T, bits: number): T;
export function posterize(image: ImageSource, bits: number): EditImage;
export function posterize(image: Editable | ImageSource, bits: number): Editable {
  return applyOp(image, posterizeOp(bits));
}

/** Invert values >= threshold (in [0, 1] for float tensors, 0..255 for int32 tensors and images). */
export function solarize<T extends Editable>(image: T, threshold: number): T;
export function solarize(image: ImageSource, threshold: number): EditImage;
export function solarize(image: Editable | ImageSource, threshold: number): Editable {
  return applyOp(image, solarizeOp(threshold));
}

/** Stretch each channel of each image linearly so its minimum becomes 0 and its maximum the top of the range. */
export function autocontrast<T extends Editable>(image: T): T;
export function autocontrast(image: ImageSource): EditImage;
export function autocontrast(image: Editable | ImageSource): Editable {
  return applyOp(image, autocontrastOp());
}

/** Equalize each channel's histogram (PIL's scheme, on 8-bit values). */
export function equalize<T extends Editable>(image: T): T;
export function equalize(image: ImageSource): EditImage;
export function equalize(image: Editable | ImageSource): Editable {
  return applyOp(image, equalizeOp());
}

/** Gaussian blur: odd kernelSize n or [kx, ky] pixels, sigma > 0 in pixels (default 0.15 k + 0.35), reflect padding. */
export function gaussianBlur<T extends Editable>(image: T, kernelSize: number | readonly number[], sigma?: number | readonly number[]): T;
export function gaussianBlur(image: ImageSource, kernelSize: number | readonly number[], sigma?: number | readonly number[]): EditImage;
export function gaussianBlur(image: Editable | ImageSource, kernelSize: number | readonly number[], sigma?: number | readonly number[]): Editable {
  return applyOp(image, gaussianBlurOp(kernelSize, sigma));
}
