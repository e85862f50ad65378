/**
 * gankit_alloc (addon/alloc, src/edit/outputs.ts): large edit outputs are blocks that come back to a
 * pool when V8 collects their buffers, and are reused without ever handing out a live block twice;
 * limits, trimming and argument errors; EditImage's outputs keep the pool flat across runs.
 * With GANKIT_NO_ADDON=1 it checks that outputs are plain Buffer memory instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setAddonEnabled, NO_ADDON_ENV } from '../../src/edit/addon.js';
import {
  copyBytes, outputPoolStats, outputsStatus, releasePixels, setOutputPoolLimit, uninitialisedBytes, POOLED_OUTPUT_BYTES, type OutputPoolStats,
} from '../../src/edit/outputs.js';
import { openImage } from '../../src/edit/image.js';
import { randomImage } from './helpers.js';

const disabled = process.env[NO_ADDON_ENV] === '1' || process.env[NO_ADDON_ENV] === 'true';
const needsPool = { skip: disabled ? `${NO_ADDON_ENV} is set` : false };
const MB = 1 << 20;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const stats = (): OutputPoolStats => {
  const s = outputPoolStats();
  assert.ok(s, outputsStatus());
  return s;
};

/** Collect garbage until V8 has returned the dead outputs' blocks (the sweep may finish on another thread). */
async function collect(until: (s: OutputPoolStats) => boolean): Promise<OutputPoolStats> {
  for (let i = 0; i < 200; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
    const s = stats();
    if (until(s)) return s;
  }
  return stats();
}

test('gankit_alloc is built and loaded (unless GANKIT_NO_ADDON=1)', () => {
  if (disabled) {
    assert.match(outputsStatus(), /^Buffer\.allocUnsafeSlow \(GANKIT_NO_ADDON=/);
    assert.equal(outputPoolStats(), undefined);
    const out = uninitialisedBytes(POOLED_OUTPUT_BYTES);
    assert.equal(out.length, POOLED_OUTPUT_BYTES);
    assert.ok(Buffer.isBuffer(Buffer.from(out.buffer)));
    return;
  }
  assert.match(outputsStatus(), /^recycled output blocks .*gankit_alloc\.node$/);
  const s = stats();
  assert.equal(s.limitBytes, 256 * MB);
  setAddonEnabled(false);
  try {
    assert.match(outputsStatus(), /switched off/);
    assert.equal(outputPoolStats(), undefined);
  } finally {
    setAddonEnabled(true);
  }
});

test('a collected output block is reused for the next output of its size, and small outputs stay with malloc', needsPool, async () => {
  await collect((s) => s.liveBlocks === 0);
  let before = stats();
  let out: Uint8Array | undefined = uninitialisedBytes(40 * MB);
  assert.equal(out.length, 40 * MB);
  assert.equal(out.byteOffset, 0);
  out.fill(7); // writable over its whole length
  assert.equal(out[40 * MB - 1], 7);
  let s = stats();
  assert.equal(s.liveBlocks, before.liveBlocks + 1);
  assert.equal(s.liveBytes, before.liveBytes + 40 * MB);
  out = undefined;
  s = await collect((x) => x.liveBlocks === 0);
  assert.equal(s.liveBlocks, 0, 'the dead output came back');
  assert.ok(s.idleBlocks >= 1);
  before = s;
  const again = uninitialisedBytes(40 * MB - 12345); // any size that rounds to the same 2 MiB blocks
  s = stats();
  assert.equal(s.reused, before.reused + 1);
  assert.equal(s.mapped, before.mapped);
  assert.equal(again.length, 40 * MB - 12345);
  // Below POOLED_OUTPUT_BYTES: not the pool's.
  const small = uninitialisedBytes(POOLED_OUTPUT_BYTES - 1);
  assert.equal(small.length, POOLED_OUTPUT_BYTES - 1);
  assert.deepEqual([stats().reused, stats().mapped], [s.reused, s.mapped]);
});

test('a live output is never handed out again: every buffer keeps its bytes while others come and go', needsPool, async () => {
  const keep = Array.from({ length: 4 }, (_, i) => uninitialisedBytes(20 * MB + i).fill(100 + i));
  for (let round = 0; round < 6; round++) {
    for (let j = 0; j < 4; j++) uninitialisedBytes(20 * MB).fill(200 + j); // dropped at once
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  const s = stats();
  assert.ok(s.reused > 0, 'the dropped ones were recycled');
  keep.forEach((b, i) => {
    for (let k = 0; k < b.length; k += 4093) assert.equal(b[k], 100 + i, `buffer ${i} byte ${k}`);
    assert.equal(b[b.length - 1], 100 + i);
  });
});

test('an output takes the smallest idle block it fits in, and a fresh one when none is big enough', needsPool, async () => {
  await collect((s) => s.liveBlocks === 0);
  setOutputPoolLimit(0); // start from an empty idle list
  setOutputPoolLimit(256 * MB);
  uninitialisedBytes(40 * MB);
  uninitialisedBytes(20 * MB);
  let s = await collect((x) => x.liveBlocks === 0 && x.idleBlocks === 2);
  assert.deepEqual([s.idleBlocks, s.idleBytes], [2, 60 * MB]);
  const small = uninitialisedBytes(10 * MB); // fits both: takes the 20 MiB block
  assert.deepEqual([stats().reused, stats().mapped, stats().idleBytes], [s.reused + 1, s.mapped, 40 * MB]);
  const large = uninitialisedBytes(41 * MB); // fits neither: a fresh block
  assert.deepEqual([stats().reused, stats().mapped, stats().idleBytes], [s.reused + 1, s.mapped + 1, 40 * MB]);
  s = stats();
  const middle = uninitialisedBytes(24 * MB); // the 40 MiB block
  assert.deepEqual([stats().reused, stats().mapped, stats().idleBlocks], [s.reused + 1, s.mapped, 0]);
  assert.equal(small.length + large.length + middle.length, 75 * MB);
});

test('the idle limit and trimming unmap idle blocks; bad arguments are RangeErrors naming the range', needsPool, async () => {
  for (let i = 0; i < 3; i++) uninitialisedBytes(10 * MB);
  let s = await collect((x) => x.liveBlocks === 0);
  assert.ok(s.idleBlocks >= 3);
  assert.equal(setOutputPoolLimit(20 * MB), 256 * MB);
  s = stats();
  assert.ok(s.idleBytes <= 20 * MB, `idle ${s.idleBytes} bytes within the limit`);
  assert.equal(setOutputPoolLimit(0), 20 * MB);
  assert.deepEqual([stats().idleBlocks, stats().idleBytes], [0, 0]);
  assert.equal(setOutputPoolLimit(256 * MB), 0);
  // trim(ms): blocks idle for at least ms are unmapped.
  const alloc = createRequire(import.meta.url)('../../addon/alloc/build/Release/gankit_alloc.node') as {
    output(n: unknown): Uint8Array; trim(ms: unknown): number; setIdleLimit(n: unknown): number;
  };
  for (let i = 0; i < 2; i++) uninitialisedBytes(10 * MB);
  s = await collect((x) => x.liveBlocks === 0);
  assert.equal(alloc.trim(60_000), 0, 'nothing has been idle for a minute');
  assert.equal(alloc.trim(0), s.idleBlocks);
  assert.equal(stats().idleBlocks, 0);
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 41]) {
    assert.throws(() => setOutputPoolLimit(bad), /setOutputPoolLimit: bytes must be an integer in \[0, 2\^40\]/);
  }
  for (const bad of [0, -5, 2.5, Number.NaN, '8', undefined, 2 ** 41]) {
    assert.throws(() => alloc.output(bad), (e: Error) => e instanceof RangeError && /bytes must be an integer in \[1, 2\^40\]/.test(e.message));
  }
  assert.throws(() => alloc.trim(-1), /ms must be an integer in \[0, 2\^40\]/);
  assert.throws(() => alloc.setIdleLimit('x'), /bytes must be an integer in \[0, 2\^40\]/);
  assert.equal(stats().limitBytes, 256 * MB, 'a rejected call changes nothing');
});

test('EditImage outputs: back-to-back edits of a large image reuse blocks and leave none behind', needsPool, async () => {
  const img = openImage(randomImage(2000, 1500, 3, 5)); // 9 MB: pooled
  const raw = await img.toRaw();
  assert.deepEqual(Array.from(copyBytes(raw.data).subarray(0, 64)), Array.from(raw.data.subarray(0, 64)));
  await collect((s) => s.liveBlocks <= 2); // the image and raw
  const before = stats();
  const edits = async (): Promise<void> => { // its own frame, so that no suspended frame still holds the last output
    for (let i = 0; i < 20; i++) {
      const out = await img.vflip().toRaw();
      assert.equal(out.data[0], raw.data[(1499 * 2000) * 3]);
      gc();
      await new Promise((r) => setImmediate(r));
    }
  };
  await edits();
  const s = await collect((x) => x.liveBlocks <= before.liveBlocks);
  assert.ok(s.mapped - before.mapped <= 4, `at most a few fresh blocks for 20 edits (mapped ${s.mapped - before.mapped}, reused ${s.reused - before.reused})`);
  assert.ok(s.reused - before.reused >= 16);
  assert.equal(s.liveBlocks, before.liveBlocks, 'every dropped output came back');
});

test('releasePixels hands an output back at once (detached), and leaves every other array alone', async () => {
  assert.throws(() => releasePixels(undefined as never), /Expected a RawImage \{ data, width, height, channels \} or its Uint8Array data for pixels but received undefined/);
  assert.throws(() => releasePixels({ data: [1, 2] } as never), /for pixels/);
  const mine = new Uint8Array(64);
  assert.equal(releasePixels(mine), false);
  assert.equal(mine.length, 64, 'not ours: untouched');
  const small = uninitialisedBytes(1000);
  assert.equal(releasePixels(small), false, 'small outputs are malloc memory');
  if (disabled) return;
  const img = openImage(randomImage(2000, 1500, 3, 9)); // its own copy is a pooled block too
  await collect((s) => s.liveBlocks <= 1); // everything of the earlier tests collected
  const before = stats();
  const out = await img.hflip().toRaw();
  assert.equal(out.data.length, 9_000_000);
  const live = stats();
  assert.equal(live.liveBlocks, before.liveBlocks + 1);
  const view = out.data.subarray(10, 20);
  assert.equal(releasePixels(out), true);
  assert.deepEqual([out.data.length, view.length, out.data.buffer.byteLength], [0, 0, 0], 'the buffer and its views are detached');
  const s = stats();
  assert.equal(s.liveBlocks, before.liveBlocks, 'the block is idle without a collection');
  assert.equal(s.idleBlocks, live.idleBlocks + 1);
  assert.equal(releasePixels(out), false, 'a second release is a no-op');
  // The next output of that size reuses it; the image itself is unaffected.
  const again = await img.hflip().toRaw();
  assert.equal(stats().reused, s.reused + 1);
  assert.equal(stats().mapped, s.mapped);
  assert.deepEqual(Array.from(again.data.subarray(0, 3)), Array.from((await img.toRaw()).data.subarray(3 * 1999, 3 * 2000)));
  assert.equal(releasePixels(again.data), true);
});
