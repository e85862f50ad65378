/**
 * Conv2DBackpropFilter for the wasm backend (tfjs registers none: tfjs#8474), as one dilated forward
 * convolution on XNNPACK. For a stride-s conv of x [n, h, w, cin] giving dy [n, oh, ow, cout]:
 *   dW[kh, kw, ci, co] = sum over b, i, j of xpad[b, i*s + kh, j*s + kw, ci] * dy[b, i, j, co]
 * which is a stride-1 'valid' conv with dilation s of xpad transposed to [cin, H', W', n] (batch cin,
 * channels n) with dy transposed to [oh, ow, n, cout] as its filter; the result [cin, kh, kw, cout]
 * is transposed to [kh, kw, cin, cout]. When a patch has no more values than dy has channels
 * (kh * kw * cin <= cout: the DCGAN's first layer, one input channel), dW is one matrix product of
 * dy^T with the patches instead (see below); with one output position, xpad^T dy.
 */
import type * as tf from '@tensorflow/tfjs';
import { withScope } from './kernel-scope.js';
import { convGeometry, type ConvGradAttrs } from './conv-geometry.js';
import { transpose2d, swapBatchChannels } from './layout.js';
import { im2col } from './im2col.js';

/** Kernel function: inputs x [n, h, w, cin] and dy [n, oh, ow, cout]; attrs.filterShape [kh, kw, cin, cout]. */
export function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convGeometry('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // rows of the padded input the conv reads: (oh - 1) * sh + kh; crop what it never reads, pad what it reads outside x
  const needH = (oh - 1) * sh + kh, needW = (ow - 1) * sw + kw;
  const keepH = Math.min(h, needH - top), keepW = Math.min(w, needW - left);
  return withScope(args.backend, (s) => {
    const xc = s.slice(x, [0, 0, 0, 0], [n, keepH, keepW, cin]);
    const pads: [[number, number], [number, number]] = [[top, needH - top - keepH], [left, needW - left - keepW]];
    if (oh === 1 && ow === 1) {
      // one output position: dW = xpad^T dy as a plain matrix product, [kh*kw*cin, n] x [n, cout]
      const xp = s.pad(xc, [[0, 0], ...pads, [0, 0]]); // [n, kh, kw, cin]
      const b = s.run('Identity', { x: s.reshape(dy, [n, cout]) }); // a fresh buffer: see KernelScope.matmul
      if (cout <= 4) { // a few columns: the backend's scalar loop on xpad^T beats transposing xpad for XNNPACK
        const m = s.run('BatchMatMul', { a: s.reshape(xp, [1, n, kh * kw * cin]), b: s.reshape(b, [1, n, cout]) }, { transposeA: true, transposeB: false });
        return s.reshape(m, [kh, kw, cin, cout]);
      }
      const a = transpose2d(s, xp, n, kh * kw * cin); // explicit: XNNPACK takes no transposed operands
      return s.reshape(s.matmul(a, b), [kh, kw, cin, cout]);
    }
    const k = kh * kw * cin, p = n * oh * ow;
    if (k <= cout) {
      // small patches (e.g. one input channel): dW^T = dy^T [cout, p] x im2col(x) [p, k]. XNNPACK packs the
      // right operand every call, ~4 ns per element: here the k-column patches, not dy (the conv's filter)
      const cols = s.adopt(im2col(s.backendRef, x, info));
      const m = s.matmul(transpose2d(s, dy, p, cout), cols); // [cout, k]
      return s.reshape(transpose2d(s, m, cout, k), [kh, kw, cin, cout]);
    }
    const xt = swapBatchChannels(s, xc); // [cin, keepH, keepW, n]
    const dyt = s.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, cout]
    const g = s.conv(xt, dyt, [sh, sw], pads); // [cin, kh, kw, cout]; the padding is the operator's, not a copy
    return s.transpose(g, [1, 2, 0, 3]); // [kh, kw, cin, cout]
  });
}
