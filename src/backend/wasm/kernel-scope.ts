/**
 * Run the wasm backend's own kernels from inside a gankit kernel, without the tfjs engine: no tape,
 * no profiler entries of their own, and every intermediate freed when the scope ends. A gankit kernel
 * is then one engine kernel (one profile entry) made of several fast wasm kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';
import { builtinWasmKernel } from './builtins.js';

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

  /** The wasm backend this scope runs on (for heap kernels). */
  get backendRef(): unknown {
    return this.backend;
  }

  /**
   * Run the wasm backend's own kernel `name` on TensorInfos (its built-in one where gankit replaced
   * it, so a scope composes the backend's kernels as they are); the output is freed by dispose() unless kept.
   */
  run(name: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    const kernelFunc = builtinWasmKernel(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
    if (!kernelFunc) throw new GankitError(`the wasm backend has no ${name} kernel`);
    const out = kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend as unknown as tf.KernelBackend });
    const info = (Array.isArray(out) ? out[0] : out) as tf.TensorInfo;
    this.owned.push(info);
    return info;
  }

  /** Take ownership of a buffer made outside run() (e.g. by a heap loop): dispose() frees it unless kept. */
  adopt(info: tf.TensorInfo): tf.TensorInfo {
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

  /**
   * Stride-1 NHWC convolution with the given dilation (XNNPACK), zero-padding the input by
   * [[top, bottom], [left, right]] inside the operator (no padded copy); 'valid' when pads are omitted.
   */
  conv(x: tf.TensorInfo, filter: tf.TensorInfo, dilations: [number, number] = [1, 1], pads: [[number, number], [number, number]] = [[0, 0], [0, 0]]): tf.TensorInfo {
    const pad = pads.flat().every((v) => v === 0) ? 'valid' : [[0, 0], pads[0], pads[1], [0, 0]];
    return this.run('Conv2D', { x, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: undefined });
  }

  /**
   * Plain matrix product [m, k] x [k, n] on XNNPACK. The wasm BatchMatMul uses XNNPACK only without
   * transposes (else a scalar loop, ~10x slower), and caches its operator with `b` packed keyed by b's
   * buffer id, not its shape: so `b` must be a buffer this scope created (e.g. a Transpose or Identity
   * output), never a reshaped view of a tensor that may be read as a matrix of another shape elsewhere.
   */
  matmul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    if (!this.owned.includes(b)) throw new GankitError('KernelScope.matmul needs a b buffer made in this scope');
    const [m, k] = a.shape as [number, number], n = b.shape[1]!;
    const out = this.run('BatchMatMul', { a: this.reshape(a, [1, m, k]), b: this.reshape(b, [1, k, n]) }, { transposeA: false, transposeB: false });
    return this.reshape(out, [m, n]);
  }

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
