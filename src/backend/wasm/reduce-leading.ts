/**
 * Sum and Mean for the wasm backend when the reduced axes lead (e.g. [0, 1, 2] of an NHWC map: every
 * BatchNorm statistic and bias gradient). The built-in kernels first transpose the reduced axes to the
 * end, a full copy; here the input is read once as [m, c] rows added into a float64 accumulator.
 * (Not an XNNPACK matrix product with a row of ones: the wasm backend caches packed matrices by tensor
 * id, not by shape, so reading a shared buffer as a matrix of another shape is unsafe.)
 * Other cases run the built-in kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { builtinWasmKernel } from './builtins.js';
import type { HeapBackend } from './heap.js';

type ReduceArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** The number of leading axes reduced, when `axis` is exactly 0..k-1 with k < rank; otherwise undefined. */
function leadingAxes(axis: unknown, rank: number): number | undefined {
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => (typeof a === 'number' && a < 0 ? a + rank : a));
  const sorted = [...new Set(list)].sort((a, b) => (a as number) - (b as number));
  if (sorted.length === 0 || sorted.length >= rank) return undefined;
  return sorted.every((a, i) => a === i) ? sorted.length : undefined;
}

function reduceLeading(name: 'Sum' | 'Mean', args: ReduceArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as { axis: number | number[]; keepDims: boolean };
  const k = leadingAxes(axis, x.shape.length);
  const m = x.shape.slice(0, k ?? 0).reduce((a, b) => a * b, 1);
  if (k === undefined || x.dtype !== 'float32' || m < 2) return builtinWasmKernel(name)!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const rest = x.shape.slice(k);
  const c = rest.reduce((a, b) => a * b, 1);
  const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
  const backend = args.backend as HeapBackend;
  const src = backend.typedArrayFromHeap(x);
  const acc = new Float64Array(c);
  let row = 0;
  for (; row + 8 <= m; row += 8) { // eight rows per pass over acc: an eighth of the accumulator traffic
    const o0 = row * c, o1 = o0 + c, o2 = o1 + c, o3 = o2 + c, o4 = o3 + c, o5 = o4 + c, o6 = o5 + c, o7 = o6 + c;
    for (let j = 0; j < c; j++) {
      acc[j] = acc[j]! + (((src[o0 + j]! + src[o1 + j]!) + (src[o2 + j]! + src[o3 + j]!)) + ((src[o4 + j]! + src[o5 + j]!) + (src[o6 + j]! + src[o7 + j]!)));
    }
  }
  for (; row < m; row++) {
    const off = row * c;
    for (let j = 0; j < c; j++) acc[j] = acc[j]! + src[off + j]!;
  }
  const out = backend.makeOutput(outShape, 'float32');
  const dst = backend.typedArrayFromHeap(out);
  const scale = name === 'Mean' ? 1 / m : 1;
  for (let j = 0; j < c; j++) dst[j] = acc[j]! * scale;
  return out;
}

/** Kernel function for Sum (attrs axis, keepDims). */
export function sumLeading(args: ReduceArgs): tf.TensorInfo {
  return reduceLeading('Sum', args);
}

/** Kernel function for Mean (attrs axis, keepDims). */
export function meanLeading(args: ReduceArgs): tf.TensorInfo {
  return reduceLeading('Mean', args);
}
