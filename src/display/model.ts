/**
 * Model summaries for tf.LayersModel: a Keras-style text table (`text/plain`, from tfjs's own
 * `model.summary`) and the same table as `text/html`. A summary is a plain table that every Jupyter front
 * end renders, so it uses standard MIME types and no gankit JSON type.
 */
import type * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import { isLayersModel } from '../util/is.js';
import { escapeXml, truncate, type Prepared } from './common.js';
import type { MimeBundle } from './types.js';

/** Layers listed in the HTML table at most (the text table is tfjs's, complete). */
const MAX_ROWS = 500;

function shapeText(s: unknown): string {
  if (Array.isArray(s)) return '[' + s.map((d) => (Array.isArray(d) ? shapeText(d) : d === null ? 'null' : String(d))).join(', ') + ']';
  return String(s);
}

function weightCount(ws: readonly tf.LayerVariable[]): number {
  return ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Summary rows and totals, read from the model now. */
export function prepareModel(model: tf.LayersModel): Prepared {
  if (!isLayersModel(model)) throw invalidParameterError('model', 'a tf.LayersModel (tf.sequential() or tf.model())', model);
  const lines: string[] = [];
  let built = true;
  try {
    model.summary(undefined, undefined, (msg?: unknown, ...rest: unknown[]) => { lines.push([msg, ...rest].map(String).join(' ')); });
  } catch (e) {
    built = false;
    lines.push(`${model.getClassName()} "${model.name}" (not built yet: ${(e as Error).message})`);
  }
  const rows = model.layers.slice(0, MAX_ROWS).map((layer) => {
    let out = '?';
    try { out = shapeText(layer.outputShape); } catch { out = 'multiple'; }
    let params = 0;
    try { params = layer.countParams(); } catch { params = 0; }
    return { name: layer.name, type: layer.getClassName(), out, params, trainable: layer.trainable };
  });
  let trainable = 0;
  let nonTrainable = 0;
  try {
    trainable = weightCount(model.trainableWeights);
    nonTrainable = weightCount(model.nonTrainableWeights);
  } catch { /* not built */ }
  const title = `${model.getClassName()} "${model.name}"`;
  return {
    async render(): Promise<MimeBundle> {
      const n = (v: number): string => v.toLocaleString('en-US');
      const html = [
        '<table class="gankit-model-summary">',
        `<caption style="text-align:left;font-weight:bold">${escapeXml(truncate(title, 200))}</caption>`,
        '<thead><tr><th style="text-align:left">Layer (type)</th><th style="text-align:left">Output shape</th><th style="text-align:right">Param #</th></tr></thead>',
        '<tbody>',
        ...rows.map((r) =>
          `<tr><td style="text-align:left">${escapeXml(truncate(r.name, 120))} (${escapeXml(r.type)})</td>` +
          `<td style="text-align:left"><code>${escapeXml(truncate(r.out, 200))}</code></td>` +
          `<td style="text-align:right">${n(r.params)}${r.trainable ? '' : ' (frozen)'}</td></tr>`),
        ...(model.layers.length > rows.length ? [`<tr><td colspan="3">… ${model.layers.length - rows.length} more layers</td></tr>`] : []),
        '</tbody>',
        '<tfoot>',
        `<tr><td colspan="2" style="text-align:left">Total params</td><td style="text-align:right">${n(trainable + nonTrainable)}</td></tr>`,
        `<tr><td colspan="2" style="text-align:left">Trainable params</td><td style="text-align:right">${n(trainable)}</td></tr>`,
        `<tr><td colspan="2" style="text-align:left">Non-trainable params</td><td style="text-align:right">${n(nonTrainable)}</td></tr>`,
        '</tfoot></table>',
        ...(built ? [] : ['<p>(model not built yet: give the first layer an inputShape or call the model once)</p>']),
      ].join('\n');
      return { 'text/html': html, 'text/plain': `${title}\n${lines.join('\n')}` };
    },
  };
}

/** MIME bundle (text/plain + text/html tables) summarising a tf.LayersModel: layers, output shapes, parameter counts. */
export function modelBundle(model: tf.LayersModel): Promise<MimeBundle> {
  return prepareModel(model).render();
}
