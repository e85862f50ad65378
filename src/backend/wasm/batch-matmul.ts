/**
 * BatchMatMul for the wasm backend when an operand is transposed (every dense layer's backward pass:
 * dx = dy W^T, dW = x^T dy). The built-in kernel uses XNNPACK only for untransposed operands and
 * otherwise a scalar triple loop, 10-30x slower; here the transposed operand is laid out by the
 * backend's transpose into a fresh buffer and the product runs on XNNPACK. Untransposed products
 * (where the built-in caches the packed weights), batched products and other dtypes run the built-in.
 */
import * as tf from '@tensorflow/tfjs';
import { builtinWasmKernel } from './builtins.js';
import { withScope } from './kernel-scope.js';

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** Kernel function for BatchMatMul: inputs a, b (rank >= 2), attrs transposeA, transposeB. */
export function batchMatMulTransposed(args: Args): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const ra = a.shape.length, rb = b.shape.length;
  const plain = !transposeA && !transposeB;
  const batched = size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1;
  if (plain || batched || a.dtype !== 'float32' || b.dtype !== 'float32' || size(a.shape) === 0 || size(b.shape) === 0) {
    return builtinWasmKernel('BatchMatMul')!(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const [a0, a1] = [a.shape[ra - 2]!, a.shape[ra - 1]!], [b0, b1] = [b.shape[rb - 2]!, b.shape[rb - 1]!];
  const inner = transposeA ? a0 : a1;
  if (inner !== (transposeB ? b1 : b0)) {
    throw new Error(`Error in matMul: inner shapes (${inner}) and (${transposeB ? b1 : b0}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  }
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return withScope(args.backend, (s) => {
    let left = s.reshape(a, [a0, a1]);
    if (transposeA) left = s.transpose(left, [1, 0]); // [m, k]
    const bm = s.reshape(b, [b0, b1]);
    const right = transposeB ? s.transpose(bm, [1, 0]) : s.run('Identity', { x: bm }); // [k, n], a fresh buffer
    const out = s.matmul(left, right);
    return s.reshape(out, [...outer, out.shape[0]!, out.shape[1]!]);
  });
}
