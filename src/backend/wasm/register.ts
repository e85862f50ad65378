/**
 * Register gankit's training kernels for the tfjs wasm backend: Conv2DBackpropFilter (missing in
 * tfjs-backend-wasm 4.22, tfjs#8474), a fast Conv2DBackpropInput (replacing the built-in loop),
 * faster Sum / Mean over leading axes and Tile (BatchNorm statistics and gradients), LeakyRelu
 * on XNNPACK's PReLU, matrix products with a transposed operand (dense layers' gradients) on XNNPACK,
 * Identity / same-dtype Cast sharing their input's buffer (the clones gradients save), and Greater
 * against a scalar as a heap loop (LeakyReLU gradients).
 * Called by initBackend() when it chooses wasm; safe to call more than once.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { sumLeading, meanLeading } from './reduce-leading.js';
import { tileBlocks } from './tile.js';
import { leakyReluPrelu } from './leaky-relu.js';
import { batchMatMulTransposed } from './batch-matmul.js';
import { identityShared, castShared } from './share.js';
import { greaterScalar } from './greater-scalar.js';
import { keepBuiltin } from './builtins.js';

export { builtinWasmKernel } from './builtins.js';

/** The kernels gankit registers for 'wasm', by tfjs kernel name. */
export const WASM_TRAINING_KERNELS: Readonly<Record<string, tf.KernelFunc>> = Object.freeze({
  Conv2DBackpropFilter: conv2dBackpropFilter as unknown as tf.KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInput as unknown as tf.KernelFunc,
  Sum: sumLeading as unknown as tf.KernelFunc,
  Mean: meanLeading as unknown as tf.KernelFunc,
  Tile: tileBlocks as unknown as tf.KernelFunc,
  LeakyRelu: leakyReluPrelu as unknown as tf.KernelFunc,
  BatchMatMul: batchMatMulTransposed as unknown as tf.KernelFunc,
  Identity: identityShared as unknown as tf.KernelFunc,
  Cast: castShared as unknown as tf.KernelFunc,
  Greater: greaterScalar as unknown as tf.KernelFunc,
});

/** Install the kernels for backendName 'wasm', replacing (and keeping) the built-in ones; returns their names. */
export function registerWasmTrainingKernels(): string[] {
  for (const [kernelName, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
    const previous = tf.getKernel(kernelName, 'wasm');
    if (previous?.kernelFunc === kernelFunc) continue;
    if (previous) {
      keepBuiltin(previous);
      tf.unregisterKernel(kernelName, 'wasm');
    }
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  return Object.keys(WASM_TRAINING_KERNELS);
}
