/**
 * Transforms: compose, withRange ([-1, 1] tensors), the seeded random transforms, batches
 * (one draw per call, or per sample), tensor leaks, and use inside training (gradients).
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import * as edit from '../../src/edit/index.js';
import {
  openImage, compose, withRange, colorJitter, randomCrop, randomResizedCrop, randomHorizontalFlip, randomVerticalFlip,
  randomRotation, type Transform,
} from '../../src/edit/index.js';
import { GankitError } from '../../src/util/errors.js';
import { rawImage } from './helpers.js';

let photo: tf.Tensor3D; // float32 [0, 1]
let batch: tf.Tensor4D; // 4 images
before(async () => {
  await initBackend();
  const r = rawImage('astronaut');
  photo = tf.tidy(() => tf.div(tf.tensor3d(Float32Array.from(r.data), [24, 32, 3]), 255)) as tf.Tensor3D;
  batch = tf.tidy(() => tf.stack(['astronaut', 'coffee', 'chelsea', 'lowcontrast'].map((n) => {
    const x = rawImage(n);
    return tf.div(tf.tensor3d(Float32Array.from(x.data), [24, 32, 3]), 255);
  }))) as tf.Tensor4D;
});

async function same(a: tf.Tensor, b: tf.Tensor, eps = 0): Promise<boolean> {
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return false;
  const [x, y] = [await a.data(), await b.data()];
  return x.every((v, i) => Math.abs(v - y[i]!) <= eps);
}

/** A generator that replays the given numbers (and checks that it is not asked for more). */
function replay(values: number[]): () => number {
  let i = 0;
  return () => {
    assert.ok(i < values.length, 'asked for more random numbers than expected');
    return values[i++]!;
  };
}

describe('compose and withRange', () => {
  test('compose applies left to right and disposes the intermediates', async () => {
    const before = tf.memory().numTensors;
    const t = compose([(x) => edit.crop(x, 0, 0, 10, 20), (x) => edit.rotate(x, 90, { expand: true }), (x) => edit.adjustBrightness(x, 0.5)]);
    const y = t(photo);
    assert.deepEqual(y.shape, [20, 10, 3]);
    const manual = tf.tidy(() => edit.adjustBrightness(edit.rotate(edit.crop(photo, 0, 0, 10, 20), 90, { expand: true }), 0.5));
    assert.ok(await same(y, manual));
    tf.dispose([y, manual]);
    assert.equal(tf.memory().numTensors, before);
  });

  test('an empty compose returns a new tensor, never the input', () => {
    const y = compose([])(photo);
    assert.notEqual(y, photo);
    y.dispose();
    assert.equal(photo.isDisposed, false);
  });

  test('bad transforms are rejected', () => {
    assert.throws(() => compose([(x) => x, 3 as never]), /function \(a transform\) for transforms\[1\]/);
    assert.throws(() => compose('hflip' as never), /array of transforms/);
    assert.throws(() => compose([], { range: '0-255' as never }), /one of '0-1', '-1-1' for options\.range/);
    assert.throws(() => compose([(x) => edit.hflip(x)])('cat.png' as never), /tf\.Tensor \(HWC or NHWC\) or an EditImage/);
  });

  test('withRange runs a [0, 1] transform on [-1, 1] tensors (fill in [0, 1] units)', async () => {
    const signed = tf.tidy(() => tf.sub(tf.mul(photo, 2), 1));
    const op = (x: any) => edit.adjustContrast(edit.rotate(x, 20, { interpolation: 'bilinear', fill: 0 }), 1.3);
    const viaRange = withRange('-1-1', op)(signed);
    const direct = tf.tidy(() => tf.sub(tf.mul(op(photo), 2), 1));
    assert.ok(await same(viaRange, direct, 1e-6));
    const viaCompose = compose([op], { range: '-1-1' })(signed);
    assert.ok(await same(viaCompose, direct, 1e-6));
    // int32 tensors and images pass straight through
    const u8 = tf.tensor3d(Int32Array.from(rawImage('gradient').data), [17, 21, 3], 'int32');
    const a = withRange('-1-1', (x: any) => edit.invert(x))(u8);
    assert.equal((await a.data())[0], 255 - rawImage('gradient').data[0]!);
    assert.equal(withRange('0-1', op), op);
    tf.dispose([signed, viaRange, direct, viaCompose, u8, a]);
  });
});

describe('random transforms', () => {
  test('the same seed gives the same results; another seed differs', async () => {
    const make = (seed: number) => compose([
      randomResizedCrop([16, 16], { seed }),
      randomHorizontalFlip(0.5, { seed: seed + 1 }),
      randomRotation(30, { seed: seed + 2, interpolation: 'bilinear' }),
      colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: seed + 3 }),
    ]);
    const [a, b, c] = [make(7), make(7), make(8)];
    for (let i = 0; i < 3; i++) {
      const [ya, yb, yc] = [a(photo), b(photo), c(photo)];
      assert.ok(await same(ya, yb));
      assert.equal(await same(ya, yc), false);
      tf.dispose([ya, yb, yc]);
    }
  });

  test('tensor and image back ends draw the same parameters for the same seed', async () => {
    const raw = rawImage('chelsea');
    const x = tf.tensor3d(Int32Array.from(raw.data), [24, 32, 3], 'int32');
    const pipeline = (seed: string) => compose([
      randomCrop([20, 24], { seed, padding: 2, paddingMode: 'reflect' }),
      randomRotation([-40, 40], { seed }),
      colorJitter({ brightness: [0.5, 1.5], hue: [-0.2, 0.2], seed }),
      randomVerticalFlip(0.5, { seed }),
      randomResizedCrop(12, { seed, scale: [0.3, 1] }),
    ]);
    const t = pipeline('s1');
    const i = pipeline('s1');
    for (let k = 0; k < 4; k++) {
      const y = t(x);
      const r = await i(openImage(raw)).toRaw();
      assert.deepEqual([r.height, r.width, r.channels], y.shape);
      assert.deepEqual(Array.from(r.data), Array.from(await y.data()));
      y.dispose();
    }
    x.dispose();
  });

  test('randomHorizontalFlip / randomVerticalFlip with p = 0 and p = 1', async () => {
    const flipped = edit.hflip(photo);
    const always = randomHorizontalFlip(1)(photo);
    const never = randomHorizontalFlip(0)(photo);
    assert.ok(await same(always, flipped));
    assert.ok(await same(never, photo));
    assert.notEqual(never, photo, 'a new tensor even when nothing changed');
    const v = randomVerticalFlip(1)(photo);
    const vf = edit.vflip(photo);
    assert.ok(await same(v, vf));
    tf.dispose([flipped, always, never, v, vf]);
    assert.throws(() => randomHorizontalFlip(1.5), /number in \[0, 1\] for p/);
  });

  test('randomRotation draws angles in range and fills with 0 through the mask, like torchvision', async () => {
    const rotation = randomRotation([10, 20], { rng: replay([0.5]), interpolation: 'bilinear' });
    const y = rotation(photo);
    const expected = edit.rotate(photo, 15, { interpolation: 'bilinear', fill: 0 });
    assert.ok(await same(y, expected));
    tf.dispose([y, expected]);
    assert.throws(() => randomRotation(-5), /number >= 0 \(meaning \[-d, d\]\) or \[min, max\] for degrees/);
    assert.throws(() => randomRotation([20, 10]), /min <= max for degrees/);
    assert.throws(() => randomRotation(10, { fill: [1, 2, 3, 4, 5] }), /options\.fill/);
  });

  test('randomCrop: positions from the generator, padding and padIfNeeded', async () => {
    const y = randomCrop([10, 12], { rng: replay([0.999, 0]) })(photo);
    const expected = edit.crop(photo, 14, 0, 10, 12); // top = floor(0.999 * (24 - 10 + 1)) = 14
    assert.ok(await same(y, expected));
    const padded = randomCrop(28, { padIfNeeded: true, fill: 1, rng: replay([0, 0]) })(photo);
    assert.deepEqual(padded.shape, [28, 28, 3]);
    assert.equal((await padded.data())[0], 1, 'fill in the padded corner');
    const withPadding = randomCrop([24, 32], { padding: 4, rng: replay([0.5, 0.5]) })(photo);
    const manual = edit.crop(edit.pad(photo, 4), 4, 4, 24, 32);
    assert.ok(await same(withPadding, manual));
    tf.dispose([y, expected, padded, withPadding, manual]);
    assert.throws(() => randomCrop(0), /positive integer for size/);
    assert.throws(() => randomCrop(4, { paddingMode: 'wrap' as never }), /options\.paddingMode/);
  });

  test('randomResizedCrop gives the requested size; falls back to a centre crop', async () => {
    const y = randomResizedCrop([8, 10], { seed: 3 })(photo);
    assert.deepEqual(y.shape, [8, 10, 3]);
    // scale above 1 can never fit: 10 failed tries, then the whole image (its ratio 4/3 is allowed).
    const fallback = randomResizedCrop([12, 16], { scale: [2, 3], seed: 1 })(photo);
    const whole = edit.resize(photo, [12, 16]);
    assert.ok(await same(fallback, whole));
    tf.dispose([y, fallback, whole]);
    assert.throws(() => randomResizedCrop(8, { ratio: [0, 1] }), /number in \[1\.4e-45, 3\.4e38\] \(> 0 in float32\) for options\.ratio\[0\]/);
    assert.throws(() => randomResizedCrop(8, { scale: [0.9, 0.1] }), /min <= max for options\.scale/);
  });

  test('colorJitter applies the drawn factors in the drawn order', async () => {
    // Fisher-Yates on [0, 1, 2, 3] with draws 0.9, 0.1, 0.6 -> order [1, 3, 2, 0]:
    // i=3: j=3 (keep); i=2: j=0 -> [2,1,0,3]; i=1: j=1 -> keep. Result [2, 1, 0, 3].
    const draws = [0.9, 0.1, 0.6, /* brightness */ 0.25, /* contrast */ 0.75, /* saturation */ 0.5, /* hue */ 0.0];
    const jitter = colorJitter({ brightness: 0.4, contrast: [0.5, 1.5], saturation: 1, hue: 0.2, rng: replay(draws) });
    const y = jitter(photo);
    const b = 0.6 + 0.8 * 0.25, c = 0.5 + 0.75, s = 0 + 2 * 0.5, h = -0.2;
    const expected = tf.tidy(() => edit.adjustHue(edit.adjustBrightness(edit.adjustContrast(edit.adjustSaturation(photo, s), c), b), h));
    assert.ok(await same(y, expected));
    tf.dispose([y, expected]);
    assert.throws(() => colorJitter({ hue: 0.6 }), /number in \[0, 0\.5\] for options\.hue/);
    assert.throws(() => colorJitter({ brightness: -1 }), /number >= 0.*for options\.brightness/);
    assert.throws(() => colorJitter({ contrast: [2, 1] }), /min <= max for options\.contrast/);
    assert.throws(() => colorJitter({ saturation: 0.5, seed: 1, rng: Math.random }), /either options\.seed or options\.rng/);
    assert.throws(() => colorJitter({ brigthness: 0.5 } as never), /options key/);
  });

  test('a bad generator is caught', () => {
    assert.throws(() => randomHorizontalFlip(0.5, { rng: () => 1.5 })(photo), /number in \[0, 1\) for options\.rng\(\)/);
    assert.throws(() => randomHorizontalFlip(0.5, { rng: 'x' as never }), /function returning numbers in \[0, 1\) for options\.rng/);
    assert.throws(() => randomHorizontalFlip(0.5, { seed: {} as never }), /string or finite number for options\.seed/);
  });
});

describe('batches and training', () => {
  test('one draw per batch by default; perSample draws per image', async () => {
    const shared = tf.unstack(randomRotation(45, { seed: 11 })(batch));
    const perImage = tf.unstack(randomRotation(45, { seed: 11, perSample: true })(batch));
    const images = tf.unstack(batch);
    for (let i = 0; i < 4; i++) {
      // the first draw of a fresh seed-11 generator, applied to image i alone
      const firstAngle = randomRotation(45, { seed: 11 })(images[i]!);
      assert.ok(await same(shared[i]!, firstAngle), `image ${i} rotated by the batch's one angle`);
      assert.equal(await same(perImage[i]!, firstAngle), i === 0, `image ${i} per-sample angle`);
      firstAngle.dispose();
    }
    tf.dispose([...shared, ...perImage, ...images]);
  });

  test('an augmentation pipeline on NHWC batches leaks no tensors over many steps', () => {
    const augment = compose([
      randomResizedCrop(16, { seed: 1, perSample: true }),
      randomHorizontalFlip(0.5, { seed: 2, perSample: true }),
      colorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.05, seed: 3, perSample: true }),
      randomRotation(10, { seed: 4, interpolation: 'bilinear' }),
    ], { range: '-1-1' });
    const signed = tf.tidy(() => tf.sub(tf.mul(batch, 2), 1));
    const before = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) {
      const y = augment(signed);
      assert.deepEqual(y.shape, [4, 16, 16, 3]);
      y.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    signed.dispose();
  });

  test('float edits are differentiable (gradients flow through resize, rotate, crop, colour and blur)', async () => {
    const ops: [string, (x: tf.Tensor4D) => tf.Tensor][] = [
      ['resize', (x) => edit.resize(x, [10, 14])],
      ['resize bicubic', (x) => edit.resize(x, [40, 50], { interpolation: 'bicubic' })],
      ['rotate', (x) => edit.rotate(x, 25, { interpolation: 'bilinear', fill: 0.5 })],
      ['affine', (x) => edit.affine(x, { angle: 5, scale: 1.1, interpolation: 'bilinear' })],
      ['crop', (x) => edit.crop(x, 2, 2, 10, 10)],
      ['adjustContrast', (x) => edit.adjustContrast(x, 1.2)],
      ['adjustSaturation', (x) => edit.adjustSaturation(x, 0.7)],
      ['gaussianBlur', (x) => edit.gaussianBlur(x, 5, 1.5)],
    ];
    for (const [name, fn] of ops) {
      const before = tf.memory().numTensors;
      const g = tf.grad((x: tf.Tensor) => tf.sum(fn(x as tf.Tensor4D)))(batch);
      assert.deepEqual(g.shape, batch.shape, name);
      const total = tf.tidy(() => tf.sum(tf.abs(g)));
      const [absSum] = await total.data();
      total.dispose();
      assert.ok(Number.isFinite(absSum) && absSum! > 0, `${name}: gradient ${absSum}`);
      g.dispose();
      assert.equal(tf.memory().numTensors, before, `${name}: no leak`);
    }
  });

  test('a Transform typed as such works on tensors and images alike', async () => {
    const t: Transform = compose([(x) => edit.centerCrop(x, 8), (x) => edit.invert(x)]);
    const y = t(batch);
    assert.deepEqual(y.shape, [4, 8, 8, 3]);
    const r = await t(openImage(rawImage('coffee'))).toRaw();
    assert.deepEqual([r.height, r.width], [8, 8]);
    y.dispose();
    assert.throws(() => openImage(rawImage('coffee')).apply((() => 3) as never), (e: unknown) => e instanceof GankitError);
  });
});
