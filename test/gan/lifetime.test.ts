/**
 * Disposed GANs, models, trainers and optimizers raise a DisposedError that names them and says to rerun
 * the cell that creates them; disposing again does nothing; nothing leaks. Outside the kernel there are no
 * cell numbers or variable names: the kernel test (test/kernel/kernel.test.ts) checks those.
 * Also: GAN objects render as rich views (tables, plots, grids) through Symbol.for('Jupyter.display').
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, GanTrainer, disposeGan, summary, sample, type Snapshot } from '../../src/gan/index.js';
import { GankitError } from '../../src/util/errors.js';
import { blobBatch } from './helpers.js';

before(async () => { await initBackend(); });

const tiny = { ngf: 8, ndf: 8, latentDim: 16, seed: 5 };
const DISPLAY = Symbol.for('Jupyter.display');
const render = (v: unknown): Promise<Record<string, unknown>> => (v as Record<symbol, () => Promise<Record<string, unknown>>>)[DISPLAY]!();

test('a disposed GAN and its models raise DisposedError naming them; disposing again does nothing; no leak', () => {
  const n0 = tf.memory().numTensors;
  const gan = createGan(tiny);
  disposeGan(gan);
  assert.equal(tf.memory().numTensors, n0, 'weights freed');
  disposeGan(gan); // a rerun clean-up cell
  gan.generator.dispose();
  assert.throws(() => sample(gan.generator, 2), (e: Error) => {
    assert.ok(e instanceof GankitError);
    assert.equal(e.name, 'DisposedError');
    assert.match(e.message, /^The model generator was disposed \(by disposeGan\(\)\); create it again to use it again$/);
    return true;
  });
  assert.throws(() => tf.tidy(() => gan.discriminator.predict(tf.zeros([1, 28, 28, 1]))), /The model discriminator was disposed \(by disposeGan\(\)\)/);
  assert.throws(() => new GanTrainer(gan), /The GAN \(dcgan, 28x28x1\) was disposed \(by disposeGan\(\)\)/);
  assert.equal(tf.memory().numTensors, n0, 'failed calls keep nothing');
});

test("a model's own dispose() marks it too", () => {
  const gan = createGan(tiny);
  gan.generator.dispose();
  assert.throws(() => gan.generator.apply(tf.zeros([1, 16])), /The model generator was disposed \(by its dispose\(\)\)/);
  gan.discriminator.dispose();
});

test('a disposed trainer raises DisposedError; its optimizers too; the models stay usable', () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan, { fixedSamples: 4 });
  const opt = trainer.optimizerD;
  trainer.dispose();
  trainer.dispose();
  const real = blobBatch(0, 4) as tf.Tensor4D;
  assert.throws(() => trainer.trainStep(real), /The GanTrainer \(of a dcgan GAN\) was disposed \(by dispose\(\)\); create it again/);
  assert.throws(() => trainer.generateFixed(), { name: 'DisposedError' });
  assert.throws(() => opt.applyGradients({}), /The optimizer \(Adam, lr 0.0002\) was disposed \(by the trainer's dispose\(\)\)/);
  const x = sample(gan.generator, 2);
  assert.deepEqual(x.shape, [2, 28, 28, 1]);
  tf.dispose([x, real]);
  disposeGan(gan);
});

test('summary(), a GAN, a trainer and a snapshot render as rich views', async () => {
  const gan = createGan(tiny);
  const s = summary(gan.generator);
  assert.ok(!Object.keys(s).includes(String(DISPLAY)), 'the display method is not enumerable');
  const table = await render(s);
  assert.match(String(table['text/html']), /<table class="gankit-model-summary"/);
  assert.match(String(table['text/html']), /Conv2DTranspose/);
  const both = await render(gan);
  assert.equal((String(both['text/html']).match(/<table/g) ?? []).length, 2);
  assert.match(String(both['text/plain']), /^GAN \(dcgan, 28x28x1, latent 16\)/);
  const trainer = new GanTrainer(gan, { fixedSamples: 4 });
  assert.match(String((await render(trainer))['text/plain']), /not trained yet/);
  const real = blobBatch(0, 4) as tf.Tensor4D;
  trainer.trainStep(real);
  trainer.trainStep(real);
  real.dispose();
  const p = await render(trainer);
  assert.ok(p['application/vnd.gankit.plot.v1+json'], Object.keys(p).join(', '));
  const snap: Snapshot = await trainer.snapshot();
  const g = await render(snap);
  const grid = g['application/vnd.gankit.images.v1+json'] as { images: unknown[] };
  assert.equal(grid.images.length, 4);
  assert.deepEqual(Object.keys(snap), ['step', 'shape', 'pixels']);
  trainer.dispose();
  disposeGan(gan);
});
