/**
 * The payload's generator as a live tfjs model in the page: built by tfjs' layer deserialiser from the
 * guarded topology (weights are created only through the guard initializer, within the weights the
 * payload carries), loaded with the payload's weights, checked against the payload's interface, and
 * run on batches of latents into RGBA pixels of a grid. dispose() frees every tensor it holds.
 */
import { EXPLORER_LIMITS, type ExplorerPayload } from '../contract';
import type { Tfjs } from '../tfjs';
import { PayloadError } from '../validate';
import { rerouteTransposedConvs } from './transposed-conv';
import { GUARD_CLASS, guardTopology } from './validate';

type Tensor = import('@tensorflow/tfjs').Tensor;
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** Remaining weight elements per load (keyed by the load id in the guard's config). */
const budgets = new Map<number, { left: number }>();
let nextLoad = 1;
const registered = new WeakSet<object>();

/** Register the guard initializer with this tfjs instance: zeros, within the load's budget. */
function registerGuard(tf: Tfjs): void {
  if (registered.has(tf.serialization)) {
    return;
  }
  const Zeros = tf.initializers.zeros().constructor as unknown as new () => object;
  class Guard extends Zeros {
    static className = GUARD_CLASS;
    private readonly load: number;
    constructor(config: { load?: number } = {}) {
      super();
      this.load = config.load ?? -1;
    }
    apply(shape: number[], dtype?: 'float32' | 'int32'): Tensor {
      const n = shape.reduce((a, b) => a * b, 1);
      const budget = budgets.get(this.load);
      if (!budget || !(n >= 0) || n > EXPLORER_LIMITS.tensorElements || n > budget.left) {
        throw new PayloadError(
          `Generator topology declares a weight of shape [${shape.join(', ')}], beyond the weights the payload carries`
        );
      }
      budget.left -= n;
      return tf.zeros(shape, dtype);
    }
    getConfig(): Record<string, number> {
      return { load: this.load };
    }
  }
  tf.serialization.registerClass(Guard as unknown as Parameters<typeof tf.serialization.registerClass>[0]);
  registered.add(tf.serialization);
}

/** Little-endian float32 values of a base64 string. */
function decodeWeights(b64: string, count: number): Float32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    bytes[i] = bin.charCodeAt(i);
  }
  if (bytes.length !== count * 4) {
    throw new PayloadError(`Expected ${count * 4} bytes of weights for model.weights but received ${bytes.length}`);
  }
  return new Float32Array(bytes.buffer, 0, count);
}

const perSample = (shape: unknown): number =>
  Array.isArray(shape) && shape.every(d => d === null || typeof d === 'number')
    ? (shape as (number | null)[]).slice(1).reduce((a: number, b) => a * (b ?? 1), 1)
    : Number.POSITIVE_INFINITY;

export class LiveGenerator {
  private constructor(
    private readonly tf: Tfjs,
    private readonly model: LayersModel,
    private readonly payload: ExplorerPayload,
    private readonly release: () => void
  ) {}

  /**
   * Build and load the payload's generator (validated payload); throws PayloadError on any mismatch.
   * `reroute` sends transposed convolutions through XNNPACK (see transposed-conv.ts): on by default on wasm.
   */
  static async create(tf: Tfjs, p: ExplorerPayload, reroute = tf.getBackend() === 'wasm'): Promise<LiveGenerator> {
    registerGuard(tf);
    const total = p.model.weightSpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    const load = nextLoad++;
    budgets.set(load, { left: total });
    let model: LayersModel;
    try {
      const modelTopology = guardTopology(p.model.topology, load) as Parameters<Tfjs['models']['modelFromJSON']>[0];
      model = await tf.models.modelFromJSON({ modelTopology } as Parameters<Tfjs['models']['modelFromJSON']>[0]);
    } finally {
      budgets.delete(load);
    }
    try {
      const values = decodeWeights(p.model.weights, total);
      const named: Record<string, Tensor> = {};
      let offset = 0;
      try {
        for (const s of p.model.weightSpecs) {
          const n = s.shape.reduce((a, b) => a * b, 1);
          named[s.name] = tf.tensor(values.subarray(offset, offset + n), s.shape, 'float32');
          offset += n;
        }
        model.loadWeights(named, true);
      } finally {
        tf.dispose(Object.values(named));
      }
      checkInterface(model, p);
      return new LiveGenerator(tf, model, p, reroute ? rerouteTransposedConvs(tf, model) : () => undefined);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /**
   * Generate `n` images from `z` ([n, latentDim] row-major) and the class `label` (conditional only),
   * laid out as a grid of `nrow` columns with 1 px gaps; returns RGBA bytes and the grid's size.
   */
  async grid(z: Float32Array, n: number, label: number | null, nrow: number): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
    const tf = this.tf;
    const { width: w, height: h, channels: c, range } = this.payload.image;
    const rows = Math.ceil(n / nrow);
    const gw = nrow * (w + 1) - 1;
    const gh = rows * (h + 1) - 1;
    const grid = tf.tidy(() => {
      const zt = tf.tensor2d(z, [n, this.payload.latentDim]);
      const inputs = this.payload.classes ? [zt, tf.fill([n, 1], label ?? 0, 'int32')] : zt;
      let x = this.model.predict(inputs) as Tensor;
      x = tf.clipByValue(tf.mul(tf.sub(x, range[0]), 255 / (range[1] - range[0])), 0, 255);
      // Pad each image right and below by 1 px and the batch to rows * nrow, then tile.
      x = tf.pad(x, [[0, rows * nrow - n], [0, 1], [0, 1], [0, 0]]);
      x = tf.reshape(x, [rows, nrow, h + 1, w + 1, c]);
      x = tf.transpose(x, [0, 2, 1, 3, 4]);
      x = tf.reshape(x, [rows * (h + 1), nrow * (w + 1), c]);
      return tf.slice(x, [0, 0, 0], [gh, gw, c]);
    });
    let values: Float32Array | Int32Array | Uint8Array;
    try {
      values = (await grid.data()) as Float32Array;
    } finally {
      grid.dispose();
    }
    const rgba = new Uint8ClampedArray(gw * gh * 4);
    for (let i = 0; i < gw * gh; i++) {
      const v = values[i * c];
      rgba[i * 4] = v;
      rgba[i * 4 + 1] = c >= 3 ? values[i * c + 1] : v;
      rgba[i * 4 + 2] = c >= 3 ? values[i * c + 2] : v;
      rgba[i * 4 + 3] = c === 4 ? values[i * c + 3] : 255;
    }
    return { rgba, width: gw, height: gh };
  }

  dispose(): void {
    this.release();
    this.model.dispose();
  }
}

/** The deserialised model must have the payload's interface and bounded activations. */
function checkInterface(model: LayersModel, p: ExplorerPayload): void {
  const inputs = model.inputs.map(t => t.shape);
  const want = p.classes ? 2 : 1;
  if (inputs.length !== want || inputs[0].length !== 2 || inputs[0][1] !== p.latentDim || (want === 2 && (inputs[1].length !== 2 || inputs[1][1] !== 1))) {
    throw new PayloadError(
      `Expected generator inputs ${p.classes ? `[[null, ${p.latentDim}], [null, 1]]` : `[[null, ${p.latentDim}]]`} but received ${JSON.stringify(inputs)}`
    );
  }
  const out = model.outputs.map(t => t.shape);
  const { height, width, channels } = p.image;
  if (out.length !== 1 || JSON.stringify(out[0]) !== JSON.stringify([null, height, width, channels])) {
    throw new PayloadError(`Expected generator output [[null, ${height}, ${width}, ${channels}]] but received ${JSON.stringify(out)}`);
  }
  for (const layer of model.layers) {
    const shapes = Array.isArray(layer.outputShape[0]) || layer.outputShape[0] === undefined ? (layer.outputShape as unknown[]) : [layer.outputShape];
    const n = Math.max(0, ...shapes.map(perSample));
    if (n > EXPLORER_LIMITS.activationElements) {
      throw new PayloadError(
        `Generator too large: layer ${layer.name} outputs ${n} values per sample, the limit is ${EXPLORER_LIMITS.activationElements}`
      );
    }
  }
}
