/**
 * Rich rendering of arbitrary values: the `Symbol.for('Jupyter.display')` self-display protocol, tensors,
 * models and loss histories. Used by display() and by the kernel for a cell's last expression.
 */
import { inspect } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import { GankitError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { isLayersModel } from '../util/is.js';
import { isTensor, JUPYTER_DISPLAY, truncate, type Prepared } from './common.js';
import { prepareModel } from './model.js';
import { isSeriesLike, preparePlot, type SeriesInput } from './plot.js';
import { prepareTensor, TENSOR_OPTION_KEYS, type TensorBundleOptions } from './tensor.js';
import type { MimeBundle } from './types.js';

/** A bundle plus per-MIME-type metadata, as display_data / execute_result carry them. */
export interface RichOutput {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** Largest text/plain (characters) produced for values without a rich form. */
const MAX_TEXT = 20000;

/** An object that renders itself: `[Symbol.for('Jupyter.display')]()` returns a MIME bundle (or a promise of one). */
export interface SelfDisplaying {
  [JUPYTER_DISPLAY](): unknown;
}

/** True for objects implementing the `Symbol.for('Jupyter.display')` protocol. */
export function isSelfDisplaying(v: unknown): v is SelfDisplaying {
  return (typeof v === 'object' || typeof v === 'function') && v !== null &&
    typeof (v as Record<symbol, unknown>)[JUPYTER_DISPLAY] === 'function';
}

const looksLikeMime = (k: string): boolean => /^[a-z]+\/[-+.\w]+$/i.test(k);

/**
 * Normalise what a Jupyter.display method returned: a `{ mime: data }` map, or `{ data, metadata }`.
 * Binary values (Uint8Array) are base64-encoded; a missing text/plain is filled in.
 */
export function normalizeBundle(x: unknown): RichOutput {
  if (typeof x !== 'object' || x === null) throw new GankitError(`Expected a MIME bundle object from [Symbol.for('Jupyter.display')]() but received ${typeof x}`);
  let data = x as Record<string, unknown>;
  let metadata: Record<string, unknown> = {};
  const keys = Object.keys(data);
  if ('data' in data && typeof data.data === 'object' && data.data !== null && !keys.some(looksLikeMime)) {
    metadata = (typeof data.metadata === 'object' && data.metadata !== null ? data.metadata : {}) as Record<string, unknown>;
    data = data.data as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    out[k] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v;
  }
  if (typeof out['text/plain'] !== 'string') out['text/plain'] = out['text/plain'] === undefined ? `<${Object.keys(out).join(', ') || 'empty bundle'}>` : String(out['text/plain']);
  return { data: out as MimeBundle, metadata };
}

/** text/plain for any value, bounded (util.inspect with limits). */
export function plainText(value: unknown): string {
  const s = typeof value === 'string' ? value : inspect(value, { depth: 3, maxArrayLength: 100, maxStringLength: MAX_TEXT, breakLength: 100 });
  return truncate(s, MAX_TEXT);
}

/** A displayable tensor with preview options (what showTensor displays). */
export class TensorView implements SelfDisplaying {
  constructor(readonly tensor: tf.Tensor, readonly options: TensorBundleOptions = {}) {
    v.check('tensor', tensor, isTensor(tensor), 'a tf.Tensor');
    v.options('tensor options', options, TENSOR_OPTION_KEYS);
  }
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return prepareTensor(this.tensor, this.options).render();
  }
}

/** Wrap a tensor with preview options as a displayable object. */
export function tensorView(t: tf.Tensor, opts: TensorBundleOptions = {}): TensorView {
  return new TensorView(t, opts);
}

/**
 * Prepare the rich form of a value, reading any tensor data now: self-displaying objects, numeric tensors,
 * tf.LayersModel, and loss histories (see isSeriesLike). Returns null for anything else.
 */
export function prepareRich(value: unknown): { render(): Promise<RichOutput> } | null {
  let prepared: Prepared | null = null;
  if (isSelfDisplaying(value)) {
    const result = value[JUPYTER_DISPLAY]();
    return { render: async () => normalizeBundle(await result) };
  }
  if (isTensor(value)) {
    if (value.isDisposed) {
      const text = `Tensor ${value.dtype} [${value.shape.join(', ')}] (disposed)`;
      return { render: async () => ({ data: { 'text/plain': text }, metadata: {} }) };
    }
    if (value.dtype === 'string' || value.dtype === 'complex64') return null;
    prepared = prepareTensor(value);
  } else if (isLayersModel(value)) {
    prepared = prepareModel(value);
  } else if (isSeriesLike(value)) {
    prepared = preparePlot(value as SeriesInput);
  }
  if (!prepared) return null;
  const p = prepared;
  return { render: async () => ({ data: await p.render(), metadata: {} }) };
}

/** The rich MIME bundle of a value, or null when it has none (see prepareRich). */
export async function richBundle(value: unknown): Promise<MimeBundle | null> {
  const p = prepareRich(value);
  return p ? (await p.render()).data : null;
}

/** Prepare any value for display: its rich form, else a text/plain bundle. */
export function prepareAny(value: unknown): { render(): Promise<RichOutput> } {
  const rich = prepareRich(value);
  if (rich) return rich;
  const text = plainText(value);
  return { render: async () => ({ data: { 'text/plain': text }, metadata: {} }) };
}
