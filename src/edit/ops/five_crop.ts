/**
 * fiveCrop and tenCrop: torchvision's five_crop (top-left, top-right, bottom-left, bottom-right and
 * centre crops of one size) and ten_crop (those five, then the same five of the flipped image).
 * Each crop is an op of its own, so a tensor gives 5 (10) tensors and an EditImage 5 (10) EditImages
 * that share the decoded source.
 */
import { GankitError } from '../../util/errors.js';
import { chainOps, sizedOp, type EditOp } from '../core.js';
import { centerCropOp, cropOp, hflipOp, vflipOp } from '../geometry.js';
import * as v from '../../util/validate.js';

/** The five crops' order: top-left, top-right, bottom-left, bottom-right, centre. */
const CORNERS = ['topLeft', 'topRight', 'bottomLeft', 'bottomRight', 'center'] as const;

/** The op for crop k of an (optionally first flipped) image, placed from the image's size when it runs. */
function cornerOp(name: string, ch: number, cw: number, k: number, flip?: EditOp): EditOp {
  const crop = sizedOp(`${name} (${CORNERS[k]})`, (h, w) => {
    if (ch > h || cw > w) {
      throw new GankitError(`Expected a crop size no larger than the ${h}x${w} (HxW) image for size but received [${ch}, ${cw}]`);
    }
    return k === 4 ? centerCropOp([ch, cw]) : cropOp(k < 2 ? 0 : h - ch, k % 2 === 0 ? 0 : w - cw, ch, cw);
  });
  return flip ? chainOps(crop.name, [flip, crop]) : crop;
}

/** The five crop ops of torchvision's five_crop for size n or [height, width] pixels. */
export function fiveCropOps(size: number | readonly number[]): EditOp[] {
  const [ch, cw] = v.size2('size', size);
  return CORNERS.map((_, k) => cornerOp('fiveCrop', ch, cw, k));
}

export interface TenCropOptions {
  /** Flip top-bottom instead of left-right for the second five. Default false. */
  verticalFlip?: boolean;
}

/** The ten crop ops of torchvision's ten_crop: five_crop of the image, then of its mirror image. */
export function tenCropOps(size: number | readonly number[], options?: TenCropOptions): EditOp[] {
  const [ch, cw] = v.size2('size', size);
  const o = v.options('options', options, ['verticalFlip']);
  const flip = (o.verticalFlip === undefined ? false : v.bool('options.verticalFlip', o.verticalFlip)) ? vflipOp() : hflipOp();
  return [...CORNERS.map((_, k) => cornerOp('tenCrop', ch, cw, k)), ...CORNERS.map((_, k) => cornerOp('tenCrop', ch, cw, k, flip))];
}
