/**
 * One error shape for every bad input, after sharp's `lib/is.js`:
 * "Expected positive integer for width but received -1 of type number".
 */

/** Longest description of a received value, in characters (a longer one is cut with "..."). */
export const DESCRIBE_MAX_CHARS = 60;

/** Cut `text` to DESCRIBE_MAX_CHARS characters. */
const clip = (text: string) => (text.length > DESCRIBE_MAX_CHARS ? text.slice(0, DESCRIBE_MAX_CHARS - 3) + '...' : text);

/** Array items and characters looked at before giving up: bounds the work on huge or deep values. */
const SCAN_ITEMS = 16;

/**
 * Short JSON-like text of an array (at most SCAN_ITEMS items, nested arrays 2 deep). Reads only
 * indices and `length` inside try: a Proxy, a getter or a cycle cannot make it throw or loop.
 */
function arrayText(value: unknown[], depth: number): string {
  if (depth > 2) return '[...]';
  let length: number;
  try {
    length = value.length;
  } catch {
    return '[?]';
  }
  const parts: string[] = [];
  for (let i = 0; i < Math.min(length, SCAN_ITEMS); i++) {
    let item: unknown;
    try {
      item = value[i];
    } catch {
      item = '?';
    }
    parts.push(itemText(item, depth + 1));
  }
  if (length > SCAN_ITEMS) parts.push('...');
  return `[${parts.join(',')}]`;
}

/** One array item: primitives as JSON would write them (BigInt with an n), arrays recursively, other objects by kind. */
function itemText(item: unknown, depth: number): string {
  if (item === null || item === undefined) return String(item);
  switch (typeof item) {
    case 'string': return JSON.stringify(item.length > DESCRIBE_MAX_CHARS ? item.slice(0, DESCRIBE_MAX_CHARS) : item);
    case 'number': case 'boolean': return String(item);
    case 'bigint': return `${item}n`;
    case 'symbol': return safeString(item);
    case 'function': return 'function';
    default: return isArray(item) ? arrayText(item as unknown[], depth) : '{...}';
  }
}

/** Array.isArray, which throws for a revoked Proxy. */
function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** String(value) for a primitive or symbol; '?' if that throws. */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '?';
  }
}

/** The constructor name of an object, read without running user code that could throw or lie badly. */
function className(value: object): string {
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? clip(name) : 'Object';
  } catch {
    return 'Object';
  }
}

/**
 * Describe a received value briefly: its value (at most DESCRIBE_MAX_CHARS characters) and its type.
 * Never throws and never calls the value's toString or toJSON: cycles, BigInt, symbols, functions,
 * huge strings, Proxies and objects with throwing getters all get a bounded description.
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      // JSON.stringify of a prefix: a huge string costs no more than a short one, and cuts the same.
      return `${clip(JSON.stringify(value.length > DESCRIBE_MAX_CHARS + 4 ? value.slice(0, DESCRIBE_MAX_CHARS + 4) : value))} of type string`;
    case 'bigint': return `${clip(`${value}n`)} of type bigint`;
    case 'symbol': return `${clip(safeString(value))} of type symbol`;
    case 'function': {
      let name = '';
      try {
        name = typeof value.name === 'string' ? value.name : '';
      } catch { /* a Proxy whose get traps throw */ }
      return `${name ? `function ${clip(name)}` : 'an anonymous function'} of type function`;
    }
    case 'object':
      if (isArray(value)) return `${clip(arrayText(value as unknown[], 0))} of type array`;
      return `an instance of ${className(value)}`;
    default:
      return `${clip(safeString(value))} of type ${typeof value}`;
  }
}

/** Error for a parameter that is not what was expected; `expected` names the valid range. */
export function invalidParameterError(name: string, expected: string, actual: unknown): Error {
  return new GankitError(`Expected ${expected} for ${name} but received ${describe(actual)}`);
}

/** The error class every gankit validation error uses, so callers can tell them apart. */
export class GankitError extends Error {
  override name = 'GankitError';
}
