/** Shared pieces of the display helpers: tensor/model detection, option checks, number formatting. */
import type * as tf from '@tensorflow/tfjs';
import { invalidParameterError } from '../util/errors.js';
import type { MimeBundle } from './types.js';

/** Symbol of the self-display protocol: `obj[Symbol.for('Jupyter.display')]()` returns a MIME bundle. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

/** A bundle whose heavy part (PNG encoding) is still to be done; all tensor reads already happened. */
export interface Prepared {
  render(): Promise<MimeBundle>;
}

/** True for a tfjs Tensor (duck-typed, so tensors from another copy of tfjs count too). */
export function isTensor(v: unknown): v is tf.Tensor {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<tf.Tensor>;
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.dataSync === 'function' && 'dataId' in t;
}


/** Throw a gankit error for keys of `opts` that are not in `known` (catches typos like `nrows`). */
export function checkKeys(opts: object | undefined, known: readonly string[], what: string): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw invalidParameterError(what, 'an options object', opts);
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw invalidParameterError(`${what}.${k}`, `no such option (known: ${known.join(', ')})`, (opts as Record<string, unknown>)[k]);
  }
}

/** Short human form of a number: 4 significant digits, null as '-'. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** Round to 5 significant digits to keep JSON payloads small (integers and non-finite values kept). */
export function round5(v: number): number {
  return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(5));
}

/** Escape text for HTML/SVG (`& < > " '`). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Truncate a string to `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, Math.max(0, max - 1)) + '…';
}
