/**
 * Identity and same-dtype Cast for the wasm backend as shared buffers (one more reference, no copy),
 * as tfjs' cpu backend does: tensors are immutable, so a clone may read the same memory. The built-in
 * kernels copy the whole buffer; tfjs clones every tensor a gradient saves (saveTensorsForBackwardMode),
 * ~200 copies per DCGAN training step. gankit's own kernels that need a fresh buffer (XNNPACK caches
 * packed matrices by buffer id) still run the built-in Identity through KernelScope.
 */
import type * as tf from '@tensorflow/tfjs';
import { builtinWasmKernel } from './builtins.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
interface SharingBackend { incRef(dataId: object): void }

/** x itself under a new reference: same dataId, shape and dtype. */
function share(backend: unknown, x: tf.TensorInfo): tf.TensorInfo {
  (backend as SharingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Kernel function for Identity: input x (strings run the built-in). */
export function identityShared(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return builtinWasmKernel('Identity')!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  return share(args.backend, x);
}

/** Kernel function for Cast: input x, attrs.dtype; a cast to x's own dtype shares x, others run the built-in. */
export function castShared(args: Args): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = (args.attrs ?? {}) as { dtype: tf.DataType };
  if (dtype !== x.dtype || x.dtype === 'string') return builtinWasmKernel('Cast')!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  return share(args.backend, x);
}
