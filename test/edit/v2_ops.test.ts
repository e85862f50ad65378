/**
 * The v2 additions beyond parity (test/edit/v2_parity.test.ts): every new parameter rejects bad
 * input with a GankitError naming it and its range, results keep no tensors alive, EditImage and
 * tensors agree, [..., H, W, C] inputs keep their leading axes, and the seeded elastic displacement
 * is reproducible.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import * as edit from '../../src/edit/index.js';
import { randomImage } from './helpers.js';

before(async () => {
  await initBackend();
});

/** Assert fn throws a GankitError whose message matches. */
function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: Error) => e.name === 'GankitError' && pattern.test(e.message), pattern.source);
}

/** Run fn and assert it leaves no tensor behind (fn disposes what it keeps). */
async function noLeak(fn: () => Promise<void> | void): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
}

const img = randomImage(12, 10, 3, 5);
const u8 = () => tf.tensor3d(Int32Array.from(img.data), [10, 12, 3], 'int32');
const f32 = () => tf.tidy(() => tf.div(tf.cast(u8(), 'float32'), 255)) as tf.Tensor3D;

describe('normalize', () => {
  test('(x - mean) / std per channel; bad inputs name the parameter', async () => {
    const x = f32();
    await noLeak(async () => {
      const y = edit.normalize(x, [0.5, 0.25, 0], [0.5, 2, 1]);
      const [a, b] = [await x.data(), await y.data()];
      assert.equal(b[0], Math.fround(Math.fround(a[0]! - 0.5) / 0.5));
      assert.equal(b[1], Math.fround(Math.fround(a[1]! - 0.25) / 2));
      y.dispose();
      rejects(() => edit.normalize(x, [0.5, 0.5], 1), /array of 1 or 3 \(one per channel\) for mean/);
      rejects(() => edit.normalize(x, 0, [1, 0, 1]), /finite number != 0 \(in float32\) for std\[1\]/);
      rejects(() => edit.normalize(x, 0, 1e-50), /!= 0 \(in float32\) for std\[0\]/);
      rejects(() => edit.normalize(x, NaN, 1), /for mean/);
      const i = u8();
      rejects(() => edit.normalize(i, 0, 1), /float32 tensor .* for image but received shape \[10,12,3\] of dtype int32/);
      i.dispose();
      const flat = tf.zeros([4, 4]);
      rejects(() => edit.normalize(flat, 0, 1), /rank 3 or more/);
      flat.dispose();
      rejects(() => edit.normalize([1, 2] as never, 0, 1), /a float32 tf.Tensor \(\[\.\.\., H, W, C\]\) for image/);
    });
    x.dispose();
  });
});

describe('toDtype', () => {
  test('scale converts 0..255 <-> [0, 1] (clamped); without it a cast clamped to 0..255', async () => {
    await noLeak(async () => {
      const f = tf.tensor3d([-0.5, 0, 0.5, 1, 1.5, 300.7], [1, 6, 1]);
      const scaled = edit.toDtype(f, 'int32', { scale: true });
      assert.equal(scaled.dtype, 'int32');
      assert.deepEqual(Array.from(await scaled.data()), [0, 0, 127, 255, 255, 255]);
      const cast = edit.toDtype(f, 'int32');
      assert.deepEqual(Array.from(await cast.data()), [0, 0, 0, 1, 1, 255]);
      const back = edit.toDtype(scaled, 'float32', { scale: true });
      assert.deepEqual(Array.from(await back.data()), [0, 0, 127, 255, 255, 255].map((v) => Math.fround(v / 255)));
      const same = edit.toDtype(f, 'float32');
      assert.notEqual(same, f);
      tf.dispose([f, scaled, cast, back, same]);
    });
    const x = u8();
    rejects(() => edit.toDtype(x, 'uint8' as never), /one of 'float32', 'int32' for dtype but received "uint8"/);
    rejects(() => edit.toDtype(x, 'float32', { scale: 1 } as never), /boolean for options.scale/);
    rejects(() => edit.toDtype(x, 'float32', { rescale: true } as never), /one of 'scale' for options key/);
    const b = tf.tensor([true], [1, 1, 1], 'bool');
    rejects(() => edit.toDtype(b), /one of 'float32', 'int32' for image.dtype but received "bool"/);
    tf.dispose([x, b]);
  });
});

describe('erase', () => {
  test('values per channel, tensor values, boxes cut at the edge; tensors and EditImage agree', async () => {
    const x = u8();
    await noLeak(async () => {
      const y = edit.erase(x, 8, 10, 5, 5, [1, 2, 3]);
      const d = await y.data();
      assert.deepEqual(Array.from(d.slice((9 * 12 + 11) * 3, (9 * 12 + 11) * 3 + 3)), [1, 2, 3]);
      assert.equal(d[(7 * 12 + 11) * 3], img.data[(7 * 12 + 11) * 3]);
      const raw = await edit.erase(edit.openImage(img), 8, 10, 5, 5, [1, 2, 3]).toRaw();
      assert.deepEqual(Array.from(raw.data), Array.from(d));
      const value = tf.fill([2, 3, 1], 200.7);
      const z = edit.erase(x, 1, 1, 2, 3, value);
      const viaImage = await edit.erase(edit.openImage(img), 1, 1, 2, 3, value).toRaw();
      assert.deepEqual(Array.from(viaImage.data), Array.from(await z.data()));
      assert.equal((await z.data())[(1 * 12 + 1) * 3], 200);
      const outside = edit.erase(x, 10, 0, 3, 3, 0);
      assert.deepEqual(await outside.data(), await x.data());
      tf.dispose([y, z, value, outside]);
    });
    rejects(() => edit.erase(x, -1, 0, 2, 2, 0), /integer >= 0 for top but received -1/);
    rejects(() => edit.erase(x, 0, 0, 0, 2, 0), /positive integer for height/);
    rejects(() => edit.erase(x, 0, 0, 2, 2, 'black' as never), /finite number or array of 1 to 4 finite numbers .* for value/);
    rejects(() => edit.erase(x, 0, 0, 2, 2, 300), /number in \[0, 255\] for 8-bit images and int32 tensors for value/);
    rejects(() => edit.erase(x, 0, 0, 2, 2, [1, 2]), /one fill value or 3 \(one per channel\) for value/);
    const wrong = tf.zeros([3, 2, 3]);
    rejects(() => edit.erase(x, 0, 0, 2, 2, wrong), /broadcasts to the erased box \[2, 2, 3\] \(HWC\) for value but received shape \[3, 2, 3\]/);
    wrong.dispose();
    rejects(() => edit.erase(x, 0, 0, 2, 2, wrong), /live tensor for value/);
    x.dispose();
  });
});

describe('elasticTransform', () => {
  test('a seeded displacement is reproducible, torchvision-shaped, and the same on tensors and EditImage', async () => {
    await noLeak(async () => {
      const a = edit.elasticDisplacement(10, 12, { seed: 'cat', alpha: 20, sigma: 2 });
      const b = edit.elasticDisplacement(10, 12, { seed: 'cat', alpha: 20, sigma: 2 });
      const c = edit.elasticDisplacement(10, 12, { seed: 'dog', alpha: 20, sigma: 2 });
      assert.deepEqual(a.shape, [1, 10, 12, 2]);
      assert.deepEqual(await a.data(), await b.data());
      assert.notDeepEqual(await a.data(), await c.data());
      const x = u8();
      const seeded = edit.elasticTransform(x, { seed: 'cat', alpha: 20, sigma: 2 });
      const given = edit.elasticTransform(x, { displacement: a });
      assert.deepEqual(await seeded.data(), await given.data());
      const raw = await edit.openImage(img).elasticTransform({ seed: 'cat', alpha: 20, sigma: 2 }).toRaw();
      assert.deepEqual(Array.from(raw.data), Array.from(await seeded.data()));
      const still = edit.elasticTransform(x, { alpha: 0, sigma: 0, seed: 1 });
      assert.deepEqual(await still.data(), await x.data(), 'alpha 0 samples the pixel centres');
      tf.dispose([a, b, c, x, seeded, given, still]);
    });
  });

  test('bad inputs name the parameter', () => {
    const x = u8();
    const d = tf.zeros([1, 10, 11, 2]);
    rejects(() => edit.elasticTransform(x, { displacement: d }), /shape \[1, 10, 12, 2\] or \[10, 12, 2\] .* for options.displacement but received shape \[1, 10, 11, 2\]/);
    rejects(() => edit.elasticTransform(x, { displacement: d, seed: 1 }), /either options.displacement or options.seed/);
    rejects(() => edit.elasticTransform(x, { displacement: [[0, 0]] as never }), /float32 tf.Tensor \[1, H, W, 2\] for options.displacement/);
    rejects(() => edit.elasticTransform(x, { alpha: -1 }), /finite number in \[0, 3\.4e38\] \(float32\) for options\.alpha\[0\]/);
    rejects(() => edit.elasticTransform(x, { sigma: [1, 2, 3] as never }), /for options.sigma/);
    rejects(() => edit.elasticTransform(x, { seed: {} as never }), /string or finite number for options.seed/);
    rejects(() => edit.elasticTransform(x, { seed: 1, sigma: 3 }), /blur kernel \(25 pixels\) is under twice the 10x12 image's sides for options.sigma|options.sigma small enough/);
    rejects(() => edit.elasticTransform(x, { interpolation: 'bicubic' as never }), /one of 'nearest', 'bilinear' for options.interpolation/);
    rejects(() => edit.elasticTransform(x, { sigma: 1, spread: 2 } as never), /for options key/);
    rejects(() => edit.elasticDisplacement(0, 3), /positive integer for height/);
    tf.dispose([x, d]);
  });
});

describe('fiveCrop and tenCrop', () => {
  test('five (ten) results, each a crop of the (flipped) image; tensors and EditImage agree', async () => {
    const x = u8();
    await noLeak(async () => {
      const five = edit.fiveCrop(x, [4, 5]);
      assert.equal(five.length, 5);
      const corners = [edit.crop(x, 0, 0, 4, 5), edit.crop(x, 0, 7, 4, 5), edit.crop(x, 6, 0, 4, 5), edit.crop(x, 6, 7, 4, 5), edit.centerCrop(x, [4, 5])];
      for (const [i, t] of five.entries()) assert.deepEqual(await t.data(), await corners[i]!.data());
      const ten = edit.tenCrop(x, 4, { verticalFlip: true });
      assert.equal(ten.length, 10);
      const flipped = edit.vflip(x);
      const topLeftOfFlip = edit.crop(flipped, 0, 0, 4, 4);
      assert.deepEqual(await ten[5]!.data(), await topLeftOfFlip.data());
      const images = edit.tenCrop(edit.openImage(img), 4, { verticalFlip: true });
      for (const [i, r] of images.entries()) assert.deepEqual(Array.from((await r.toRaw()).data), Array.from(await ten[i]!.data()));
      tf.dispose([...five, ...corners, ...ten, flipped, topLeftOfFlip]);
    });
    rejects(() => edit.fiveCrop(x, [11, 5]), /crop size no larger than the 10x12 \(HxW\) image for size but received \[11, 5\]/);
    rejects(() => edit.fiveCrop(x, 0), /positive integer for size/);
    rejects(() => edit.tenCrop(x, 3, { verticalFlip: 'yes' } as never), /boolean for options.verticalFlip/);
    await assert.rejects(edit.fiveCrop(edit.openImage(img), 13)[0]!.toRaw(), /no larger than the 10x12/);
    x.dispose();
  });
});

describe('negative padding, nearest-exact and [..., H, W, C] inputs', () => {
  test('negative padding crops; cropping everything is an error naming padding', async () => {
    const x = u8();
    await noLeak(async () => {
      const y = edit.pad(x, [-2, 1, 0, -3], { mode: 'edge' });
      assert.deepEqual(y.shape, [8, 10, 3]);
      const raw = await edit.pad(edit.openImage(img), [-2, 1, 0, -3], { mode: 'edge' }).toRaw();
      assert.deepEqual(Array.from(raw.data), Array.from(await y.data()));
      y.dispose();
    });
    rejects(() => edit.pad(x, [-6, 0, -6, 0]), /negative padding that leaves at least one row and column of this 10x12 image for padding but received \[left -6, top 0, right -6, bottom 0\]/);
    rejects(() => edit.pad(x, 1.5), /integer for padding but received 1.5/);
    rejects(() => edit.resize(x, 5, { interpolation: 'area' as never }), /one of 'nearest', 'nearest-exact', 'bilinear', 'bicubic' for options.interpolation/);
    x.dispose();
  });

  test('a crop wholly above or left of the image with padOutside is the box of zeros (torchvision slices from the far edge)', async () => {
    const x = u8();
    await noLeak(async () => {
      for (const [top, left, h, w] of [[-10, 0, 5, 6], [-3, -3, 2, 2], [30, 40, 5, 6]] as const) {
        const y = edit.crop(x, top, left, h, w, { padOutside: true });
        assert.deepEqual(y.shape, [h, w, 3]);
        assert.equal((await y.data()).some((v) => v !== 0), false);
        const raw = await edit.crop(edit.openImage(img), top, left, h, w, { padOutside: true }).toRaw();
        assert.deepEqual([raw.height, raw.width, raw.data.some((v) => v !== 0)], [h, w, false]);
        y.dispose();
      }
    });
    x.dispose();
  });

  test('inputs with more than 4 dimensions keep their leading axes; fewer than 3 are an error', async () => {
    await noLeak(async () => {
      const x = tf.randomUniform([2, 3, 10, 12, 3]);
      const y = edit.resize(x, [5, 6]);
      assert.deepEqual(y.shape, [2, 3, 5, 6, 3]);
      const fifth = tf.tidy(() => x.reshape([6, 10, 12, 3]).slice([4], [1]).squeeze([0]));
      const one = edit.resize(fifth, [5, 6]);
      assert.deepEqual(await one.data(), (await y.data()).slice(4 * 90, 5 * 90));
      tf.dispose([x, y, fifth, one]);
    });
    const flat = tf.zeros([10, 12]);
    rejects(() => edit.hflip(flat), /3D tensor \(HWC\), 4D tensor \(NHWC\) or more \(\[\.\.\., H, W, C\]\) for image/);
    const empty = tf.zeros([2, 0, 4, 4, 3]);
    rejects(() => edit.hflip(empty), /non-empty image/);
    tf.dispose([flat, empty]);
  });
});
