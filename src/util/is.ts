/** Small predicates for input validation, after sharp's `lib/is.js`. */
import type * as tf from '@tensorflow/tfjs';

/** True for a finite number (not NaN, not +/-Infinity). */
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** True for a finite integer. */
export const isInteger = (v: unknown): v is number => Number.isInteger(v);

/** True for a finite number within [min, max] inclusive. */
export const inRange = (v: unknown, min: number, max: number): v is number =>
  isFiniteNumber(v) && v >= min && v <= max;

/** True for a plain object (not null, not an array). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** True for one of the given string values. */
export const isOneOf = <T extends string>(v: unknown, values: readonly T[]): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

/** True for a tfjs LayersModel (Sequential or functional) from any copy of tfjs, duck-typed. */
export function isLayersModel(v: unknown): v is tf.LayersModel {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<tf.LayersModel>;
  return Array.isArray(m.layers) && typeof m.summary === 'function' && typeof m.countParams === 'function' &&
    typeof m.getClassName === 'function';
}
