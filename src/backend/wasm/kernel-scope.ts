/**
 * Run the wasm backend's own kernels from inside a gankit kernel, without the tfjs engine: no tape,
 * no profiler entries of their own, and every intermediate freed when the scope ends. A gankit kernel
 * is then one engine kernel (one profile entry) made of several fast wasm kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';

/** The parts of the wasm backend a kernel needs: its data refcounts. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

type Attrs = Record<string, unknown>;

/** Collects the outputs of wasm kernels it runs; dispose() frees all but the ones kept. */
export class KernelScope {
  private readonly owned: tf.TensorInfo[] = [];

  constructor(private readonly backend: WasmBackendLike) {}

  /** Run the wasm kernel `name` on TensorInfos; the output is freed by dispose() unless kept. */
  run(name: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new GankitError(`the wasm backend has no ${name} kernel`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend as unknown as tf.KernelBackend });
    const info = (Array.isArray(out) ? out[0] : out) as tf.TensorInfo;
    this.owned.push(info);
    return info;
  }

  /** Reshape without copying (the wasm Reshape kernel shares the buffer and counts a reference). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Transpose by `perm` (any rank). */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero-pad by [before, after] per axis; returns x itself when nothing is added. */
  pad(x: tf.TensorInfo, paddings: [number, number][]): tf.TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Slice `size` from `begin`; returns x itself when that is all of x. */
  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  /** Stride-1 'valid' NHWC convolution with the given dilation (XNNPACK). */
  conv(x: tf.TensorInfo, filter: tf.TensorInfo, dilations: [number, number] = [1, 1]): tf.TensorInfo {
    return this.run('Conv2D', { x, filter }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations, dimRoundingMode: undefined });
  }

  /**
   * Note on BatchMatMul: the wasm backend caches XNNPACK operators with `b` packed, keyed by b's buffer
   * id and not its shape, so `b` must be a buffer of this scope (e.g. an Identity copy), never a
   * reshaped view of a tensor that may be read as a matrix of another shape elsewhere.
   */

  /** Hand `x` to the caller as a kernel output: it survives dispose() with one reference for the engine. */
  keep(x: tf.TensorInfo): tf.TensorInfo {
    this.backend.incRef(x.dataId);
    return x;
  }

  /** Free every output run() made (a kept one keeps its extra reference). */
  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}

/** Run `body` with a fresh scope and free the scope's intermediates afterwards, also on error. */
export function withScope(backend: unknown, body: (s: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(backend as WasmBackendLike);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
