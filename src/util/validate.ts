/**
 * gankit's one validation module: every option checker of the library (trainer, GAN builders, data
 * loaders, display, sampling, checkpoints, image I/O, edits, CLI flags) checks its parameters with
 * these helpers, and every check throws gankit's one error shape (a GankitError):
 * "Expected <valid range> for <parameter> but received <value> of type <type>".
 * Unknown option keys are rejected by `options` alone, naming the key and listing the valid ones.
 */
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isFiniteNumber, isInteger, isPlainObject } from '../util/is.js';

/** Interpolation modes the warps (rotate, affine, perspective) support. */
export const WARP_INTERPOLATIONS = ['nearest', 'bilinear'] as const;
/** Interpolation modes resize supports. */
export const RESIZE_INTERPOLATIONS = ['nearest', 'nearest-exact', 'bilinear', 'bicubic'] as const;
export type WarpInterpolation = (typeof WARP_INTERPOLATIONS)[number];
export type ResizeInterpolation = (typeof RESIZE_INTERPOLATIONS)[number];

/** A fill value for areas outside the image: one number for all channels, or one per channel. */
export type Fill = number | readonly number[];

/** Values as a message lists them: strings quoted, numbers bare, comma-separated. */
export const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');

/** The largest finite float32: tensor kernels compute in float32, so larger parameters would overflow. */
export const FLOAT32_MAX = 3.4028234663852886e38;
const isF32 = (v: unknown): v is number => isFiniteNumber(v) && Math.abs(v) <= FLOAT32_MAX;

/** A finite number representable in float32 (|x| <= 3.4e38). */
export function finite(name: string, v: unknown): number {
  if (!isF32(v)) throw invalidParameterError(name, 'finite number with |x| <= 3.4e38 (float32)', v);
  return v;
}

/** A finite number >= 0 representable in float32. */
export function nonNegative(name: string, v: unknown): number {
  if (!isF32(v) || v < 0) throw invalidParameterError(name, 'finite number in [0, 3.4e38] (float32)', v);
  return v;
}

/** A number > 0 that stays > 0 in float32 (>= 1.4e-45) and is finite there (<= 3.4e38). */
export function positive(name: string, v: unknown): number {
  if (!isF32(v) || Math.fround(v) <= 0) throw invalidParameterError(name, 'number in [1.4e-45, 3.4e38] (> 0 in float32)', v);
  return v;
}

/** Throw the one error shape for `name` unless `ok`; `expected` names the valid range. */
export function check(name: string, v: unknown, ok: boolean, expected: string): void {
  if (!ok) throw invalidParameterError(name, expected, v);
}

/** A string (empty allowed). */
export function string(name: string, v: unknown): string {
  if (typeof v !== 'string') throw invalidParameterError(name, 'string', v);
  return v;
}

/** A non-empty string (a name, a path). */
export function nonEmptyString(name: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw invalidParameterError(name, 'non-empty string', v);
  return v;
}

/** A finite number in [min, max]. */
export function numberIn(name: string, v: unknown, min: number, max: number): number {
  if (!isFiniteNumber(v) || v < min || v > max) throw invalidParameterError(name, `number in [${min}, ${max}]`, v);
  return v;
}

/** An integer (any sign). */
export function integer(name: string, v: unknown): number {
  if (!isInteger(v)) throw invalidParameterError(name, 'integer', v);
  return v as number;
}

/** An integer >= 1. */
export function positiveInt(name: string, v: unknown): number {
  if (!isInteger(v) || (v as number) < 1) throw invalidParameterError(name, 'positive integer', v);
  return v as number;
}

/** An integer >= 0. */
export function nonNegativeInt(name: string, v: unknown): number {
  if (!isInteger(v) || (v as number) < 0) throw invalidParameterError(name, 'integer >= 0', v);
  return v as number;
}

/** An integer in [min, max]. */
export function intIn(name: string, v: unknown, min: number, max: number): number {
  if (!isInteger(v) || (v as number) < min || (v as number) > max) throw invalidParameterError(name, `integer in [${min}, ${max}]`, v);
  return v as number;
}

/** A boolean. */
export function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalidParameterError(name, 'boolean', v);
  return v;
}

/** One of the given values (strings or numbers). */
export function oneOf<T extends string | number>(name: string, v: unknown, values: readonly T[]): T {
  if (!(values as readonly unknown[]).includes(v)) throw invalidParameterError(name, `one of ${list(values)}`, v);
  return v as T;
}

/** An array of exactly `n` elements. */
export function tuple(name: string, v: unknown, n: number, what: string): unknown[] {
  if (!Array.isArray(v) || v.length !== n) throw invalidParameterError(name, `array of ${n} ${what}`, v);
  return v;
}

/** A size: one positive integer (used for both sides) or [height, width]. Returns [height, width]. */
export function size2(name: string, v: unknown): [number, number] {
  if (isInteger(v)) return [positiveInt(name, v), v as number];
  if (Array.isArray(v) && v.length === 1) {
    const s = positiveInt(`${name}[0]`, v[0]);
    return [s, s];
  }
  if (!Array.isArray(v) || v.length !== 2) throw invalidParameterError(name, 'positive integer or [height, width] of positive integers', v);
  return [positiveInt(`${name}[0] (height)`, v[0]), positiveInt(`${name}[1] (width)`, v[1])];
}

/** A point [x, y] of finite numbers (pixels; origin at the top-left corner). */
export function point(name: string, v: unknown): [number, number] {
  const t = tuple(name, v, 2, 'finite numbers [x, y]');
  return [finite(`${name}[0] (x)`, t[0]), finite(`${name}[1] (y)`, t[1])];
}

/** A pair [a, b] of finite numbers, or one number `n` meaning [n, n] (or [n, other] with `single`). */
export function pair(name: string, v: unknown, single: (n: number) => [number, number]): [number, number] {
  if (isFiniteNumber(v)) return single(v);
  if (Array.isArray(v) && v.length === 1) return single(finite(`${name}[0]`, v[0]));
  const t = tuple(name, v, 2, 'finite numbers (or one number)');
  return [finite(`${name}[0]`, t[0]), finite(`${name}[1]`, t[1])];
}

/** A fill: a finite number or an array of 1 to 4 finite numbers (one per channel). */
export function fill(name: string, v: unknown): Fill {
  if (isFiniteNumber(v)) return v;
  if (!Array.isArray(v) || v.length < 1 || v.length > 4) {
    throw invalidParameterError(name, 'finite number or array of 1 to 4 finite numbers (one per channel)', v);
  }
  v.forEach((x, i) => finite(`${name}[${i}]`, x));
  return [...(v as number[])];
}

/**
 * Check an options object, the one rejection of unknown keys: undefined -> {}; anything but a plain
 * object is "Expected a plain object of options for <name> ..."; an unknown key (a typo) is
 * "Expected one of '<key>', ... for <name> key but received "<unknown key>" of type string".
 */
export function options<K extends string>(name: string, v: unknown, known: readonly K[]): Partial<Record<K, unknown>> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw invalidParameterError(name, 'a plain object of options', v);
  for (const key of Object.keys(v)) if (!(known as readonly string[]).includes(key)) throw unknownKey(`${name} key`, key, known);
  return v as Partial<Record<K, unknown>>;
}

/** The one error for an unknown option key or CLI flag: "Expected one of <known> for <what> but received <key>". */
export function unknownKey(what: string, key: string, known: readonly string[]): Error {
  return invalidParameterError(what, known.length ? `one of ${list(known)}` : 'no key (it takes no options)', key);
}

/** Expand a fill to one value per channel, checking its length and its range for the pixel kind. */
export function fillPerChannel(name: string, value: Fill, channels: number, uint8: boolean): number[] {
  const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : value.length === 1 ? new Array<number>(channels).fill(value[0]!) : [...value];
  if (values.length !== channels) {
    throw new GankitError(
      `Expected one fill value or ${channels} (one per channel) for ${name} but received ${values.length} values for an image with ${channels} channels`,
    );
  }
  const [top, what] = uint8 ? [255, 'number in [0, 255] for 8-bit images and int32 tensors'] : [1, 'number in [0, 1] for float32 tensors'];
  values.forEach((x, i) => {
    if (!(x >= 0 && x <= top)) throw invalidParameterError(`${name}${typeof value === 'number' ? '' : `[${i}]`}`, what, x);
  });
  return values;
}

/** Round half to even, like Python's round() and torch.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
