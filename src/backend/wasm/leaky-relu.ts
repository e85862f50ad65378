/**
 * LeakyRelu for the wasm backend on XNNPACK's PReLU (SIMD, x < 0 ? alpha * x : x, the same rule as
 * tfjs' cpu backend) with alpha repeated over the last axis, instead of the built-in scalar C loop
 * (several times slower on the DCGAN discriminator's activation maps). Results differ from the cpu
 * backend only in the last bit of alpha * x (float32 product) and in -0 becoming +0. Other dtypes and
 * empty tensors run the built-in.
 */
import type * as tf from '@tensorflow/tfjs';
import { builtinWasmKernel } from './builtins.js';
import { heapF32, newF32 } from './heap.js';
import { withScope } from './kernel-scope.js';

/** Kernel function for LeakyRelu: input x, attrs.alpha (any number). */
export function leakyReluPrelu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const channels = x.shape.length > 0 ? x.shape[x.shape.length - 1]! : 1;
  if (x.dtype !== 'float32' || x.shape.some((d) => d === 0)) {
    return builtinWasmKernel('LeakyRelu')!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const alpha = (args.attrs as { alpha: number }).alpha;
  return withScope(args.backend, (s) => {
    // a fresh weights buffer per call: the backend caches its PReLU operator by the weights' id and
    // drops it when the buffer is freed, so no operator outlives this call
    const weights = s.adopt(newF32(args.backend, [channels]));
    heapF32(args.backend, weights).fill(alpha);
    return s.run('Prelu', { x, alpha: weights });
  });
}
