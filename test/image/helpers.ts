/** Shared helpers for the image tests: fixtures, temp dirs, tensor comparisons. */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const fixtureDir = fileURLToPath(new URL('../fixtures/image/', import.meta.url));

export interface FixtureArray { shape: number[]; data: string }
export interface FixtureInput { kind: 'tensor' | 'list'; shape?: number[]; data?: string; items?: FixtureArray[] }
export interface GridCase { name: string; input: FixtureInput; options: Record<string, unknown>; output: FixtureArray }
export interface SaveCase { name: string; input: FixtureInput; options: Record<string, unknown>; pixels: FixtureArray }
export interface GridFixtures { torch: string; torchvision: string; makeGrid: GridCase[]; saveImage: SaveCase[] }

/** The torchvision reference fixtures written by scripts/fixtures/make_grid_fixtures.py. */
export function gridFixtures(): GridFixtures {
  return JSON.parse(readFileSync(join(fixtureDir, 'make_grid.json'), 'utf8')) as GridFixtures;
}

/** Decode a base64 little-endian float32 array. */
export function floats(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Decode a base64 uint8 array. */
export function bytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Build the fixture input as a tensor or an array of tensors (caller disposes). */
export function fixtureInput(input: FixtureInput): tf.Tensor | tf.Tensor[] {
  if (input.kind === 'list') return input.items!.map((it) => tf.tensor(floats(it.data), it.shape, 'float32'));
  return tf.tensor(floats(input.data!), input.shape!, 'float32');
}

export function disposeAll(x: tf.Tensor | tf.Tensor[]): void {
  if (Array.isArray(x)) x.forEach((t) => t.dispose());
  else x.dispose();
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A fresh temp directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'gankit-image-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
