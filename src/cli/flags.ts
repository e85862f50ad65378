/** Parsing and validating command-line flag values: every error names the flag and its valid range. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';

/** An integer flag value in [min, max] (both inclusive); `undefined` stays undefined. */
export function intFlag(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[-+]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw invalidParameterError(`--${flag}`, max === Number.MAX_SAFE_INTEGER ? `integer >= ${min}` : `integer in [${min}, ${max}]`, value);
  }
  return n;
}

/** A finite number flag value in (min, max] or [min, max] (`minOpen` excludes min); `undefined` stays undefined. */
export function numberFlag(flag: string, value: string | undefined, min: number, max: number, minOpen = false): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || (minOpen ? n <= min : n < min) || n > max) {
    throw invalidParameterError(`--${flag}`, `number in ${minOpen ? '(' : '['}${min}, ${max}]`, value);
  }
  return n;
}

/** One of a fixed list of choices; `undefined` stays undefined. */
export function choiceFlag<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  return v.oneOf(`--${flag}`, value, choices);
}

/** A comma-separated list of integers, each in [min, max]. */
export function intListFlag(flag: string, value: string | undefined, min: number, max: number): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const range = `a comma-separated list of integers in [${min}, ${max}]`;
  if (parts.some((p) => !/^[-+]?\d+$/.test(p))) throw invalidParameterError(`--${flag}`, range, value);
  const list = parts.map(Number);
  if (list.some((n) => n < min || n > max)) throw invalidParameterError(`--${flag}`, range, value);
  return list;
}

/** A non-empty string flag value; `required` makes a missing one an error. */
export function stringFlag(flag: string, value: string | undefined, expected: string, required = false): string | undefined {
  if (value === undefined) {
    if (required) throw invalidParameterError(`--${flag}`, expected, value);
    return undefined;
  }
  if (value.trim() === '') throw invalidParameterError(`--${flag}`, expected, value);
  return value;
}

/** node:util parseArgs (strict, with positionals; tokens in command-line order); a parse error becomes a GankitError that points at --help. */
export function parseFlags<T extends ParseArgsOptionsConfig>(argv: string[], options: T, command: string): { values: ParsedValues<T>; positionals: string[]; tokens: FlagToken[] } {
  try {
    const { values, positionals, tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
    return { values: values as ParsedValues<T>, positionals, tokens: tokens as FlagToken[] };
  } catch (e) {
    const unknown = /^Unknown option '([^']+)'/.exec((e as Error).message);
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      throw v.unknownKey(`gankit ${command} flag (see --help)`, unknown[1]!, Object.keys(options).map((k) => `--${k}`));
    }
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new GankitError(`${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; valid flags: ${Object.keys(options).map((k) => `--${k}`).join(', ')} (see gankit ${command} --help)`);
    }
    throw e;
  }
}

/** A parsed flag or positional, in command-line order. */
export type FlagToken = { kind: 'option'; name: string; value: string | undefined } | { kind: 'positional' | 'option-terminator' };

type ParsedValues<T extends ParseArgsOptionsConfig> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? (T[K]['multiple'] extends true ? boolean[] : boolean) : T[K]['multiple'] extends true ? string[] : string };
