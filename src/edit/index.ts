/**
 * Image editing with torchvision.transforms.v2.functional semantics, on two back ends behind one
 * API: tfjs tensors (HWC / NHWC; float32 in [0, 1] or int32 0..255; pure tensor ops, usable in
 * training) and images via sharp (EditImage: files, Buffers, raw pixels; lazy, in-order edits).
 * Angles are in degrees, counter-clockwise; sizes and positions in pixels ([height, width], [x, y]).
 */
export {
  crop, centerCrop, pad, resize, resizedCrop, hflip, vflip, rotate, affine, perspective,
  adjustBrightness, adjustContrast, adjustSaturation, adjustHue, adjustGamma, adjustSharpness,
  rgbToGrayscale, grayscale, invert, posterize, solarize, autocontrast, equalize, gaussianBlur,
  erase, elasticTransform, fiveCrop, tenCrop,
  type Editable,
} from './functional.js';
export { normalize } from './ops/normalize.js';
export { toDtype, type ImageDtype, type ToDtypeOptions } from './ops/to_dtype.js';
export { elasticDisplacement, type ElasticOptions, type ElasticParams } from './ops/elastic.js';
export type { EraseValue } from './ops/erase.js';
export type { TenCropOptions } from './ops/five_crop.js';
export { EditImage, openImage, type EncodeOptions } from './image.js';
export {
  compose, withRange, colorJitter, randomCrop, randomResizedCrop, randomHorizontalFlip, randomVerticalFlip, randomRotation,
  type Transform, type RandomOptions, type ColorJitterOptions, type RandomCropOptions, type RandomResizedCropOptions, type RandomRotationOptions,
} from './transforms.js';
export { addonStatus } from './addon.js';
export { setPixelLimit, type RawImage } from './core.js';
export type { ImageSource } from '../image/raw.js';
export type { CropOptions, PadOptions, PaddingMode } from './geometry.js';
export type { ResizeOptions, ResizedCropOptions } from './resize.js';
export type { RotateOptions, AffineOptions, PerspectiveOptions } from './warp.js';
export type { Fill, ResizeInterpolation, WarpInterpolation } from '../util/validate.js';
