/**
 * Reader for the IDX file format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or not.
 *
 * Layout (all integers big-endian): two zero bytes, one data-type byte (0x08 = unsigned byte, the
 * only type used by the image data sets and the only one read here), one byte with the number of
 * dimensions d, then d 32-bit dimension sizes, then the data in row-major order.
 */
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { GankitError, invalidParameterError } from '../util/errors.js';

const gunzipAsync = promisify(gunzip);

/** IDX data-type codes and their names, for error messages. */
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double',
};

/** Largest number of dimensions accepted (real IDX files have 1 to 4). */
const MAX_RANK = 8;

/** A parsed IDX array of unsigned bytes: `shape` (row-major) and its `data`. */
export interface IdxArray {
  /** Dimension sizes, outermost first: [count] for labels, [count, rows, cols] for images. */
  shape: number[];
  /** The values, row-major; a view into the decompressed file (not a copy). */
  data: Uint8Array;
}

/** IDX images: `count` images of `rows` x `cols` pixels (0..255, row-major, one channel). */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  data: Uint8Array;
}

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parse IDX bytes (already decompressed) of unsigned bytes; `source` names the input in errors.
 * Checks the magic number, the header length and that the data length equals the product of the
 * dimensions exactly (a truncated or over-long file is an error).
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw invalidParameterError('bytes', 'a Uint8Array or Buffer', bytes);
  const fail = (why: string) => new GankitError(`Invalid IDX file ${source}: ${why}`);
  if (isGzip(bytes)) throw fail('the data is still gzip-compressed (use readIdxFile, or gunzip it first)');
  if (bytes.length < 4) throw fail(`only ${bytes.length} bytes, shorter than the 4-byte magic number (file truncated or empty)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in IDX_TYPES)) {
    throw fail(
      `bad magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x000008NN, ` +
        'e.g. 0x00000803 for images or 0x00000801 for labels); not an IDX file',
    );
  }
  if (type !== 0x08) {
    throw fail(`data type 0x${type.toString(16).padStart(2, '0')} (${IDX_TYPES[type]}) is not supported; only unsigned byte (0x08) is`);
  }
  if (rank < 1 || rank > MAX_RANK) throw fail(`number of dimensions is ${rank}, expected 1 to ${MAX_RANK}`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw fail(`header needs ${headerLength} bytes for ${rank} dimensions but the file has ${bytes.length} (truncated)`);
  }
  const shape: number[] = [];
  let expected = 1;
  for (let i = 0; i < rank; i++) {
    const size = view.getUint32(4 + 4 * i, false);
    shape.push(size);
    expected *= size;
  }
  if (expected > Number.MAX_SAFE_INTEGER) throw fail(`dimensions [${shape.join(', ')}] are too large`);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw fail(`truncated: dimensions [${shape.join(', ')}] need ${expected} data bytes but only ${actual} are present`);
  }
  if (actual > expected) {
    throw fail(`${actual - expected} unexpected bytes after the data of dimensions [${shape.join(', ')}] (expected ${expected} data bytes)`);
  }
  // A plain Uint8Array view (not a Buffer, whose slice() would not copy).
  return { shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, expected) };
}

/** Decompress when gzipped (detected by content, not by name); `source` names the input in errors. */
export async function maybeGunzip(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new GankitError(`Invalid IDX file ${source}: gzip data is corrupt or truncated (${why})`);
  }
}

/** Read and parse one IDX file of unsigned bytes, gzipped (.gz, detected by content) or not. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  if (typeof path !== 'string' || path.length === 0) throw invalidParameterError('path', 'a non-empty file path', path);
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new GankitError(`Cannot read IDX file ${JSON.stringify(path)}: ${why}`);
  }
  const source = JSON.stringify(path);
  return parseIdx(await maybeGunzip(raw, source), source);
}

/** Check that an IDX array holds images (3 dimensions: count x rows x cols). */
export function idxImages(array: IdxArray, source = 'IDX data'): IdxImages {
  if (array.shape.length !== 3) {
    throw new GankitError(
      `Invalid IDX image file ${source}: expected 3 dimensions (count, rows, cols) but found ${array.shape.length} [${array.shape.join(', ')}]`,
    );
  }
  const [count, rows, cols] = array.shape as [number, number, number];
  return { count, rows, cols, data: array.data };
}

/** Check that an IDX array holds labels (1 dimension: count). */
export function idxLabels(array: IdxArray, source = 'IDX data'): Uint8Array {
  if (array.shape.length !== 1) {
    throw new GankitError(
      `Invalid IDX label file ${source}: expected 1 dimension (count) but found ${array.shape.length} [${array.shape.join(', ')}]`,
    );
  }
  return array.data;
}

/** Read an IDX image file (magic 0x00000803): count x rows x cols unsigned bytes. */
export async function readIdxImages(path: string): Promise<IdxImages> {
  return idxImages(await readIdxFile(path), JSON.stringify(path));
}

/** Read an IDX label file (magic 0x00000801): count unsigned bytes. */
export async function readIdxLabels(path: string): Promise<Uint8Array> {
  return idxLabels(await readIdxFile(path), JSON.stringify(path));
}

/** Encode an unsigned-byte array as IDX bytes (uncompressed); `shape` must match `data.length`. */
export function encodeIdx(data: Uint8Array, shape: readonly number[]): Uint8Array {
  if (!(data instanceof Uint8Array)) throw invalidParameterError('data', 'a Uint8Array', data);
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > MAX_RANK) {
    throw invalidParameterError('shape', `an array of 1 to ${MAX_RANK} dimension sizes`, shape);
  }
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw invalidParameterError('shape', 'integer dimension sizes in [0, 2^32 - 1]', shape);
    n *= d;
  }
  if (n !== data.length) throw new GankitError(`Expected data of length ${n} for shape [${shape.join(', ')}] but received length ${data.length}`);
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
