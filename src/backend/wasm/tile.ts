/**
 * Tile for the wasm backend as block copies in the heap (memcpy-speed copyWithin) instead of the
 * built-in per-element index loop. BatchNorm's gradient tiles a [1, 1, 1, c] vector to the whole
 * [n, h, w, c] map once per layer and step. String tensors run the built-in kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { builtinWasmKernel } from './builtins.js';
import type { HeapBackend } from './heap.js';


/** Kernel function for Tile: input x, attrs.reps (one non-negative integer per axis). */
export function tileBlocks(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const reps = (args.attrs as { reps: number[] }).reps;
  if (x.dtype === 'string' || reps.length !== x.shape.length || x.shape.length === 0) {
    return builtinWasmKernel('Tile')!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const backend = args.backend as HeapBackend;
  const d = x.shape, r = d.length;
  const o = d.map((n, i) => n * reps[i]!);
  const out = backend.makeOutput(o, x.dtype);
  if (o.some((n) => n === 0)) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const srcStride = new Array<number>(r), dstStride = new Array<number>(r);
  srcStride[r - 1] = 1; dstStride[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) { srcStride[i] = srcStride[i + 1]! * d[i + 1]!; dstStride[i] = dstStride[i + 1]! * o[i + 1]!; }
  // fill the first repetition of axis `dim` from x, then repeat that contiguous block reps[dim] - 1 times
  const fill = (dim: number, s: number, t: number): void => {
    if (dim === r - 1) dst.set(src.subarray(s, s + d[dim]!), t);
    else for (let i = 0; i < d[dim]!; i++) fill(dim + 1, s + i * srcStride[dim]!, t + i * dstStride[dim]!);
    const block = d[dim]! * dstStride[dim]!;
    for (let done = 1; done < reps[dim]!; done *= 2) { // doubling: log2(reps) copies
      const n = Math.min(done, reps[dim]! - done);
      dst.copyWithin(t + done * block, t, t + n * block);
    }
  };
  fill(0, 0, 0);
  return out;
}
