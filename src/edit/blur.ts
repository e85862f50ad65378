/** gaussianBlur: torchvision's float32 Gaussian kernel, reflect padding, per-channel convolution. */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger } from '../util/is.js';
import { dims, fromFloatRounded, toFloat, type EditOp } from './core.js';
import * as v from '../util/validate.js';

const f32 = Math.fround;

/** torchvision's _get_gaussian_kernel1d in float32: exp(-0.5 (x / sigma)^2) over x = -(k-1)/2 .. (k-1)/2, normalised. */
export function gaussianKernel1d(size: number, sigma: number): Float32Array {
  const half = (size - 1) * 0.5;
  const s = f32(sigma);
  const pdf = new Float32Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const q = f32((-half + i) / s);
    pdf[i] = f32(Math.exp(f32(-0.5 * f32(q * q))));
    sum = f32(sum + pdf[i]!);
  }
  for (let i = 0; i < size; i++) pdf[i] = f32(pdf[i]! / sum);
  return pdf;
}

function kernelSizes(kernelSize: unknown): [number, number] {
  const check = (name: string, k: unknown) => {
    if (!isInteger(k) || (k as number) < 1 || (k as number) % 2 === 0) throw invalidParameterError(name, 'odd positive integer', k);
    return k as number;
  };
  if (typeof kernelSize === 'number' || (Array.isArray(kernelSize) && kernelSize.length === 1)) {
    const k = check('kernelSize', typeof kernelSize === 'number' ? kernelSize : kernelSize[0]);
    return [k, k];
  }
  const t = v.tuple('kernelSize', kernelSize, 2, 'odd positive integers [kx, ky] (or one odd integer)');
  return [check('kernelSize[0] (x)', t[0]), check('kernelSize[1] (y)', t[1])];
}

export function gaussianBlurOp(kernelSize: number | readonly number[], sigma?: number | readonly number[]): EditOp {
  const [kx, ky] = kernelSizes(kernelSize);
  let sx: number, sy: number;
  if (sigma === undefined) {
    [sx, sy] = [kx * 0.15 + 0.35, ky * 0.15 + 0.35];
  } else if (typeof sigma === 'number') {
    sx = sy = v.positive('sigma', sigma);
  } else {
    const t = Array.isArray(sigma) && sigma.length === 1 ? [sigma[0], sigma[0]] : v.tuple('sigma', sigma, 2, 'positive numbers [sigmaX, sigmaY] (or one number)');
    [sx, sy] = [v.positive('sigma[0] (x)', t[0]), v.positive('sigma[1] (y)', t[1])];
  }
  const wx = gaussianKernel1d(kx, sx);
  const wy = gaussianKernel1d(ky, sy);
  return {
    name: 'gaussianBlur',
    tensor: (x, kind) => {
      const { h, w, c } = dims(x);
      const px = Math.floor(kx / 2);
      const py = Math.floor(ky / 2);
      if (px >= w || py >= h) {
        throw new GankitError(
          `Expected kernelSize of at most ${2 * w - 1} (x) and ${2 * h - 1} (y) for this ${h}x${w} image (reflect padding needs half the kernel < the image size) but received [${kx}, ${ky}]`,
        );
      }
      let y = tf.mirrorPad(toFloat(x), [[0, 0], [py, py], [px, px], [0, 0]], 'reflect');
      // Separable: the x kernel, then the y kernel (the 2D kernel is their outer product).
      if (kx > 1) y = tf.depthwiseConv2d(y, tf.tile(tf.tensor4d(wx, [1, kx, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D, 1, 'valid');
      if (ky > 1) y = tf.depthwiseConv2d(y, tf.tile(tf.tensor4d(wy, [ky, 1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D, 1, 'valid');
      return fromFloatRounded(y, kind);
    },
  };
}
