import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { makeGrid, saveImage, encodeImage } from '../../src/image/index.js';
import { GankitError } from '../../src/util/errors.js';
import { gridFixtures, fixtureInput, floats, bytes, maxAbsDiff, disposeAll, tempDir } from './helpers.js';

const fx = gridFixtures();
const tmp = tempDir();
before(async () => { await initBackend(); });
after(() => tmp.cleanup());

/** Raw pixels of an image file, independent of gankit's decoder. */
async function rawPixels(path: string) {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), shape: [info.height, info.width, info.channels] };
}

test('fixtures come from torchvision 0.14 and cover the documented cases', () => {
  assert.match(fx.torchvision, /^0\.14/);
  assert.ok(fx.makeGrid.length >= 25);
  assert.ok(fx.saveImage.length >= 5);
});

for (const c of fx.makeGrid) {
  test(`makeGrid matches torchvision make_grid: ${c.name}`, () => {
    const x = fixtureInput(c.input);
    const copies = (Array.isArray(x) ? x : [x]).map((t) => t.dataSync().slice());
    const before = tf.memory().numTensors;
    const grid = makeGrid(x, c.options);
    assert.equal(tf.memory().numTensors, before + 1, 'only the result tensor is new');
    assert.equal(grid.dtype, 'float32');
    assert.deepEqual(grid.shape, c.output.shape);
    const d = maxAbsDiff(grid.dataSync(), floats(c.output.data));
    assert.ok(d < 1e-5, `max abs diff ${d}`);
    (Array.isArray(x) ? x : [x]).forEach((t, i) => assert.deepEqual(t.dataSync(), copies[i], 'input not mutated'));
    grid.dispose();
    assert.equal(tf.memory().numTensors, before);
    disposeAll(x);
  });
}

for (const c of fx.saveImage) {
  test(`saveImage PNG is byte-exact with torchvision save_image: ${c.name}`, async () => {
    const x = fixtureInput(c.input);
    const before = tf.memory().numTensors;
    const path = join(tmp.dir, `${c.name}.png`);
    await saveImage(x, path, c.options);
    assert.equal(tf.memory().numTensors, before);
    const got = await rawPixels(path);
    assert.deepEqual(got.shape, c.pixels.shape);
    assert.deepEqual(got.data, bytes(c.pixels.data));
    disposeAll(x);
  });
}

test('saveImage writes JPEG and WebP by extension, close to the PNG reference', async () => {
  const c = fx.saveImage.find((s) => s.name === 'save_ramp_batch')!;
  const x = fixtureInput(c.input);
  const ref = bytes(c.pixels.data);
  for (const [ext, magic] of [['jpg', 'ffd8ff'], ['jpeg', 'ffd8ff'], ['webp', '52494646']] as const) {
    const path = join(tmp.dir, `ramp.${ext}`);
    await saveImage(x, path, { ...c.options, quality: 100 });
    const file = await sharp(path).toBuffer();
    assert.ok(file.length > 0);
    const { data, shape } = await rawPixels(path);
    assert.deepEqual(shape, c.pixels.shape);
    const meanErr = data.reduce((s, v, i) => s + Math.abs(v - ref[i]!), 0) / data.length;
    assert.ok(meanErr < 6, `${ext}: mean abs error ${meanErr}`);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(path).subarray(0, magic.length / 2).toString('hex'), magic);
  }
  disposeAll(x);
});

test('encodeImage of a single image gives the same pixels as saveImage (same rounding)', async () => {
  const c = fx.saveImage.find((s) => s.name === 'save_single_image')!;
  const x = fixtureInput(c.input) as tf.Tensor;
  const png = await encodeImage(x);
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual(new Uint8Array(data), bytes(c.pixels.data));
  x.dispose();
});

test('makeGrid layout: NHWC cells, padding inside and around, padValue in empty cells', () => {
  // 3 images of 1x2 (HxW), 1 channel, values = image index + 1; nrow 2, padding 1, padValue -1.
  const x = tf.tensor4d([1, 1, 2, 2, 3, 3], [3, 1, 2, 1]);
  const g = makeGrid(x, { nrow: 2, padding: 1, padValue: -1 });
  assert.deepEqual(g.shape, [5, 7, 3]); // ceil(3/2)*(1+1)+1, 2*(2+1)+1
  const ch0 = (g.slice([0, 0, 0], [5, 7, 1]).reshape([5, 7]).arraySync() as number[][]);
  assert.deepEqual(ch0, [
    [-1, -1, -1, -1, -1, -1, -1],
    [-1, 1, 1, -1, 2, 2, -1],
    [-1, -1, -1, -1, -1, -1, -1],
    [-1, 3, 3, -1, -1, -1, -1],
    [-1, -1, -1, -1, -1, -1, -1],
  ]);
  tf.dispose([x, g]);
});

test('makeGrid accepts int32 input (result is float32) and arrays of HWC tensors', () => {
  const a = tf.tensor3d([0, 255, 128, 64], [2, 2, 1], 'int32');
  const b = tf.tensor3d([1, 2, 3, 4], [2, 2, 1], 'int32');
  const before = tf.memory().numTensors;
  const g = makeGrid([a, b], { padding: 0 });
  assert.equal(g.dtype, 'float32');
  assert.deepEqual(g.shape, [2, 4, 3]);
  assert.deepEqual(Array.from(g.dataSync().filter((_, i) => i % 3 === 0)), [0, 255, 1, 2, 128, 64, 3, 4]);
  g.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([a, b]);
});

test('makeGrid returns a new tensor for a single image, never the input itself', () => {
  const x = tf.ones([2, 2, 3]);
  const g = makeGrid(x);
  assert.notEqual(g, x);
  g.dispose();
  assert.equal(x.isDisposed, false);
  assert.deepEqual(Array.from(x.dataSync()), new Array(12).fill(1));
  x.dispose();
});

test('makeGrid rejects bad inputs with the parameter and its valid range, leaking nothing', () => {
  const ok = tf.zeros([2, 3, 3, 3]);
  const before = tf.memory().numTensors;
  const cases: [() => unknown, RegExp][] = [
    [() => makeGrid(ok, { nrow: 0 }), /Expected positive integer for nrow but received 0 of type number/],
    [() => makeGrid(ok, { nrow: 1.5 }), /Expected positive integer for nrow but received 1.5 of type number/],
    [() => makeGrid(ok, { padding: -1 }), /Expected integer >= 0 for padding but received -1 of type number/],
    [() => makeGrid(ok, { normalize: 'yes' as unknown as boolean }), /Expected boolean for normalize but received "yes" of type string/],
    [() => makeGrid(ok, { scaleEach: 1 as unknown as boolean }), /Expected boolean for scaleEach but received 1 of type number/],
    [() => makeGrid(ok, { padValue: NaN }), /Expected finite number for padValue but received NaN of type number/],
    [() => makeGrid(ok, { normalize: true, valueRange: [1, 0] }), /Expected \[min, max\] of finite numbers with min <= max for valueRange but received \[1,0\] of type array/],
    [() => makeGrid(ok, { valueRange: [0] as unknown as [number, number] }), /for valueRange but received \[0\] of type array/],
    [() => makeGrid(ok, { value_range: [0, 1] } as never), /Expected one of 'nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue' for options key but received "value_range"/],
    [() => makeGrid(ok, 3 as never), /Expected a plain object of options for options but received 3 of type number/],
    [() => makeGrid(tf.zeros([1, 2, 2, 2, 3]) as tf.Tensor, {}), /Expected 2D tensor \(HW\), 3D tensor \(HWC\) or 4D tensor \(NHWC\) for images but received shape \[1,2,2,2,3\] of dtype float32/],
    [() => makeGrid(tf.zeros([4]) as tf.Tensor, {}), /for images but received shape \[4\] of dtype float32/],
    [() => makeGrid(tf.zeros([0, 2, 2, 3]) as tf.Tensor, {}), /Expected a non-empty batch of images for images but received shape \[0,2,2,3\]/],
    [() => makeGrid(tf.zeros([2, 2, 3], 'bool') as tf.Tensor), /Expected a tensor of dtype 'float32' or 'int32' for images but received shape \[2,2,3\] of dtype bool/],
    [() => makeGrid([]), /Expected a tensor or a non-empty array of 3D tensors \(HWC\) for images but received \[\] of type array/],
    [() => makeGrid([tf.zeros([2, 2, 3]), tf.zeros([2, 3, 3])]), /Expected the same shape as images\[0\] \[2,2,3\] for images\[1\] but received shape \[2,3,3\]/],
    [() => makeGrid([tf.zeros([1, 2, 2, 3])]), /Expected 3D tensor \(HWC\) in an array of images for images\[0\] but received shape \[1,2,2,3\]/],
    [() => makeGrid([[1, 2]] as never), /Expected a tf.Tensor for images\[0\] but received \[1,2\] of type array/],
    [() => makeGrid('x' as never), /Expected a tf.Tensor for images but received "x" of type string/],
  ];
  for (const [fn, re] of cases) {
    const n = tf.memory().numTensors;
    assert.throws(() => tf.tidy(() => { fn(); }), (e: unknown) => e instanceof GankitError && re.test(e.message), String(re));
    assert.equal(tf.memory().numTensors, n, `no leak for ${re}`);
  }
  assert.equal(tf.memory().numTensors, before);
  const disposed = tf.zeros([2, 2, 3]);
  disposed.dispose();
  assert.throws(() => makeGrid(disposed), /Expected a live tensor for images but received a disposed tensor/);
  ok.dispose();
});

test('saveImage rejects bad paths and options, and grids that are not grey, RGB or RGBA', async () => {
  const x = tf.zeros([2, 3, 3, 3]);
  const two = tf.zeros([2, 3, 3, 2]);
  const before = tf.memory().numTensors;
  await assert.rejects(saveImage(x, join(tmp.dir, 'a.bmp')), /Expected a file name ending in .png, .jpg, .jpeg or .webp for path but received ".*a.bmp" of type string/);
  await assert.rejects(saveImage(x, join(tmp.dir, 'a.png'), { format: 'jpeg' }), /Expected 'png' or no value for a path ending in .png for format but received "jpeg"/);
  await assert.rejects(saveImage(x, join(tmp.dir, 'a.png'), { quality: 90 }), /Expected no value with format 'png' \(quality applies to 'jpeg' and 'webp'\) for quality/);
  await assert.rejects(saveImage(x, join(tmp.dir, 'a.png'), { nrow: -2 }), /Expected positive integer for nrow/);
  await assert.rejects(saveImage(x, join(tmp.dir, 'no-such-dir', 'a.png')), /Cannot write image file ".*a.png": ENOENT/);
  await assert.rejects(saveImage(two, join(tmp.dir, 'two.png')), /Expected images with 1, 3 or 4 channels \(last axis\) for images but received 2 channels/);
  await assert.rejects(saveImage(x, '' as string), /Expected non-empty string for path but received "" of type string/);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, two]);
});
