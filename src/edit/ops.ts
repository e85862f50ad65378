/**
 * The one table of edit operations: public name -> the factory that validates the parameters and
 * returns the EditOp (a tensor kernel and, where it has one, an 8-bit kernel). The functional API
 * (functional.ts), EditImage's fluent methods (image.ts) and the CLI (src/cli/edit.ts) are all thin
 * over this table, so an op is added or changed in one place.
 */
import type { EditOp } from './core.js';
import { centerCropOp, cropOp, hflipOp, padOp, vflipOp } from './geometry.js';
import { resizeOp, resizedCropOp } from './resize.js';
import { affineOp, perspectiveOp, rotateOp } from './warp.js';
import {
  adjustBrightnessOp, adjustContrastOp, adjustGammaOp, adjustHueOp, adjustSaturationOp, adjustSharpnessOp, autocontrastOp,
  equalizeOp, invertOp, posterizeOp, rgbToGrayscaleOp, solarizeOp,
} from './color.js';
import { gaussianBlurOp } from './blur.js';
import { eraseOp } from './ops/erase.js';
import { elasticTransformOp } from './ops/elastic.js';

export const OPS = {
  crop: cropOp,
  centerCrop: centerCropOp,
  pad: padOp,
  resize: resizeOp,
  resizedCrop: resizedCropOp,
  hflip: hflipOp,
  vflip: vflipOp,
  rotate: rotateOp,
  affine: affineOp,
  perspective: perspectiveOp,
  adjustBrightness: adjustBrightnessOp,
  adjustContrast: adjustContrastOp,
  adjustSaturation: adjustSaturationOp,
  adjustHue: adjustHueOp,
  adjustGamma: adjustGammaOp,
  adjustSharpness: adjustSharpnessOp,
  rgbToGrayscale: rgbToGrayscaleOp,
  grayscale: rgbToGrayscaleOp,
  invert: invertOp,
  posterize: posterizeOp,
  solarize: solarizeOp,
  autocontrast: autocontrastOp,
  equalize: equalizeOp,
  gaussianBlur: gaussianBlurOp,
  erase: eraseOp,
  elasticTransform: elasticTransformOp,
} as const;

/** The name of an edit operation. */
export type OpName = keyof typeof OPS;

/** The parameters of an op (after the image). */
export type OpArgs<K extends OpName> = Parameters<(typeof OPS)[K]>;

/** The names of every op, in table order. */
export const OP_NAMES = Object.keys(OPS) as OpName[];

/** Build the op `name` from its parameters (validated here, before any image is touched). */
export function makeOp<K extends OpName>(name: K, args: OpArgs<K>): EditOp {
  return (OPS[name] as (...a: unknown[]) => EditOp)(...(args as unknown[]));
}
