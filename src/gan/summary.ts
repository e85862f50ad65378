/** A readable summary of a model: layers, output shapes and parameter counts, as data and as a text table. */
import * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import { isLayersModel } from '../util/is.js';
import { prepareModel } from '../display/model.js';
import { withDisplay } from './rich.js';

export interface LayerSummary {
  name: string;
  /** The tfjs layer class, e.g. 'Conv2DTranspose'. */
  type: string;
  /** Output shape with null for the batch dimension, e.g. [null, 7, 7, 128]. */
  outputShape: (number | null)[];
  /** Weights in this layer (trainable and not, e.g. BatchNorm's running statistics). */
  params: number;
}

export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** A fixed-width table like Keras' model.summary(). */
  text: string;
}


const count = (ws: readonly tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

/**
 * Summarise a tf.LayersModel: one row per layer (name, type, output shape with N for the batch, parameters).
 * As a cell's last expression it renders as showModel's table.
 */
export function summary(model: tf.LayersModel): ModelSummary {
  if (!isLayersModel(model)) throw invalidParameterError('model', 'a tf.LayersModel (e.g. gan.generator)', model);
  const layers: LayerSummary[] = model.layers.map((l) => {
    const shape = l.outputShape;
    const outputShape = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
    return { name: l.name, type: l.getClassName(), outputShape, params: l.countParams() };
  });
  const trainableParams = count(model.trainableWeights);
  const nonTrainableParams = count(model.nonTrainableWeights);
  const totalParams = trainableParams + nonTrainableParams;
  const fmt = (s: (number | null)[]) => `[${s.map((d) => (d === null ? 'N' : d)).join(', ')}]`;
  const rows = layers.map((l) => [`${l.name} (${l.type})`, fmt(l.outputShape), l.params.toLocaleString('en-US')]);
  const head = ['Layer (type)', 'Output shape', 'Params'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 2 ? cell.padStart(w[i]!) : cell.padEnd(w[i]!))).join('  ').trimEnd();
  const rule = '-'.repeat(w.reduce((a, b) => a + b + 2, -2));
  const n = (v: number) => v.toLocaleString('en-US');
  const text = [
    `Model: ${model.name}`, rule, line(head), rule, ...rows.map(line), rule,
    `Total params: ${n(totalParams)} (trainable ${n(trainableParams)}, non-trainable ${n(nonTrainableParams)})`,
  ].join('\n');
  const table = prepareModel(model);
  return withDisplay({ name: model.name, layers, totalParams, trainableParams, nonTrainableParams, text }, () => table.render());
}
