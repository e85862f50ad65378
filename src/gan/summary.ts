/** A readable summary of a model: layers, output shapes and parameter counts. */
import * as tf from '@tensorflow/tfjs';

export interface LayerSummary { name: string; type: string; outputShape: (number | null)[]; params: number }
export interface ModelSummary { name: string; layers: LayerSummary[]; totalParams: number; trainableParams: number; text: string }

/** Summarise a tf.LayersModel (the text is a fixed-width table like Keras' model.summary()). */
export function summary(model: tf.LayersModel): ModelSummary {
  const layers: LayerSummary[] = model.layers.map((l) => {
    const shape = l.outputShape;
    const outputShape = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
    return { name: l.name, type: l.getClassName(), outputShape, params: l.countParams() };
  });
  const totalParams = model.countParams();
  const trainableParams = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  const fmt = (s: (number | null)[]) => `[${s.map((d) => (d === null ? 'N' : d)).join(', ')}]`;
  const rows = layers.map((l) => [`${l.name} (${l.type})`, fmt(l.outputShape), l.params.toLocaleString('en-US')]);
  const head = ['Layer (type)', 'Output shape', 'Params'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 2 ? cell.padStart(w[i]!) : cell.padEnd(w[i]!))).join('  ');
  const rule = '-'.repeat(w.reduce((a, b) => a + b + 2, -2));
  const text = [
    `Model: ${model.name}`, rule, line(head), rule, ...rows.map(line), rule,
    `Total params: ${totalParams.toLocaleString('en-US')}  (trainable ${trainableParams.toLocaleString('en-US')})`,
  ].join('\n');
  return { name: model.name, layers, totalParams, trainableParams, text };
}
