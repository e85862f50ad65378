/**
 * Faster transposed convolutions for the wasm backend, whose Conv2DBackpropInput is a plain loop:
 * a generator's Conv2DTranspose layers are rerouted, with filters rearranged once at load, to
 *  - one matmul, for a 1x1 input with 'valid' padding (the DCGAN projection z -> 7x7 map), and
 *  - one sub-pixel convolution plus depthToSpace, for 'same' padding (the stride-2 upsamplings);
 * both run on XNNPACK and compute the same sums as tf.conv2dTranspose. Layers of any other shape
 * keep tfjs' own call.
 */
import type { Tfjs } from '../tfjs';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** The parts of tfjs-layers' Conv2DTranspose this module reads. */
interface TransposeLayer {
  kernelSize: number[];
  strides: number[];
  padding: string;
  dataFormat: string;
  filters: number;
  kernel: { read(): Tensor };
  bias?: { read(): Tensor } | null;
  activation?: { apply(x: Tensor): Tensor } | null;
  inputSpec?: unknown;
  call: (inputs: Tensor | Tensor[], kwargs: unknown) => Tensor | Tensor[];
  getClassName(): string;
  input: { shape: (number | null)[] };
}

/** Per axis of a sub-pixel filter: each phase's first tap and tap count, the window, and the input's pads. */
function axis(k: number, s: number, padBefore: number) {
  const phases = Array.from({ length: s }, (_, p) => {
    const r = (p + padBefore) % s;
    const q = Math.floor((p + padBefore) / s);
    return { r, q, taps: Math.ceil((k - r) / s) };
  });
  const minOff = Math.min(...phases.map(f => f.q - f.taps + 1));
  const maxOff = Math.max(...phases.map(f => f.q));
  return { phases, minOff, size: maxOff - minOff + 1, pads: [-minOff, maxOff] as [number, number] };
}

/**
 * The sub-pixel filter of a 'same' transposed convolution with filter W [kh, kw, cout, cin]: F
 * [Lh, Lw, cin, sh * sw * cout] such that depthToSpace(conv2d(pad(x), F), s) = conv2dTranspose(x, W).
 * Output pixel j = s * m + p gets x[m + q_p - t] * W[r_p + s * t], with (r_p, q_p) from the padding.
 */
export function subPixelFilter(
  w: Float32Array,
  [kh, kw, cout, cin]: number[],
  [sh, sw]: number[],
  [padTop, padLeft]: number[]
): { values: Float32Array; shape: [number, number, number, number]; pads: [[number, number], [number, number]] } {
  const H = axis(kh, sh, padTop);
  const V = axis(kw, sw, padLeft);
  const C = sh * sw * cout;
  const values = new Float32Array(H.size * V.size * cin * C);
  H.phases.forEach((fp, p) => {
    for (let t = 0; t < fp.taps; t++) {
      const a = fp.q - t - H.minOff;
      const k1 = fp.r + sh * t;
      V.phases.forEach((fq, q) => {
        for (let u = 0; u < fq.taps; u++) {
          const b = fq.q - u - V.minOff;
          const k2 = fq.r + sw * u;
          for (let ci = 0; ci < cin; ci++) {
            for (let co = 0; co < cout; co++) {
              values[((a * V.size + b) * cin + ci) * C + (p * sw + q) * cout + co] = w[((k1 * kw + k2) * cout + co) * cin + ci];
            }
          }
        }
      });
    }
  });
  return { values, shape: [H.size, V.size, cin, C], pads: [H.pads, V.pads] };
}

/** tfjs' 'same' padding before the data along one axis, for an output of `out` pixels. */
const samePadBefore = (out: number, s: number, k: number) => Math.floor(Math.max(0, (Math.ceil(out / s) - 1) * s + k - out) / 2);

/**
 * Reroute the model's Conv2DTranspose layers that have one of the two shapes above; returns a
 * function that frees the rearranged filters (call it when the model is disposed).
 */
export function rerouteTransposedConvs(tf: Tfjs, model: LayersModel): () => void {
  const kept: Tensor[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2DTranspose') {
      continue;
    }
    const l = layer as unknown as TransposeLayer;
    const [, h, w, cin] = l.input.shape as number[];
    const [kh, kw] = l.kernelSize;
    const [sh, sw] = l.strides;
    if (l.dataFormat !== 'channelsLast' || !(h > 0 && w > 0)) {
      continue;
    }
    const cout = l.filters;
    const kernel = l.kernel.read();
    const finish = (y: Tensor): Tensor => {
      let out = l.bias ? tf.add(y, l.bias.read()) : y;
      if (l.activation) {
        out = l.activation.apply(out);
      }
      return out;
    };
    const one = (inputs: Tensor | Tensor[]) => (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
    if (h === 1 && w === 1 && l.padding === 'valid' && kh >= sh && kw >= sw) {
      // out[a, b, co] = sum over ci of x[ci] * W[a, b, co, ci]: x [n, cin] times M [cin, kh * kw * cout].
      const m = tf.keep(tf.tidy(() => tf.reshape(tf.transpose(kernel, [3, 0, 1, 2]), [cin, kh * kw * cout])));
      kept.push(m);
      l.call = inputs =>
        tf.tidy(() => {
          const x = one(inputs);
          return finish(tf.reshape(tf.matMul(tf.reshape(x, [x.shape[0], cin]), m), [x.shape[0], kh, kw, cout]));
        });
    } else if (l.padding === 'same') {
      const f = subPixelFilter(kernel.dataSync() as Float32Array, kernel.shape, [sh, sw], [samePadBefore(h * sh, sh, kh), samePadBefore(w * sw, sw, kw)]);
      const filter = tf.keep(tf.tensor4d(f.values, f.shape));
      kept.push(filter);
      l.call = inputs =>
        tf.tidy(() => {
          const x = tf.pad(one(inputs), [[0, 0], f.pads[0], f.pads[1], [0, 0]]) as Tensor4D;
          const y = tf.conv2d(x, filter as Tensor4D, 1, 'valid');
          return finish(sh === sw && sh > 1 ? tf.depthToSpace(y, sh) : sh === 1 && sw === 1 ? y : depthToSpace2(tf, y, sh, sw, cout));
        });
    }
  }
  return () => tf.dispose(kept);
}

/** depthToSpace with different block sizes per axis (channels ordered (p, q, c)). */
function depthToSpace2(tf: Tfjs, y: Tensor4D, sh: number, sw: number, cout: number): Tensor {
  const [n, h, w] = y.shape;
  const t = tf.reshape(y, [n, h, w, sh, sw, cout]);
  return tf.reshape(tf.transpose(t, [0, 1, 3, 2, 4, 5]), [n, h * sh, w * sw, cout]);
}
