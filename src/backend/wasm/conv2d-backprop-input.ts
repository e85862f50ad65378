/**
 * Conv2DBackpropInput for the wasm backend (the gradient of conv2d by its input, and the forward pass
 * of every conv2dTranspose), replacing tfjs' generic loop with one XNNPACK convolution.
 *
 * Sub-pixel decomposition: for stride s, input row r = q*s + p (p in [0, s), counted in the padded
 * frame) only receives filter taps kh = p + s*j, from dy rows q - j. So every phase p is a stride-1
 * correlation of dy with a sub-kernel of ceil(k / s) taps. One conv computes all s_h * s_w phases at
 * once as output channels (the filter is rearranged to [jh, jw, cout, ph * pw * cin] once per call),
 * and depth-to-space interleaves them into the image; the padding is cropped at the end. Exact.
 */
import type * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope } from './kernel-scope.js';
import { convGeometry, type ConvGradAttrs } from './conv-geometry.js';

/** Kernel function: inputs dy [n, oh, ow, cout] and filter [kh, kw, cin, cout]; attrs.inputShape [n, h, w, cin]. */
export function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convGeometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
  return withScope(args.backend, (s) =>
    info.outHeight === 1 && info.outWidth === 1 ? singlePosition(s, dy, filter, info) : subPixel(s, dy, filter, info));
}

/** dy has one position: dx is dy times the filter, [n, cout] x [cout, kh*kw*cin], cropped to the input window. */
function singlePosition(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const a = s.reshape(dy, [1, n, cout]);
  const b = s.run('Identity', { x: s.reshape(filter, [1, kh * kw * cin, cout]) }); // a fresh id: see the BatchMatMul note in KernelScope
  const m = s.reshape(s.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: true }), [n, kh, kw, cin]);
  // input row i sees tap i + top: keep taps [top, top + h), zero beyond the filter
  const rows = Math.max(0, Math.min(kh - top, h)), cols = Math.max(0, Math.min(kw - left, w));
  if (rows === 0 || cols === 0) return s.run('Fill', {}, { shape: [n, h, w, cin], value: 0, dtype: 'float32' });
  const c = s.slice(m, [0, top, left, 0], [n, rows, cols, cin]);
  return s.pad(c, [[0, 0], [0, h - rows], [0, w - cols], [0, 0]]);
}

/** General case: one stride-1 conv over all stride phases, then depth-to-space and a crop. */
function subPixel(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw); // taps per phase
  const qh = Math.ceil((h + top) / sh), qw = Math.ceil((w + left) / sw); // output rows per phase
  // sub-kernels: tap kh = j*s + p; correlation tap t = j' - 1 - j, so reverse j; order channels (ph, pw, ci)
  let f = s.pad(filter, [[0, jh * sh - kh], [0, jw * sw - kw], [0, 0], [0, 0]]);
  f = s.reshape(f, [jh, sh, jw, sw, cin, cout]);
  if (jh > 1 || jw > 1) f = s.run('Reverse', { x: f }, { dims: [0, 2] });
  f = s.transpose(f, [0, 2, 5, 1, 3, 4]); // [jh, jw, cout, sh, sw, cin]
  f = s.reshape(f, [jh, jw, cout, sh * sw * cin]);
  // dy with jh - 1 zero rows above and enough below for qh outputs (cropped when dy has more)
  const rows = Math.min(oh, qh), cols = Math.min(ow, qw);
  let d = s.slice(dy, [0, 0, 0, 0], [n, rows, cols, cout]);
  d = s.pad(d, [[0, 0], [jh - 1, qh - rows], [jw - 1, qw - cols], [0, 0]]); // [n, qh + jh - 1, qw + jw - 1, cout]
  let y = s.conv(d, f); // [n, qh, qw, sh * sw * cin]
  if (sh === sw) {
    if (sh > 1) y = s.run('DepthToSpace', { x: y }, { blockSize: sh, dataFormat: 'NHWC' });
  } else {
    y = s.reshape(y, [n, qh, qw, sh, sw, cin]);
    y = s.transpose(y, [0, 1, 3, 2, 4, 5]);
    y = s.reshape(y, [n, qh * sh, qw * sw, cin]);
  }
  return s.slice(y, [0, top, left, 0], [n, h, w, cin]); // [n, h, w, cin]
}
