/**
 * One error shape for every bad input, after sharp's `lib/is.js`:
 * "Expected positive integer for width but received -1 of type number".
 */

/** Describe a received value briefly: its value (truncated) and its type. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return `${text.length > 60 ? text.slice(0, 57) + '...' : text} of type array`;
  }
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name ?? 'Object';
    return `an instance of ${name}`;
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${text.length > 60 ? text.slice(0, 57) + '...' : text} of type ${typeof value}`;
}

/** Error for a parameter that is not what was expected; `expected` names the valid range. */
export function invalidParameterError(name: string, expected: string, actual: unknown): Error {
  return new GankitError(`Expected ${expected} for ${name} but received ${describe(actual)}`);
}

/** The error class every gankit validation error uses, so callers can tell them apart. */
export class GankitError extends Error {
  override name = 'GankitError';
}
