/**
 * Rich views of GAN objects, so a GAN, a model summary, a snapshot or a trainer renders as a table,
 * an image grid or a loss plot when it is a cell's last expression (the Symbol.for('Jupyter.display')
 * protocol; util.inspect and JSON do not see the method).
 */
import type * as tf from '@tensorflow/tfjs';
import { escapeXml, JUPYTER_DISPLAY } from '../display/common.js';
import { prepareModel } from '../display/model.js';
import type { MimeBundle } from '../display/types.js';

/** Give `obj` a non-enumerable `[Symbol.for('Jupyter.display')]()` returning `render()`; returns obj. */
export function withDisplay<T extends object>(obj: T, render: () => Promise<MimeBundle>): T {
  Object.defineProperty(obj, JUPYTER_DISPLAY, { value: render, enumerable: false, configurable: true, writable: true });
  return obj;
}

/** The summary tables of several models (showModel's table for each), one after the other. */
export async function modelsBundle(title: string, models: readonly tf.LayersModel[]): Promise<MimeBundle> {
  const parts = await Promise.all(models.map((m) => prepareModel(m).render()));
  return {
    'text/html': `<div class="gankit-models"><p><b>${escapeXml(title)}</b></p>${parts.map((p) => p['text/html']).join('\n')}</div>`,
    'text/plain': [title, ...parts.map((p) => String(p['text/plain']))].join('\n\n'),
  };
}
