/** Shared helpers for the edit tests: torchvision fixtures, inputs on both back ends, comparisons. */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as edit from '../../src/edit/index.js';
import type { RawImage } from '../../src/edit/index.js';
import { setOutputPoison } from '../../src/edit/core.js';

// Every output buffer of the sharp path's kernels starts as 0xA5 in the edit tests, so a kernel (native or
// JavaScript) that leaves a byte unwritten fails the comparisons with fixtures and the tensor path.
setOutputPoison(true);

export const fixtureDir = fileURLToPath(new URL('../fixtures/edit/', import.meta.url));
export const photoDir = fileURLToPath(new URL('../fixtures/photos/', import.meta.url));

export interface FixtureArray { shape: number[]; data: string }
export interface EditCase {
  op: string;
  args: unknown[];
  options: Record<string, unknown>;
  input: string | string[];
  dtype: 'uint8' | 'float32';
  reference: string;
  output: FixtureArray;
}
export interface EditFixtures { torch: string; torchvision: string; images: Record<string, FixtureArray>; cases: EditCase[] }

let cached: EditFixtures | undefined;
/** The torchvision reference fixtures written by scripts/fixtures/edit_fixtures.py. */
export function editFixtures(): EditFixtures {
  cached ??= JSON.parse(readFileSync(join(fixtureDir, 'edit_fixtures.json'), 'utf8')) as EditFixtures;
  return cached;
}

export function bytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function floats(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** A fixture image as raw pixels. */
export function rawImage(name: string): RawImage {
  const img = editFixtures().images[name]!;
  const [height, width, channels] = img.shape as [number, number, number];
  return { data: bytes(img.data), width, height, channels: channels as RawImage['channels'] };
}

/** The case's input as a tensor: int32 0..255 ('uint8') or float32 pixels / 255 (as torch computes it), HWC or NHWC. */
export function caseTensor(c: EditCase): tf.Tensor {
  return tf.tidy(() => {
    const names = Array.isArray(c.input) ? c.input : [c.input];
    const imgs = names.map((n) => {
      const r = rawImage(n);
      return tf.tensor3d(Int32Array.from(r.data), [r.height, r.width, r.channels], 'int32');
    });
    const x = Array.isArray(c.input) ? tf.stack(imgs) : imgs[0]!;
    return c.dtype === 'uint8' ? x : tf.div(tf.cast(x, 'float32'), 255);
  });
}

/** The case's expected output values. */
export function caseExpected(c: EditCase): Float32Array | Uint8Array {
  return c.dtype === 'uint8' ? bytes(c.output.data) : floats(c.output.data);
}

/** A readable case label. */
export function caseName(c: EditCase): string {
  const opts = Object.keys(c.options).length ? ` ${JSON.stringify(c.options)}` : '';
  const input = Array.isArray(c.input) ? `[${c.input.join(',')}]` : c.input;
  return `${c.op}(${JSON.stringify(c.args).slice(1, -1)})${opts} on ${input} ${c.dtype}`;
}

/** Call the public function named by the case on any input. */
export function runCase(c: EditCase, input: unknown): unknown {
  const fn = (edit as unknown as Record<string, (...a: unknown[]) => unknown>)[c.op];
  if (!fn) throw new Error(`no edit function ${c.op}`);
  const rest = Object.keys(c.options).length ? [c.options] : [];
  return fn(input, ...c.args, ...rest);
}

export interface Diff { max: number; mismatched: number; total: number }

/** Largest absolute difference, and how many values differ by more than `eps`. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>, eps = 0): Diff {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let max = 0;
  let mismatched = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) max = d;
    if (!(d <= eps)) mismatched++;
  }
  return { max, mismatched, total: a.length };
}

/** A fresh temp directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'gankit-edit-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Seeded random pixels (a linear congruential generator's top byte). */
export function randomImage(width: number, height: number, channels: RawImage['channels'], seed: number): RawImage {
  const data = new Uint8Array(width * height * channels);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, width, height, channels };
}
