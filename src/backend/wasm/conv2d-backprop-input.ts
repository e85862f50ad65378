/**
 * Conv2DBackpropInput for the wasm backend (the gradient of conv2d by its input, and the forward pass
 * of every conv2dTranspose), replacing tfjs' generic loop with one XNNPACK convolution.
 *
 * Sub-pixel decomposition: for stride s, input row r = q*s + p (p in [0, s), counted in the padded
 * frame) only receives filter taps kh = p + s*j, from dy rows q - j. So every phase p is a stride-1
 * correlation of dy with a sub-kernel of ceil(k / s) taps. When every phase has the same size and dx
 * has >= 8 channels, each phase is one exactly-sized conv reading dy in place (perPhase); otherwise
 * one conv computes all s_h * s_w phases at once as output channels (the filter rearranged to
 * [jh, jw, cout, ph * pw * cin] in one pass), one transpose interleaves them and the padding is
 * cropped at the end (subPixel). Both are exact.
 */
import type * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope } from './kernel-scope.js';
import { convGeometry, type ConvGradAttrs } from './conv-geometry.js';
import { transpose2d } from './layout.js';
import { col2im } from './im2col.js';
import { subPixelFilter, subPixelPhaseFilter, stackF32, cropNHWC } from './sub-pixel.js';

/** Kernel function: inputs dy [n, oh, ow, cout] and filter [kh, kw, cin, cout]; attrs.inputShape [n, h, w, cin]. */
export function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convGeometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  return withScope(args.backend, (s) => {
    if (info.outHeight === 1 && info.outWidth === 1) return singlePosition(s, dy, filter, info);
    if (kh * kw * cin <= cout) return patches(s, dy, filter, info);
    return perPhase(s, dy, filter, info) ?? subPixel(s, dy, filter, info);
  });
}

/**
 * Small patches (kh * kw * cin <= cout, e.g. the DCGAN's image layer, one channel): every patch of dx at
 * once, dy [n*oh*ow, cout] x filter^T [cout, kh*kw*cin] (XNNPACK packs only the small filter^T), then
 * the overlapping patches added into dx (col2im). A GEMM as wide as the patch, where the convs above
 * would be only cin (or s*s*cin) wide.
 */
function patches(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, outHeight: oh, outWidth: ow, inChannels: cin, outChannels: cout, filterHeight: kh, filterWidth: kw } = info;
  const k = kh * kw * cin;
  const cols = s.matmul(s.reshape(dy, [n * oh * ow, cout]), transpose2d(s, filter, k, cout)); // [n*oh*ow, k]
  return s.adopt(col2im(s.backendRef, cols, info));
}

/**
 * dy has one position: dx is dy times the transposed filter, cropped to the input window. XNNPACK packs
 * its right operand every call (~5 ns per element, with the transpose before it): with many filters
 * (cout > n / 4, the DCGAN's projection) dx^T = filter [kh*kw*cin, cout] x dy^T [cout, n] packs the
 * small dy^T and transposes the product back (~1 ns per element); with few (a score conv), dy x filter^T.
 */
function singlePosition(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const k = kh * kw * cin;
  let product: tf.TensorInfo; // [n, k]
  if (4 * cout > n) {
    const dyt = s.transpose(s.reshape(dy, [n, cout]), [1, 0]); // [cout, n], a fresh buffer for matmul
    product = transpose2d(s, s.matmul(s.reshape(filter, [k, cout]), dyt), k, n);
  } else {
    const ft = transpose2d(s, filter, k, cout); // [cout, k], a fresh buffer for matmul
    product = s.matmul(s.reshape(dy, [n, cout]), ft);
  }
  const m = s.reshape(product, [n, kh, kw, cin]);
  // input row i sees tap i + top: keep taps [top, top + h), zero beyond the filter
  const rows = Math.max(0, Math.min(kh - top, h)), cols = Math.max(0, Math.min(kw - left, w));
  if (rows === 0 || cols === 0) return s.run('Fill', {}, { shape: [n, h, w, cin], value: 0, dtype: 'float32' });
  const c = s.slice(m, [0, top, left, 0], [n, rows, cols, cin]);
  return s.pad(c, [[0, 0], [0, h - rows], [0, w - cols], [0, 0]]);
}

/** Fewest input channels (dx channels) for which per-phase convs beat the all-phase conv. */
const PER_PHASE_MIN_CHANNELS = 8; // measured on the DCGAN's last layer (dy 64x14x14x64, stride 2): break-even near 8

/**
 * When every output phase has the same size (h, w multiples of the strides): one stride-1 conv per
 * phase, each computing exactly its h / sh x w / sw outputs (no cropped margin, and narrower GEMMs than
 * the all-phase conv's), reading dy in place with the phase's offset as the operator's own padding;
 * the phases are stacked and interleaved by two transposes. Undefined when the geometry does not fit.
 */
function perPhase(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // few input channels make each phase's GEMM too narrow (cin = 1: 3x slower than the all-phase conv)
  if (sh * sw === 1 || h % sh !== 0 || w % sw !== 0 || cin < PER_PHASE_MIN_CHANNELS) return undefined;
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw), qh = h / sh, qw = w / sw;
  // output row i = u * sh + pi sits at padded row i + top = (u + c0) * sh + p: taps p + sh * j read dy
  // row u + c0 - j, i.e. a correlation whose input is dy padded by jh - 1 - c0 rows above
  // per axis and output phase: the filter phase p, and dy's zero padding before / after (from
  // q outputs = o + before + after - (j - 1) rows of a j-tap 'valid' correlation)
  const pads = (pOut: number, stride: number, j: number, q: number, o: number, pad: number) => {
    const c0 = Math.floor((pOut + pad) / stride);
    const before = j - 1 - c0, after = q - o - before + j - 1;
    return { p: (pOut + pad) % stride, before, after };
  };
  const rowsOf = Array.from({ length: sh }, (_, i) => pads(i, sh, jh, qh, oh, top));
  const colsOf = Array.from({ length: sw }, (_, i) => pads(i, sw, jw, qw, ow, left));
  if ([...rowsOf, ...colsOf].some((g) => g.before < 0 || g.after < 0)) return undefined;
  const phases: tf.TensorInfo[] = [];
  const { outChannels: cout } = info;
  // [kh, kw, cout, cin]: kh * kw small transposes, then each phase's taps are block copies
  const ft = s.reshape(s.transpose(s.reshape(filter, [kh * kw, cin, cout]), [0, 2, 1]), [kh, kw, cout, cin]);
  for (const r of rowsOf) {
    for (const c of colsOf) {
      const f = s.adopt(subPixelPhaseFilter(s.backendRef, ft, sh, sw, r.p, c.p));
      phases.push(s.conv(dy, f, [1, 1], [[r.before, r.after], [c.before, c.after]])); // [n, qh, qw, cin]
    }
  }
  // [(ph, pw), n*qh*qw, cin] -> [n, qh, qw, ph, pw, cin] -> [n, qh, ph, qw, pw, cin]: two transposes the
  // backend runs as fast block copies (one 6-D transpose [2, 3, 0, 4, 1, 5] is a generic loop, ~100x slower)
  const stacked = s.reshape(s.adopt(stackF32(s.backendRef, phases)), [sh * sw, n * qh * qw, cin]);
  const byPixel = s.reshape(s.transpose(stacked, [1, 0, 2]), [n, qh, qw, sh, sw, cin]);
  return s.reshape(s.transpose(byPixel, [0, 1, 3, 2, 4, 5]), [n, h, w, cin]);
}

/** General case: one stride-1 conv over all stride phases, then an interleaving transpose and a crop. */
function subPixel(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw); // taps per phase
  const qh = Math.ceil((h + top) / sh), qw = Math.ceil((w + left) / sw); // output rows per phase
  // sub-kernels [jh, jw, cout, (ph, pw, ci)], taps reversed (a correlation), in one pass over the filter
  const f = s.adopt(subPixelFilter(s.backendRef, filter, sh, sw));
  // dy with jh - 1 zero rows above and enough below for qh outputs (cropped when dy has more); the
  // zero rows are the conv operator's own padding, not a copy
  const rows = Math.min(oh, qh), cols = Math.min(ow, qw);
  const d = s.slice(dy, [0, 0, 0, 0], [n, rows, cols, info.outChannels]);
  let y = s.conv(d, f, [1, 1], [[jh - 1, qh - rows], [jw - 1, qw - cols]]); // [n, qh, qw, sh * sw * cin]
  if (sh > 1 || sw > 1) { // depth-to-space as one transpose (the backend's DepthToSpace is a much slower loop)
    y = s.reshape(y, [n, qh, qw, sh, sw, cin]);
    y = s.transpose(y, [0, 1, 3, 2, 4, 5]);
    y = s.reshape(y, [n, qh * sh, qw * sw, cin]);
  }
  if (top === 0 && left === 0 && qh * sh === h && qw * sw === w) return y;
  return s.adopt(cropNHWC(s.backendRef, y, top, left, h, w)); // [n, h, w, cin]
}
