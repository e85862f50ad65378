import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, disposeGan, sample, sampleNoise, interpolate, interpolationImages } from '../../src/gan/index.js';

before(async () => { await initBackend(); });

test('sample is seeded, shaped NHWC in [-1, 1], and leaks nothing', () => {
  const gan = createGan({ ngf: 8, ndf: 8 });
  const before = tf.memory().numTensors;
  const a = sample(gan.generator, 5, { seed: 1 });
  const b = sample(gan.generator, 5, { seed: 1 });
  assert.deepEqual(a.shape, [5, 28, 28, 1]);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.ok(tf.tidy(() => a.min().dataSync()[0]! >= -1 && a.max().dataSync()[0]! <= 1));
  tf.dispose([a, b]);
  assert.equal(tf.memory().numTensors, before);
  disposeGan(gan);
});

test('truncated noise stays within the threshold', () => {
  const z = sampleNoise(64, 100, 3, 0.5);
  assert.ok(tf.max(tf.abs(z)).dataSync()[0]! <= 0.5);
  z.dispose();
  assert.throws(() => sampleNoise(4, 10, 1, -1), /Expected positive number for truncation but received -1/);
  assert.throws(() => sampleNoise(0, 10), /Expected integer in \[1, 65536\] for n but received 0/);
});

test('linear and spherical interpolation start and end at the endpoints; slerp keeps the norm of equal-norm ends', () => {
  const z0 = tf.tensor1d([1, 0, 0]);
  const z1 = tf.tensor1d([0, 1, 0]);
  for (const mode of ['linear', 'spherical'] as const) {
    const p = interpolate(z0, z1, 5, mode).arraySync();
    assert.deepEqual(p[0]!.map((v) => Math.round(v * 1e6) / 1e6), [1, 0, 0]);
    assert.deepEqual(p[4]!.map((v) => Math.round(v * 1e6) / 1e6), [0, 1, 0]);
    const mid = Math.hypot(...p[2]!);
    if (mode === 'spherical') assert.ok(Math.abs(mid - 1) < 1e-5, `slerp norm ${mid}`);
    else assert.ok(Math.abs(mid - Math.SQRT1_2) < 1e-5, `lerp norm ${mid}`);
  }
  assert.throws(() => interpolate(z0, z1, 1), /Expected integer in \[2, 1024\] for steps/);
  tf.dispose([z0, z1]);
  const gan = createGan({ architecture: 'conditional', ngf: 8, ndf: 8 });
  const imgs = interpolationImages(gan.generator, 1, 2, 4, 'spherical', 3);
  assert.deepEqual(imgs.shape, [4, 28, 28, 1]);
  imgs.dispose();
  const per = sample(gan.generator, 10, { seed: 1, labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  assert.deepEqual(per.shape, [10, 28, 28, 1]);
  per.dispose();
  assert.throws(() => sample(gan.generator, 3, { labels: [1, 2] }), /Expected 3 labels \(one per sample\) but received 2/);
  disposeGan(gan);
});
