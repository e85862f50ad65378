/**
 * Direct access to tensor buffers in the wasm backend's heap, for kernels written as plain loops over
 * typed arrays (layout moves that the backend would run as generic per-element index loops).
 */
import type * as tf from '@tensorflow/tfjs';

/** The parts of the wasm backend gankit's heap kernels use. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/** The float32 view of `info`'s buffer in the wasm heap (valid until the next allocation). */
export function heapF32(backend: unknown, info: tf.TensorInfo): Float32Array {
  return (backend as HeapBackend).typedArrayFromHeap(info) as Float32Array;
}

/** A new float32 buffer of `shape` in the wasm heap (contents unspecified). */
export function newF32(backend: unknown, shape: number[]): tf.TensorInfo {
  return (backend as HeapBackend).makeOutput(shape, 'float32');
}
