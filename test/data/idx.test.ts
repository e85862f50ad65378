import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseIdx, readIdxFile, readIdxImages, readIdxLabels, encodeIdx, isGzip, mnistDataDir } from '../../src/data/index.js';
import { GankitError } from '../../src/util/errors.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

/** 3 images of 2x4 pixels with values 0..23. */
const pixels = Uint8Array.from({ length: 24 }, (_, i) => i);

test('encodeIdx writes the IDX header: magic 0x00000803, big-endian dimensions', () => {
  const bytes = encodeIdx(pixels, [3, 2, 4]);
  assert.deepEqual([...bytes.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4]);
  assert.equal(bytes.length, 16 + 24);
  const parsed = parseIdx(bytes);
  assert.deepEqual(parsed.shape, [3, 2, 4]);
  assert.deepEqual([...parsed.data], [...pixels]);
  assert.ok(!Buffer.isBuffer(parsed.data), 'data is a plain Uint8Array, not a Buffer');
  assert.throws(() => encodeIdx(pixels, [5, 5]), /Expected data of length 25/);
});

test('parseIdx reads the real MNIST headers', async () => {
  const images = await readIdxFile(join(mnistDataDir(), 't10k-images-idx3-ubyte'));
  assert.deepEqual(images.shape, [10000, 28, 28]);
  assert.equal(images.data.length, 10000 * 784);
  const labels = await readIdxLabels(join(mnistDataDir(), 't10k-labels-idx1-ubyte'));
  assert.equal(labels.length, 10000);
  assert.deepEqual([...labels.subarray(0, 10)], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
});

test('readIdxFile reads gzipped and plain files alike (detected by content)', async () => {
  const plain = join(tmp.dir, 'plain-images-idx3-ubyte');
  const gz = join(tmp.dir, 'gz-images-idx3-ubyte.gz');
  const gzNoExt = join(tmp.dir, 'gz-no-ext');
  writeFileSync(plain, encodeIdx(pixels, [3, 2, 4]));
  writeFileSync(gz, gzipSync(encodeIdx(pixels, [3, 2, 4])));
  writeFileSync(gzNoExt, gzipSync(encodeIdx(pixels, [3, 2, 4])));
  for (const p of [plain, gz, gzNoExt]) {
    const img = await readIdxImages(p);
    assert.deepEqual([img.count, img.rows, img.cols], [3, 2, 4]);
    assert.deepEqual([...img.data], [...pixels]);
  }
  assert.ok(isGzip(gzipSync(Buffer.from('x'))));
  assert.ok(!isGzip(encodeIdx(pixels, [24])));
});

test('bad magic numbers are reported as not IDX', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
  assert.throws(() => parseIdx(png, 'x.png'), (e: Error) =>
    e instanceof GankitError && /Invalid IDX file x\.png: bad magic number 0x89504e47/.test(e.message) && /not an IDX file/.test(e.message));
  const bad = encodeIdx(pixels, [24]);
  bad[2] = 0x07;
  assert.throws(() => parseIdx(bad), /bad magic number 0x00000701/);
  const float = encodeIdx(pixels, [24]);
  float[2] = 0x0d;
  assert.throws(() => parseIdx(float), /data type 0x0d \(float\) is not supported; only unsigned byte \(0x08\)/);
  const rank0 = encodeIdx(pixels, [24]);
  rank0[3] = 0;
  assert.throws(() => parseIdx(rank0), /number of dimensions is 0, expected 1 to 8/);
  assert.throws(() => parseIdx(gzipSync(encodeIdx(pixels, [24]))), /still gzip-compressed/);
  assert.throws(() => parseIdx('abc' as unknown as Uint8Array), /Expected a Uint8Array or Buffer for bytes but received "abc" of type string/);
});

test('truncated and over-long files are errors that give the byte counts', async () => {
  const full = encodeIdx(pixels, [3, 2, 4]);
  assert.throws(() => parseIdx(full.subarray(0, 30)), /truncated: dimensions \[3, 2, 4\] need 24 data bytes but only 14 are present/);
  assert.throws(() => parseIdx(full.subarray(0, 10)), /header needs 16 bytes for 3 dimensions but the file has 10 \(truncated\)/);
  assert.throws(() => parseIdx(full.subarray(0, 2)), /only 2 bytes/);
  assert.throws(() => parseIdx(new Uint8Array(0)), /only 0 bytes/);
  const long = new Uint8Array(full.length + 5);
  long.set(full);
  assert.throws(() => parseIdx(long), /5 unexpected bytes after the data/);
  // A truncated gzip stream and a missing file.
  const cut = join(tmp.dir, 'cut.gz');
  const gz = gzipSync(encodeIdx(new Uint8Array(5000).fill(7), [5000]));
  writeFileSync(cut, gz.subarray(0, gz.length - 10));
  await assert.rejects(readIdxFile(cut), (e: Error) =>
    e instanceof GankitError && e.message.includes(cut) && /gzip data is corrupt or truncated/.test(e.message));
  await assert.rejects(readIdxFile(join(tmp.dir, 'nope')), /Cannot read IDX file ".*nope": no such file/);
});

test('image and label readers check the number of dimensions', async () => {
  const labels = join(tmp.dir, 'labels');
  writeFileSync(labels, encodeIdx(pixels, [24]));
  await assert.rejects(readIdxImages(labels), /expected 3 dimensions \(count, rows, cols\) but found 1 \[24\]/);
  const images = join(tmp.dir, 'images');
  writeFileSync(images, encodeIdx(pixels, [3, 2, 4]));
  await assert.rejects(readIdxLabels(images), /expected 1 dimension \(count\) but found 3 \[3, 2, 4\]/);
});
