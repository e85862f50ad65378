import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, GanTrainer, disposeGan, gradientPenalty, LOSSES } from '../../src/gan/index.js';
import { blobs, weightValues } from './helpers.js';

before(async () => { await initBackend(); });

const tiny = { ngf: 8, ndf: 8, latentDim: 16, seed: 5 };

test('one step records finite Loss_D, Loss_G, D(x), D(G(z)) and moves both networks', () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const g0 = weightValues(gan.generator)[0]!;
  const d0 = weightValues(gan.discriminator)[0]!;
  const [real] = [...blobs(1, 8)] as tf.Tensor4D[];
  const r = trainer.trainStep(real!);
  real!.dispose();
  for (const k of ['lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const) assert.ok(Number.isFinite(r[k]), `${k} finite`);
  assert.ok(r.dx > 0 && r.dx < 1 && r.dgz1 > 0 && r.dgz1 < 1, 'bce scores are probabilities');
  assert.equal(r.step, 1);
  assert.notDeepEqual(weightValues(gan.generator)[0], g0);
  assert.notDeepEqual(weightValues(gan.discriminator)[0], d0);
  trainer.dispose(); disposeGan(gan);
});

test('tf.memory().numTensors stays flat across 20 training steps', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const counts: number[] = [];
  await trainer.train(blobs(20, 8), { snapshotEvery: 5, onStep: () => { counts.push(tf.memory().numTensors); } });
  assert.equal(counts.length, 20);
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `flat after the optimizers' first step: ${counts.join(',')}`);
  assert.equal(trainer.snapshots.length, 4);
  assert.deepEqual(trainer.snapshots[0]!.shape, [64, 28, 28, 1]);
  trainer.dispose(); disposeGan(gan);
});

test('the same seed on the same backend gives identical histories', async () => {
  const run = async () => {
    const gan = createGan(tiny);
    const trainer = new GanTrainer(gan);
    await trainer.train(blobs(5, 8), { snapshotEvery: 0 });
    const h = trainer.history.map((r) => ({ ...r }));
    trainer.dispose(); disposeGan(gan);
    return h;
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
  const gan = createGan({ ...tiny, seed: 6 });
  const other = new GanTrainer(gan);
  await other.train(blobs(5, 8), { snapshotEvery: 0 });
  assert.notDeepEqual(other.history, a, 'another seed differs');
  other.dispose(); disposeGan(gan);
});

test('stop(), an AbortSignal and onStep end training after the current step, consistently', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const res = await trainer.train(blobs(50, 8), { snapshotEvery: 0, onStep: (r) => { if (r.step === 3) trainer.stop(); } });
  assert.deepEqual(res, { steps: 3, stopped: true, reason: 'stop' });
  assert.equal(trainer.step, 3);
  assert.equal(trainer.history.length, 3);
  const ac = new AbortController();
  const res2 = await trainer.train(blobs(50, 8), { snapshotEvery: 0, signal: ac.signal, onStep: (r) => { if (r.step === 5) ac.abort(); } });
  assert.deepEqual(res2, { steps: 2, stopped: true, reason: 'signal' });
  assert.equal(trainer.history.length, 5);
  assert.equal(trainer.isRunning, false);
  // still usable afterwards
  const res3 = await trainer.train(blobs(1, 8), { snapshotEvery: 0 });
  assert.equal(res3.steps, 1);
  trainer.dispose(); disposeGan(gan);
});

test('a wrong batch shape or bad options are clear errors that lose no state', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const w = weightValues(gan.generator);
  const bad = tf.zeros([4, 32, 32, 1]) as tf.Tensor4D;
  assert.throws(() => trainer.trainStep(bad), /Expected real images of shape \[N, 28, 28, 1\] but received \[4, 32, 32, 1\]/);
  assert.throws(() => trainer.trainStep(tf.zeros([28, 28, 1]) as never), /Expected a 4D tensor \(NHWC\) of real images for real/);
  bad.dispose();
  assert.equal(trainer.step, 0);
  assert.deepEqual(weightValues(gan.generator), w);
  assert.throws(() => new GanTrainer(gan, { lr: Number.NaN }), /Expected number in \(0, 1\] for lr but received NaN/);
  assert.throws(() => new GanTrainer(gan, { loss: 'kl' as 'bce' }), /Expected one of bce, lsgan, hinge, wgan-gp for loss/);
  await assert.rejects(trainer.train(blobs(1, 8), { batchSize: 0 }), /Expected integer in \[1, 4096\] for batchSize/);
  trainer.dispose(); disposeGan(gan);
});

test('every loss trains a step with finite values; conditional GANs train with labels', async () => {
  for (const loss of LOSSES) {
    const gan = createGan({ ...tiny, architecture: loss === 'wgan-gp' ? 'mlp' : 'dcgan' });
    const trainer = new GanTrainer(gan, { loss });
    await trainer.train(blobs(2, 4), { snapshotEvery: 0 });
    assert.ok(trainer.history.every((r) => Number.isFinite(r.lossD) && Number.isFinite(r.lossG)), loss);
    trainer.dispose(); disposeGan(gan);
  }
  const cond = createGan({ ...tiny, architecture: 'conditional' });
  const trainer = new GanTrainer(cond);
  await trainer.train(blobs(2, 4, 28, 1, 0, true), { snapshotEvery: 2 });
  assert.equal(trainer.history.length, 2);
  assert.throws(() => trainer.trainStep(tf.zeros([4, 28, 28, 1]) as tf.Tensor4D), /conditional GAN needs int32 labels/);
  trainer.dispose(); disposeGan(cond);
});

test('WGAN-GP: second-order gradients through dense and leakyReLU (the MLP critic) match finite differences', () => {
  const critic = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [6, 6, 1] }),
    tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 1 }) }),
    tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 2 }) }),
  ] });
  const real = tf.randomUniform([4, 6, 6, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
  const fake = tf.randomUniform([4, 6, 6, 1], -1, 1, 'float32', 4) as tf.Tensor4D;
  const f = () => gradientPenalty((x) => critic.apply(x) as tf.Tensor, real, fake, 7, 10);
  const kernel = critic.layers[1]!.weights[0]!.read() as tf.Variable;
  const { grads, value } = tf.variableGrads(f, [kernel]);
  const analytic = grads[kernel.name]!.dataSync();
  const base = kernel.clone();
  const h = 1e-3;
  for (const i of [0, 4, 13, 200]) {
    const perturb = (d: number) => {
      const v = base.dataSync().slice(); v[i]! += d; kernel.assign(tf.tensor(v, base.shape));
      const out = tf.tidy(() => f().dataSync()[0]!); return out;
    };
    const numeric = (perturb(h) - perturb(-h)) / (2 * h);
    kernel.assign(base);
    const err = Math.abs(numeric - analytic[i]!) / Math.max(1e-3, Math.abs(numeric));
    assert.ok(err < 0.05, `d GP / d kernel[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
  }
  assert.ok(value.dataSync()[0]! > 0);
  tf.dispose([real, fake, base, value, ...Object.values(grads)]);
  critic.dispose();
});

test('WGAN-GP is refused for conv critics, whose second-order gradients tfjs 4.22 gets wrong', () => {
  const gan = createGan(tiny);
  assert.throws(() => new GanTrainer(gan, { loss: 'wgan-gp' }), /WGAN-GP needs correct second-order gradients.*architecture 'mlp'/);
  disposeGan(gan);
});
