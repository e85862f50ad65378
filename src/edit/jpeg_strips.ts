/**
 * JPEG encoding of large pixel images on several cores: the image is cut into horizontal strips of
 * whole MCU rows, each strip is encoded by its own sharp pipeline at the same time, and the strips'
 * entropy-coded data are joined with restart markers (RSTn) under the first strip's headers, whose
 * height is patched and which gain a DRI segment (restart interval = the MCUs of one strip).
 *
 * The result is a baseline JPEG that decodes to exactly the pixels of the single-pass encode: with
 * standard Huffman tables (no optimisation pass) every strip's headers are identical, colour conversion,
 * 2x2 chroma averaging and the DCT never look across an MCU row, and a restart resets the DC predictors
 * as a fresh encoder starts with them. Only the bytes differ (a DRI segment and one 2-byte marker per
 * strip, each strip's last byte padded). libjpeg encodes on one core, so this is what makes encoding a
 * decoded 12 MP photo take about half the time on two cores.
 */
import os from 'node:os';
import sharp from 'sharp';
import type { RawImage } from './core.js';

/** Images of at least this many pixels (2 MP) are split when more than one core is available. */
export const STRIP_MIN_PIXELS = 2_000_000;
/** Strips per core when encoding starts during the decode (rowsReady): the last strip, encoded after the decoder finishes, is then a sixth of the image on 2 cores. */
const STRIPS_PER_CORE_WHILE_DECODING = 3;
/** Strip heights are multiples of 16 rows: whole MCU rows for 4:2:0 colour (16x16 MCUs) and for grey (8x8). */
const STRIP_ALIGN = 16;
/** A restart interval is a 16-bit MCU count. */
const MAX_INTERVAL = 0xffff;

/** MCU size (square) and MCUs per MCU row for a JPEG of this width. */
function mcuGeometry(width: number, channels: number): { mcu: number; perRow: number } {
  const mcu = channels === 1 ? 8 : 16;
  return { mcu, perRow: Math.ceil(width / mcu) };
}

/** Rows per strip (a multiple of 16) for `parts` strips, or 0 when one strip's MCUs would not fit a restart interval. */
function stripRows(width: number, height: number, channels: number, parts: number): number {
  const { mcu, perRow } = mcuGeometry(width, channels);
  const maxRows = Math.floor((Math.floor(MAX_INTERVAL / perRow) * mcu) / STRIP_ALIGN) * STRIP_ALIGN;
  return Math.min(maxRows, Math.ceil(height / parts / STRIP_ALIGN) * STRIP_ALIGN);
}

/** How many strips an encode of this image would use on `cores` cores (1: not split). */
export function stripCount(width: number, height: number, channels: number, cores = availableCores()): number {
  if (cores < 2 || (channels !== 1 && channels !== 3) || width * height < STRIP_MIN_PIXELS) return 1;
  const rows = stripRows(width, height, channels, cores);
  return rows > 0 ? Math.ceil(height / rows) : 1;
}

/** Cores Node may use (os.availableParallelism where it exists). */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** One JPEG's parts: everything before the SOS segment, the SOS segment, the entropy-coded data (without EOI), the SOF0 height offset. */
interface JpegParts {
  head: Buffer;
  sos: Buffer;
  scan: Buffer;
  heightAt: number;
}

/** Split a baseline, single-scan JPEG from libjpeg; undefined for anything else (progressive, restarts already, no EOI). */
function splitJpeg(b: Buffer): JpegParts | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) return undefined;
  let i = 2;
  let heightAt = -1;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    if (marker === 0xc0) heightAt = i + 5; // SOF0: length(2) precision(1) height(2) width(2) ...
    else if ((marker >= 0xc1 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xdd) return undefined;
    if (marker === 0xda) {
      if (heightAt < 0) return undefined;
      const end = i + 2 + length;
      return { head: b.subarray(0, i), sos: b.subarray(i, end), scan: b.subarray(end, b.length - 2), heightAt };
    }
    i += 2 + length;
  }
  return undefined;
}

/** Options of encodeJpegStrips. */
export interface StripOptions {
  /** Encode the image upside down (vflip's output). */
  reversed?: boolean;
  /** Cores to split for (default: availableCores()). */
  cores?: number;
  /** When the pixels are still being decoded: resolves once the first `rows` rows are final (each strip waits for its own). */
  rowsReady?: (rows: number) => Promise<void>;
}

/**
 * Encode 1- or 3-channel pixels as a baseline JPEG (quality 1..100, 4:2:0, standard Huffman tables: as
 * encodeRaw does) in `stripCount` strips at once; `reversed` encodes the image upside down (vflip's output,
 * each strip encoder reading its rows from the bottom up, so no flipped copy is made), and with `rowsReady`
 * a strip starts as soon as its rows are decoded (a flipped photo's strips from the top of the source are
 * encoded while the decoder is still on its lower rows). Undefined when the image is not split (small, one core)
 * or the strips' headers do not agree, so that the caller encodes in one pass.
 */
export async function encodeJpegStrips(img: RawImage, quality: number, options: StripOptions = {}): Promise<Buffer | undefined> {
  const { reversed = false, cores = availableCores(), rowsReady } = options;
  const { width, height, channels } = img;
  if (stripCount(width, height, channels, cores) < 2) return undefined;
  // While decoding, more and smaller strips: all but the last are encoded as the decoder goes on.
  const rows = stripRows(width, height, channels, rowsReady ? cores * STRIPS_PER_CORE_WHILE_DECODING : cores);
  const parts = Math.ceil(height / rows);
  const rowBytes = width * channels;
  const strips = await Promise.all(Array.from({ length: parts }, async (_, k) => {
    const top = k * rows, h = Math.min(rows, height - top);
    const from = reversed ? height - top - h : top; // reversed: output strip k is the input's rows from the bottom, flipped
    if (rowsReady) await rowsReady(from + h);
    let s = sharp(img.data.subarray(from * rowBytes, (from + h) * rowBytes), { raw: { width, height: h, channels } });
    if (reversed) s = s.flip();
    if (channels === 1) s = s.toColourspace('b-w');
    return s.jpeg({ quality, optimiseCoding: false }).toBuffer();
  }));
  const split = strips.map(splitJpeg);
  const first = split[0];
  if (!first || split.some((p) => !p)) return undefined;
  // Every strip must share the first one's tables and frame (except its height).
  const sameHead = (p: JpegParts): boolean => {
    if (p.head.length !== first.head.length || !p.sos.equals(first.sos)) return false;
    return p.head.subarray(0, first.heightAt).equals(first.head.subarray(0, first.heightAt))
      && p.head.subarray(first.heightAt + 2).equals(first.head.subarray(first.heightAt + 2));
  };
  if (!split.every((p) => sameHead(p!))) return undefined;
  const { mcu, perRow } = mcuGeometry(width, channels);
  const interval = (rows / mcu) * perRow;
  const head = Buffer.from(first.head);
  head.writeUInt16BE(height, first.heightAt);
  const dri = Buffer.from([0xff, 0xdd, 0x00, 0x04, interval >> 8, interval & 0xff]);
  const pieces: Buffer[] = [head, dri, first.sos];
  split.forEach((p, k) => {
    pieces.push(p!.scan);
    pieces.push(k < parts - 1 ? Buffer.from([0xff, 0xd0 + (k % 8)]) : Buffer.from([0xff, 0xd9]));
  });
  return Buffer.concat(pieces);
}
