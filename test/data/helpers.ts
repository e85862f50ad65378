/** Shared helpers for the data tests: temp folders and a minimal PNG writer (8- or 16-bit). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** A fresh temp directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'gankit-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of buf) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * Encode samples (row-major, interleaved) as a PNG: channels 1 (grey), 2 (grey+alpha), 3 (RGB)
 * or 4 (RGBA), bit depth 8 or 16. Written by hand so 16-bit and grey+alpha files are exact.
 */
export function encodePng(width: number, height: number, channels: 1 | 2 | 3 | 4, samples: ArrayLike<number>, depth: 8 | 16 = 8): Buffer {
  const colourType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const bytesPer = depth / 8;
  const rowLength = 1 + width * channels * bytesPer;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * channels; i++) {
      const v = samples[y * width * channels + i]!;
      const at = y * rowLength + 1 + i * bytesPer;
      if (depth === 8) raw[at] = v;
      else raw.writeUInt16BE(v, at);
    }
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Mean and population standard deviation of bytes scaled to [0, 1]. */
export function byteStats(bytes: Uint8Array): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    sum += b;
    sq += b * b;
  }
  const n = bytes.length;
  const mean = sum / n / 255;
  return { mean, std: Math.sqrt(sq / n / 65025 - mean * mean) };
}
