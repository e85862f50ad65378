import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  loadMnist, batches, numBatches, sampleBatch, forEachBatch, disposeBatch, createDataset, type Dataset,
} from '../../src/data/index.js';

let mnist: Dataset;
before(async () => {
  await initBackend();
  mnist = await loadMnist();
});

/** A tiny labelled dataset: image i is filled with value i (so indices can be read back from pixels). */
function tiny(n: number, shape: [number, number, number] = [2, 3, 1]): Dataset {
  const per = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(n * per);
  for (let i = 0; i < n; i++) images.fill(i, i * per, (i + 1) * per);
  return createDataset({ name: 'tiny', imageShape: shape, images, labels: Int32Array.from({ length: n }, (_, i) => i % 4) });
}

/** The dataset indices of every batch, in order, disposing as it goes. */
function orders(ds: Dataset, opts: Parameters<typeof batches>[1]): number[][] {
  const out: number[][] = [];
  for (const b of batches(ds, opts)) {
    out.push([...b.indices]);
    disposeBatch(b);
  }
  return out;
}

test('numBatches: 60000 / 64 gives 937 full batches with dropLast and 938 without', () => {
  assert.equal(numBatches(mnist, { batchSize: 64, dropLast: true }), 937);
  assert.equal(numBatches(mnist, { batchSize: 64 }), 938);
  assert.equal(numBatches(mnist, { batchSize: 64, epochs: 3 }), 3 * 938);
  assert.equal(numBatches(mnist, { batchSize: 60000 }), 1);
  assert.equal(numBatches(mnist, { batchSize: 100000 }), 1);
  assert.equal(numBatches(mnist, { batchSize: 1, dropLast: true }), 60000);
  assert.equal(numBatches(mnist, { batchSize: 7, epochs: Infinity }), Infinity);
});

test('one epoch of MNIST: 938 batches, last of 32, every image once, tensors NHWC float32 in [-1, 1], no leaks', () => {
  const iter = batches(mnist, { batchSize: 64, seed: 1 });
  assert.equal(iter.numBatches, 938);
  assert.equal(iter.batchesPerEpoch, 938);
  const seen = new Uint8Array(60000);
  const start = tf.memory().numTensors;
  let count = 0;
  let last: { size: number; shape: number[]; labelShape: number[] } | undefined;
  for (const b of iter) {
    assert.equal(b.index, count);
    assert.equal(b.step, count);
    assert.equal(b.epoch, 0);
    for (const i of b.indices) seen[i]!++;
    if (count === 0) {
      assert.deepEqual(b.images.shape, [64, 28, 28, 1]);
      assert.equal(b.images.dtype, 'float32');
      assert.equal(b.labels!.dtype, 'int32');
      assert.deepEqual(b.labels!.shape, [64]);
      const [min, max] = tf.tidy(() => [b.images.min().arraySync() as number, b.images.max().arraySync() as number]);
      assert.equal(min, -1);
      assert.equal(max, 1);
      // Labels match the dataset's labels at the batch's indices.
      const labels = b.labels!.arraySync();
      assert.deepEqual(labels, [...b.indices].map((i) => mnist.labels![i]));
      // Pixels match the dataset's bytes (v / 255 * 2 - 1) for the first image.
      const px = b.images.dataSync().subarray(0, 784);
      const src = mnist.images.subarray(b.indices[0]! * 784, b.indices[0]! * 784 + 784);
      for (let i = 0; i < 784; i++) assert.ok(Math.abs(px[i]! - (src[i]! / 255 * 2 - 1)) < 1e-6);
    }
    last = { size: b.size, shape: b.images.shape, labelShape: b.labels!.shape };
    disposeBatch(b);
    assert.equal(tf.memory().numTensors, start, `tensor count flat after batch ${count}`);
    count++;
  }
  assert.equal(count, 938);
  assert.deepEqual(last, { size: 32, shape: [32, 28, 28, 1], labelShape: [32] });
  assert.ok(seen.every((v) => v === 1), 'every image appears exactly once per epoch');
});

test("dropLast skips the short batch: 937 batches of exactly 64; range '0-1' pixel mean is 0.1307", () => {
  let count = 0;
  let sum = 0;
  const start = tf.memory().numTensors;
  for (const b of batches(mnist, { batchSize: 64, dropLast: true, seed: 3, range: '0-1' })) {
    assert.equal(b.size, 64);
    assert.equal(b.images.shape[0], 64);
    sum += tf.tidy(() => b.images.sum().arraySync() as number);
    disposeBatch(b);
    count++;
  }
  assert.equal(count, 937);
  assert.equal(tf.memory().numTensors, start);
  const mean = sum / (937 * 64 * 784);
  assert.ok(Math.abs(mean - 0.1307) < 1e-3, `mean ${mean}`);
});

test('same seed gives the same order, different seeds differ, and re-iterating repeats it', () => {
  const ds = tiny(50);
  const a = orders(ds, { batchSize: 8, seed: 42 });
  const b = orders(ds, { batchSize: 8, seed: 42 });
  const c = orders(ds, { batchSize: 8, seed: 43 });
  const s = orders(ds, { batchSize: 8, seed: 'forty-two' });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(a, s);
  assert.notDeepEqual(a.flat(), [...Array(50).keys()], 'shuffled');
  assert.deepEqual([...a.flat()].sort((x, y) => x - y), [...Array(50).keys()]);
  const iter = batches(ds, { batchSize: 8 });
  assert.equal(typeof iter.seed, 'number', 'a random seed is chosen and reported');
  const first = [...iter].map((x) => { disposeBatch(x); return [...x.indices]; });
  const again = [...iter].map((x) => { disposeBatch(x); return [...x.indices]; });
  assert.deepEqual(first, again);
  assert.deepEqual(orders(ds, { batchSize: 8, seed: iter.seed }), first);
  // Same seed on MNIST: same first batch.
  const m1 = batches(mnist, { batchSize: 16, seed: 7 })[Symbol.iterator]().next().value!;
  const m2 = batches(mnist, { batchSize: 16, seed: 7 })[Symbol.iterator]().next().value!;
  assert.deepEqual([...m1.indices], [...m2.indices]);
  assert.deepEqual(m1.images.dataSync(), m2.images.dataSync());
  disposeBatch(m1);
  disposeBatch(m2);
});

test('shuffle: false keeps dataset order; epochs reshuffle and count steps; range 0-1 is v / 255', () => {
  const ds = tiny(10);
  assert.deepEqual(orders(ds, { batchSize: 4, shuffle: false }), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(orders(ds, { batchSize: 4, shuffle: false, dropLast: true }), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  const seen: Array<[number, number, number]> = [];
  const perEpoch: number[][] = [[], [], []];
  for (const b of batches(ds, { batchSize: 4, epochs: 3, seed: 5 })) {
    seen.push([b.epoch, b.index, b.step]);
    perEpoch[b.epoch]!.push(...b.indices);
    disposeBatch(b);
  }
  assert.deepEqual(seen.map((x) => x[2]), [...Array(9).keys()]);
  assert.deepEqual(seen.slice(3, 6).map((x) => [x[0], x[1]]), [[1, 0], [1, 1], [1, 2]]);
  for (const e of perEpoch) assert.deepEqual([...e].sort((x, y) => x - y), [...Array(10).keys()]);
  assert.notDeepEqual(perEpoch[0], perEpoch[1], 'each epoch has its own order');
  const b = batches(ds, { batchSize: 10, shuffle: false, range: '0-1' })[Symbol.iterator]().next().value!;
  const values = b.images.dataSync();
  assert.equal(values[6 * 9], Math.fround(9 / 255));
  assert.deepEqual(b.labels!.arraySync(), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
  disposeBatch(b);
  // An endless stream can be consumed with break.
  let n = 0;
  for (const x of batches(ds, { batchSize: 3, epochs: Infinity, seed: 1 })) {
    disposeBatch(x);
    if (++n === 25) break;
  }
  assert.equal(n, 25);
});

test('RGB datasets batch to NHWC with 3 channels; unlabelled datasets have no labels', () => {
  const ds = createDataset({ name: 'rgb', imageShape: [2, 2, 3], images: Uint8Array.from({ length: 3 * 12 }, (_, i) => i) });
  const b = batches(ds, { batchSize: 2, shuffle: false, range: '0-1' })[Symbol.iterator]().next().value!;
  assert.deepEqual(b.images.shape, [2, 2, 2, 3]);
  assert.equal(b.labels, undefined);
  assert.deepEqual([...b.images.dataSync()].map((v) => Math.round(v * 255)), [...Array(24).keys()]);
  disposeBatch(b);
});

test('batches work with for await as well', async () => {
  const ds = tiny(10);
  const got: number[][] = [];
  for await (const b of batches(ds, { batchSize: 4, seed: 8 })) {
    got.push([...b.indices]);
    disposeBatch(b);
  }
  assert.deepEqual(got, orders(ds, { batchSize: 4, seed: 8 }));
});

test('forEachBatch disposes every batch, also on early stop and on error', async () => {
  const ds = tiny(20);
  const start = tf.memory().numTensors;
  const kept: tf.Tensor[] = [];
  const visited = await forEachBatch(ds, { batchSize: 6, seed: 2 }, async (b) => {
    kept.push(b.images);
    assert.equal(b.images.isDisposed, false);
  });
  assert.equal(visited, 4);
  assert.ok(kept.every((t) => t.isDisposed));
  assert.equal(tf.memory().numTensors, start);
  assert.equal(await forEachBatch(ds, { batchSize: 6 }, (b) => b.index < 1), 2, 'returning false stops');
  await assert.rejects(forEachBatch(ds, { batchSize: 6 }, () => { throw new Error('boom'); }), /boom/);
  assert.equal(tf.memory().numTensors, start);
});

test('sampleBatch: n distinct images, reproducible by seed, in -1..1 by default', () => {
  const start = tf.memory().numTensors;
  const a = sampleBatch(mnist, 64, 123);
  const b = sampleBatch(mnist, 64, 123);
  const c = sampleBatch(mnist, 64, 124);
  assert.deepEqual(a.images.shape, [64, 28, 28, 1]);
  assert.deepEqual([...a.indices], [...b.indices]);
  assert.notDeepEqual([...a.indices], [...c.indices]);
  assert.equal(new Set(a.indices).size, 64, 'no repeats');
  const minOf = (t: tf.Tensor) => tf.tidy(() => t.min().arraySync());
  assert.equal(minOf(a.images), -1);
  assert.deepEqual(a.labels!.arraySync(), [...a.indices].map((i) => mnist.labels![i]));
  const u = sampleBatch(mnist, 8, 'x', { range: '0-1' });
  assert.equal(minOf(u.images), 0);
  const all = sampleBatch(tiny(5), 5, 9);
  assert.deepEqual([...all.indices].sort(), [0, 1, 2, 3, 4]);
  for (const x of [a, b, c, u, all]) disposeBatch(x);
  assert.equal(tf.memory().numTensors, start);
});

test('batch options are validated, naming the parameter and its valid range', () => {
  const ds = tiny(10);
  assert.throws(() => batches(ds, { batchSize: 0 }), /Expected positive integer for batchSize but received 0 of type number/);
  assert.throws(() => batches(ds, { batchSize: 2.5 }), /for batchSize/);
  assert.throws(() => batches(ds, {} as never), /for batchSize but received undefined/);
  assert.throws(() => batches(ds, { batchSize: 11, dropLast: true }), /Expected batchSize in \[1, 10\] \(the dataset size\) with dropLast: true but received 11/);
  assert.throws(() => batches(ds, { batchSize: 2, range: '0-255' as never }), /Expected one of '0-1', '-1-1' for range but received "0-255"/);
  assert.throws(() => batches(ds, { batchSize: 2, epochs: 0 }), /Expected positive integer or Infinity for epochs but received 0/);
  assert.throws(() => batches(ds, { batchSize: 2, seed: NaN }), /Expected a finite number or a string for seed/);
  assert.throws(() => batches(ds, { batchSize: 2, shuffle: 'yes' as never }), /Expected boolean for shuffle/);
  assert.throws(() => batches(ds, { batchSize: 2, batch_size: 3 } as never), /Expected one of 'batchSize', .* for batches options key but received "batch_size" of type string/);
  assert.throws(() => batches({ images: [] } as never, { batchSize: 2 }), /Expected a Dataset/);
  assert.throws(() => sampleBatch(ds, 11, 1), /Expected integer in \[1, 10\] for n but received 11/);
  assert.throws(() => numBatches(ds, { batchSize: -1 }), /for batchSize/);
});
