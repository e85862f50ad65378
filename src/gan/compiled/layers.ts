/**
 * Lowering of tfjs layers to graph operations, one entry per layer class: what it needs to be
 * lowered (`check`, which names the reason when it cannot) and the operations (`lower`). The
 * operations mirror what tfjs-layers computes for the layer with `training: true`, in NHWC:
 * convolutions are Conv2D / Conv2DBackpropInput (TF's own kernels, as tfjs-node runs them), and
 * BatchNorm normalises with the batch statistics and reports them for the running averages.
 */
import type * as tf from '@tensorflow/tfjs';
import { DT, type RawAttr } from './native.js';
import type { GraphBuilder, Out } from './graph.js';

type Config = Record<string, unknown>;

/** A running-statistic update of a BatchNorm layer: variable <- variable - (variable - value) * (1 - momentum). */
export interface MovingUpdate { variable: tf.LayerVariable; value: Out; momentum: number }

/** What a layer's lowering can use: the graph, the batch size, its weights' values, where BN statistics go. */
export interface LowerContext {
  g: GraphBuilder;
  /** The batch size the step is built for. */
  n: number;
  /** The value of a model weight in the current phase (a ReadVariableOp output). */
  weight: (v: tf.LayerVariable) => Out;
  /** Running-statistic updates, in the order tfjs would make them. */
  moving: MovingUpdate[];
}

interface LayerLowering {
  /** Why this layer (with this config) cannot be lowered, or undefined. */
  check?: (cfg: Config, layer: tf.layers.Layer) => string | undefined;
  lower: (ctx: LowerContext, layer: tf.layers.Layer, cfg: Config, inputs: Out[]) => Out;
}

const F32: RawAttr = ['T', 'type', DT.float32];
const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'softplus'];

/** The weight of a layer whose name ends in /<suffix> (kernel, bias, gamma, ...). */
function weightOf(layer: tf.layers.Layer, suffix: string): tf.LayerVariable | undefined {
  return layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`) || w.name.endsWith(`/${suffix}`));
}

function need(layer: tf.layers.Layer, suffix: string): tf.LayerVariable {
  const w = weightOf(layer, suffix);
  if (!w) throw new Error(`layer '${layer.name}' has no ${suffix} weight`);
  return w;
}

function activation(g: GraphBuilder, x: Out, name: unknown): Out {
  switch (name ?? 'linear') {
    case 'linear': return x;
    case 'relu': return g.relu(x);
    case 'tanh': return g.tanh(x);
    case 'sigmoid': return g.sigmoid(x);
    case 'softplus': return g.softplus(x);
    default: throw new Error(`activation ${String(name)}`);
  }
}

const checkActivation = (cfg: Config) =>
  ACTIVATIONS.includes(String(cfg.activation ?? 'linear')) ? undefined : `activation '${String(cfg.activation)}' (compiled: ${ACTIVATIONS.join(', ')})`;

function checkConv(cfg: Config): string | undefined {
  const dil = cfg.dilationRate as number[] | number | undefined;
  if (dil !== undefined && [dil].flat().some((d) => d !== 1)) return 'dilated convolution';
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') return `dataFormat ${String(cfg.dataFormat)}`;
  if (cfg.padding !== 'same' && cfg.padding !== 'valid') return `padding ${String(cfg.padding)}`;
  return checkActivation(cfg);
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v as number, v as number]);

/** Bias (when the layer has one) and activation after a conv or dense layer. */
function finish(ctx: LowerContext, layer: tf.layers.Layer, cfg: Config, y: Out): Out {
  const bias = cfg.useBias === false ? undefined : weightOf(layer, 'bias');
  if (bias) y = ctx.g.biasAdd(y, ctx.weight(bias));
  return activation(ctx.g, y, cfg.activation);
}

/** Output side of tfjs's conv2dTranspose (deconvLength): 'same' -> in * stride, 'valid' -> in * stride + max(k - stride, 0). */
const deconvLength = (size: number, stride: number, kernel: number, padding: unknown) =>
  size * stride + (padding === 'valid' ? Math.max(kernel - stride, 0) : 0);

/** Per layer class (tfjs getClassName()), its lowering. */
const LOWERINGS: Record<string, LayerLowering> = {
  Dense: {
    check: (cfg, layer) => ((layer.inputSpec?.[0]?.minNDim ?? 2) > 2 ? 'dense on rank > 2' : checkActivation(cfg)),
    lower: (ctx, layer, cfg, [x]) => {
      if (ctx.g.shape(x!).length !== 2) throw new Error(`dense on a rank ${ctx.g.shape(x!).length} input`);
      return finish(ctx, layer, cfg, ctx.g.matMul(x!, ctx.weight(need(layer, 'kernel'))));
    },
  },
  Conv2D: {
    check: checkConv,
    lower: (ctx, layer, cfg, [x]) => {
      const [n, h, w, cin] = ctx.g.shape(x!);
      const [kh, kw] = pair(cfg.kernelSize);
      const kernel = ctx.weight(need(layer, 'kernel'));
      if (cfg.padding === 'valid' && kh === h && kw === w) {
        // The kernel covers the whole input (a DCGAN's last layer): the same sums as one MatMul
        // over the flattened input, which oneDNN runs far faster than a 1x1-output convolution.
        const flat = ctx.g.matMul(ctx.g.reshape(x!, [n!, h! * w! * cin!]), ctx.g.reshape(kernel, [kh * kw * cin!, cfg.filters as number]));
        return finish(ctx, layer, cfg, ctx.g.reshape(flat, [n!, 1, 1, cfg.filters as number]));
      }
      const [sh, sw] = pair(cfg.strides);
      const y = ctx.g.out('Conv2D', [x!, kernel], [
        F32, ['strides', 'ints', [1, sh, sw, 1]], ['padding', 'string', String(cfg.padding).toUpperCase()],
        ['data_format', 'string', 'NHWC'], ['dilations', 'ints', [1, 1, 1, 1]],
      ], layer.name);
      return finish(ctx, layer, cfg, y);
    },
  },
  Conv2DTranspose: {
    check: checkConv,
    lower: (ctx, layer, cfg, [x]) => {
      const [n, h, w, cin] = ctx.g.shape(x!);
      const [kh, kw] = pair(cfg.kernelSize);
      const [sh, sw] = pair(cfg.strides);
      const filters = cfg.filters as number;
      const kernel = ctx.weight(need(layer, 'kernel'));
      if (cfg.padding === 'valid' && h === 1 && w === 1 && sh <= kh && sw <= kw) {
        // From one pixel (a DCGAN's first layer): out[i, j, o] = sum_c x[c] kernel[i, j, o, c], one MatMul.
        const flat = ctx.g.matMul(ctx.g.reshape(x!, [n!, cin!]), ctx.g.reshape(kernel, [kh * kw * filters, cin!]), true);
        return finish(ctx, layer, cfg, ctx.g.reshape(flat, [n!, kh, kw, filters]));
      }
      // tfjs: conv2dTranspose(x, kernel [kh, kw, filters, in], [n, outH, outW, filters]) = Conv2DBackpropInput
      const size = [n!, deconvLength(h!, sh, kh, cfg.padding), deconvLength(w!, sw, kw, cfg.padding), filters];
      const y = ctx.g.out('Conv2DBackpropInput', [ctx.g.ints(size), kernel, x!], [
        F32, ['strides', 'ints', [1, sh, sw, 1]], ['padding', 'string', String(cfg.padding).toUpperCase()],
        ['data_format', 'string', 'NHWC'], ['dilations', 'ints', [1, 1, 1, 1]],
      ], layer.name);
      return finish(ctx, layer, cfg, y);
    },
  },
  BatchNormalization: {
    check: (cfg) => (cfg.axis !== -1 && cfg.axis !== undefined ? `BatchNorm axis ${String(cfg.axis)} (compiled: the channel axis, -1)` : undefined),
    lower: (ctx, layer, cfg, [x]) => {
      const { g } = ctx;
      const shape = g.shape(x!);
      const c = shape.at(-1)!;
      if (shape.length !== 2 && shape.length !== 4) throw new Error(`BatchNorm on a rank ${shape.length} input`);
      const x4 = shape.length === 2 ? g.reshape(x!, [shape[0]!, 1, 1, c]) : x!;
      const gamma = weightOf(layer, 'gamma');
      const beta = weightOf(layer, 'beta');
      const empty = g.constant([], [0]);
      // Training mode: normalise with the batch's mean and (biased) variance, as tf.moments in tfjs.
      const bn = g.op('FusedBatchNormV3', [
        x4, gamma ? ctx.weight(gamma) : g.constant(new Array(c).fill(1), [c]), beta ? ctx.weight(beta) : g.constant(new Array(c).fill(0), [c]), empty, empty,
      ], [F32, ['U', 'type', DT.float32], ['epsilon', 'float', cfg.epsilon as number], ['exponential_avg_factor', 'float', 1],
        ['data_format', 'string', 'NHWC'], ['is_training', 'bool', true]], layer.name);
      // Running statistics as tfjs-layers keeps them: the batch mean and the biased batch variance
      // (FusedBatchNormV3 reports the unbiased one: times (m - 1) / m, m values per channel).
      const m = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const momentum = cfg.momentum as number;
      ctx.moving.push({ variable: need(layer, 'moving_mean'), value: `${bn}:1`, momentum });
      ctx.moving.push({ variable: need(layer, 'moving_variance'), value: g.mul(`${bn}:2`, g.scalar(m > 1 ? (m - 1) / m : 1)), momentum });
      return shape.length === 2 ? g.reshape(`${bn}:0`, shape) : `${bn}:0`;
    },
  },
  GankitSampleNorm: {
    // models/layers.ts: (x - mean) * rsqrt(var + eps) * gamma + beta over every axis but the batch axis.
    // rsqrt as (var + eps)^-0.5: TensorFlow has no gradient of RsqrtGrad, which WGAN-GP's penalty needs.
    lower: (ctx, layer, cfg, [x]) => {
      const { g } = ctx;
      const axes = Array.from({ length: g.shape(x!).length - 1 }, (_, i) => i + 1);
      const centred = g.sub(x!, g.mean(x!, axes, true));
      const variance = g.mean(g.square(centred), axes, true);
      const normed = g.mul(centred, g.pow(g.add(variance, g.scalar(cfg.epsilon as number)), g.scalar(-0.5)));
      return g.add(g.mul(normed, ctx.weight(need(layer, 'gamma'))), ctx.weight(need(layer, 'beta')));
    },
  },
  ReLU: {
    check: (cfg) => (cfg.maxValue != null ? 'ReLU with maxValue' : undefined),
    lower: (ctx, _l, _c, [x]) => ctx.g.relu(x!),
  },
  LeakyReLU: { lower: (ctx, _l, cfg, [x]) => ctx.g.leakyRelu(x!, (cfg.alpha as number | undefined) ?? 0.3) },
  Activation: { check: checkActivation, lower: (ctx, _l, cfg, [x]) => activation(ctx.g, x!, cfg.activation) },
  Flatten: {
    lower: (ctx, _l, _c, [x]) => {
      const [n, ...rest] = ctx.g.shape(x!);
      return ctx.g.reshape(x!, [n!, rest.reduce((a, b) => a * b, 1)]);
    },
  },
  Reshape: {
    lower: (ctx, layer, _c, [x]) => ctx.g.reshape(x!, [ctx.n, ...(layer.outputShape as number[]).slice(1)]),
  },
  Concatenate: {
    lower: (ctx, _l, cfg, xs) => {
      const rank = ctx.g.shape(xs[0]!).length;
      const axis = (cfg.axis as number | undefined) ?? -1;
      return ctx.g.concat(xs, axis < 0 ? rank + axis : axis);
    },
  },
  Embedding: {
    check: (cfg) => (cfg.maskZero ? 'Embedding with maskZero' : undefined),
    // gather(embeddings, ids) as one-hot(ids) x embeddings: the same values, and MatMul has a gradient.
    lower: (ctx, layer, cfg, [ids]) => {
      const { g } = ctx;
      const shape = g.shape(ids!);
      const count = shape.reduce((a, b) => a * b, 1);
      const flat = g.out('Reshape', [ids!, g.ints([count])], [['T', 'type', DT.int32], ['Tshape', 'type', DT.int32]]);
      const oneHot = g.out('OneHot', [flat, g.constant([cfg.inputDim as number], [], 'int32'), g.scalar(1), g.scalar(0)],
        [F32, ['TI', 'type', DT.int32], ['axis', 'int', -1]]);
      const rows = g.matMul(oneHot, ctx.weight(need(layer, 'embeddings')));
      return g.reshape(rows, [...shape, cfg.outputDim as number]);
    },
  },
};

/** Why `model` cannot be lowered (naming the first layer that cannot), or undefined when it can. */
export function whyNotLowerable(model: tf.LayersModel): string | undefined {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const what = `layer '${layer.name}' (${cls}) of ${model.name}`;
    if (layer.inboundNodes.length !== 1) return `${what} is used ${layer.inboundNodes.length} times (shared layers are not compiled)`;
    const entry = LOWERINGS[cls];
    if (!entry) return `${what} has no graph lowering (compiled: ${Object.keys(LOWERINGS).join(', ')})`;
    const why = entry.check?.(layer.getConfig() as Config, layer);
    if (why) return `${what}: ${why} is not compiled`;
  }
  if (model.outputs.length !== 1) return `${model.name} has ${model.outputs.length} outputs (compiled: one)`;
  return undefined;
}

/** Lower `model` applied to `inputs` (one per model input, in order); returns its output. Check whyNotLowerable first. */
export function lowerModel(ctx: LowerContext, model: tf.LayersModel, inputs: Out[]): Out {
  const values = new Map<tf.layers.Layer, Out>();
  model.inputs.forEach((t, i) => values.set(t.sourceLayer as tf.layers.Layer, inputs[i]!));
  for (const layer of model.layers) {
    if (values.has(layer)) continue;
    const node = layer.inboundNodes[0]!;
    const xs = node.inboundLayers.map((l) => {
      const v = values.get(l as tf.layers.Layer);
      if (v === undefined) throw new Error(`layer '${layer.name}' needs '${l.name}' before it`);
      return v;
    });
    const cls = layer.getClassName();
    values.set(layer, LOWERINGS[cls]!.lower(ctx, layer, layer.getConfig() as Config, xs));
  }
  const out = values.get(model.outputs[0]!.sourceLayer as tf.layers.Layer);
  if (out === undefined) throw new Error(`${model.name}'s output layer was not reached`);
  return out;
}
