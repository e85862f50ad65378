/** Shared pieces of the display helpers: tensor/model detection, number formatting, label clipping. */
import type * as tf from '@tensorflow/tfjs';
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

/** Truncate a string to `max` characters with an ellipsis (never keeping half of a surrogate pair). */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return s.slice(0, end) + '…';
}

/**
 * Longest user string (a title, name, caption, axis label or series name) in any MIME part of a
 * display bundle (the gankit JSON, text/plain, text/html and the text drawn in image/png), in characters.
 */
export const MAX_LABEL_CHARS = 200;

/** Clip a user string to MAX_LABEL_CHARS characters (an ellipsis marks the cut); every bundle builder passes user strings through it. */
export function clipLabel(s: string): string {
  return truncate(s, MAX_LABEL_CHARS);
}
