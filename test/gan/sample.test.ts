import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  createGan, disposeGan, sample, sampleNoise, generate, interpolate, interpolationImages, latentDimOf, numClassesOf,
} from '../../src/gan/index.js';

before(async () => { await initBackend(); });

test('sample is seeded, NHWC in [-1, 1], uses inference-mode BatchNorm, and leaks nothing', () => {
  const gan = createGan({ ngf: 8, ndf: 8 });
  const before = tf.memory().numTensors;
  const a = sample(gan.generator, 5, { seed: 1 });
  const b = sample(gan.generator, 5, { seed: 1 });
  const c = sample(gan.generator, 5, { seed: 2 });
  assert.deepEqual(a.shape, [5, 28, 28, 1]);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.notDeepEqual(a.dataSync(), c.dataSync());
  assert.ok(tf.tidy(() => a.min().dataSync()[0]! >= -1 && a.max().dataSync()[0]! <= 1));
  // inference mode: one sample's image does not depend on the rest of the batch
  const one = sample(gan.generator, 1, { seed: 1 });
  const z = sampleNoise(5, 100, 1);
  const firstOfFive = generate(gan.generator, z);
  const z0 = z.slice([0, 0], [1, 100]);
  const solo = generate(gan.generator, z0);
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(firstOfFive.slice([0], [1]), solo))).dataSync()[0]!) < 1e-6);
  tf.dispose([a, b, c, one, z, z0, firstOfFive, solo]);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(latentDimOf(gan.generator), 100);
  assert.equal(numClassesOf(gan.generator), 0);
  assert.throws(() => sample(gan.generator, 2, { labels: 3 }), /Expected undefined for an unconditional generator for labels/);
  assert.throws(() => sample({} as tf.LayersModel, 2), /Expected a tf.LayersModel \(e.g. gan.generator\) for generator/);
  assert.throws(() => generate(gan.generator, tf.zeros([2, 7]) as tf.Tensor2D), /Expected noise of shape \[n, 100\] for z but received shape \[2, 7\]/);
  disposeGan(gan);
});

test('truncated noise stays within the threshold, still looks normal inside it, and is seeded', () => {
  const z = sampleNoise(256, 100, 3, 0.5);
  const again = sampleNoise(256, 100, 3, 0.5);
  assert.deepEqual(z.dataSync(), again.dataSync());
  const v = Array.from(z.dataSync());
  assert.ok(Math.max(...v.map(Math.abs)) <= 0.5);
  // N(0, 1) truncated to [-0.5, 0.5] has std ~0.2841; a clip would pile values at +/-0.5 instead
  const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
  assert.ok(Math.abs(std - 0.2841) < 0.01, `std ${std}`);
  assert.ok(v.filter((x) => Math.abs(x) === 0.5).length < 10, 'no pile-up at the threshold');
  tf.dispose([z, again]);
  assert.throws(() => sampleNoise(4, 10, 1, -1), /Expected positive number for truncation but received -1/);
  assert.throws(() => sampleNoise(0, 10), /Expected integer in \[1, 65536\] for n but received 0/);
  assert.throws(() => sampleNoise(2, 10, 1.5), /Expected integer for seed but received 1.5/);
});

test('linear and spherical interpolation: endpoints, the slerp formula and its norm', () => {
  const z0 = tf.tensor1d([1, 0, 0]);
  const z1 = tf.tensor1d([0, 2, 0]);
  const round = (xs: number[]) => xs.map((x) => Math.round(x * 1e5) / 1e5);
  const lerp = interpolate(z0, z1, 5, 'linear').arraySync();
  assert.deepEqual(round(lerp[0]!), [1, 0, 0]);
  assert.deepEqual(round(lerp[2]!), [0.5, 1, 0]);
  assert.deepEqual(round(lerp[4]!), [0, 2, 0]);
  const slerp = interpolate(z0, z1, 3).arraySync(); // spherical by default; angle 90 degrees
  assert.deepEqual(round(slerp[0]!), [1, 0, 0]);
  assert.deepEqual(round(slerp[2]!), [0, 2, 0]);
  assert.deepEqual(round(slerp[1]!), round([Math.SQRT1_2, 2 * Math.SQRT1_2, 0])); // sin(w/2)/sin(w) = 1/sqrt(2)
  // in high dimension slerp keeps the norm of equal-norm ends where lerp shrinks it
  const [a, b] = [tf.randomNormal([512], 0, 1, 'float32', 1), tf.randomNormal([512], 0, 1, 'float32', 2)] as tf.Tensor1D[];
  const norms = (p: tf.Tensor2D) => tf.tidy(() => Array.from(tf.norm(p, 2, 1).dataSync()));
  const ps = interpolate(a!, b!, 5);
  const pl = interpolate(a!, b!, 5, 'linear');
  const [ns, nl, na] = [norms(ps), norms(pl), tf.tidy(() => tf.norm(a!).dataSync()[0]!)];
  assert.ok(Math.abs(ns[2]! - na) / na < 0.05, `slerp mid norm ${ns[2]} vs ${na}`);
  assert.ok(nl[2]! < 0.8 * na, `lerp mid norm ${nl[2]} shrinks`);
  assert.throws(() => interpolate(z0, z1, 1), /Expected integer in \[2, 1024\] for steps/);
  assert.throws(() => interpolate(z0, z1, 3, 'cubic' as 'linear'), /Expected one of 'linear', 'spherical' for mode/);
  assert.throws(() => interpolate(z0, a!, 3), /Expected two latent vectors of the same shape \[d\] but received \[3\] and \[512\]/);
  tf.dispose([z0, z1, a!, b!, ps, pl]);
});

test('class-conditional sampling: labels per sample or for all, validated against the number of classes', () => {
  const gan = createGan({ architecture: 'conditional', numClasses: 4, ngf: 8, ndf: 8 });
  assert.equal(numClassesOf(gan.generator), 4);
  const imgs = interpolationImages(gan.generator, 1, 2, 4, 'spherical', 3);
  assert.deepEqual(imgs.shape, [4, 28, 28, 1]);
  const per = sample(gan.generator, 4, { seed: 1, labels: [0, 1, 2, 3] });
  const all = sample(gan.generator, 4, { seed: 1, labels: 2 });
  const dflt = sample(gan.generator, 4, { seed: 1 }); // 0, 1, 2, 3 cycling
  assert.deepEqual(per.dataSync(), dflt.dataSync());
  const rows = (t: tf.Tensor) => tf.tidy(() => tf.unstack(t).map((x) => Array.from(x.dataSync())));
  assert.deepEqual(rows(all)[2], rows(per)[2], 'same noise and label, same image');
  assert.notDeepEqual(rows(all)[0], rows(per)[0], 'another label, another image');
  tf.dispose([imgs, per, all, dflt]);
  assert.throws(() => sample(gan.generator, 3, { labels: [1, 2] }), /Expected array of 3 class labels \(one per sample\) or one label for labels but received \[1,2\]/);
  assert.throws(() => sample(gan.generator, 2, { labels: [1, 4] }), /Expected integer class index in \[0, 3\] for labels\[1\] but received 4/);
  disposeGan(gan);
});
