import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createDataset } from '../../src/data/index.js';
import {
  createGan, GanTrainer, disposeGan, discriminatorLoss, generatorLoss, stepSeed, LOSSES, type Progress, type StepRecord,
} from '../../src/gan/index.js';
import { blobs, blobBatch, weightValues, maxDiff, optimizerValues } from './helpers.js';

before(async () => { await initBackend(); });

const tiny = { ngf: 8, ndf: 8, latentDim: 16, seed: 5 };

test('one step records finite Loss_D, Loss_G, D(x), D(G(z)) before/after, and moves both networks', () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const g0 = weightValues(gan.generator);
  const d0 = weightValues(gan.discriminator);
  const real = blobBatch(0, 8) as tf.Tensor4D;
  const r = trainer.trainStep(real);
  real.dispose();
  assert.deepEqual(Object.keys(r), ['step', 'epoch', 'lossD', 'lossG', 'dx', 'dgz1', 'dgz2']);
  for (const k of ['lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const) assert.ok(Number.isFinite(r[k]), `${k} finite`);
  for (const k of ['dx', 'dgz1', 'dgz2'] as const) assert.ok(r[k] > 0 && r[k] < 1, `${k} is a probability for bce`);
  assert.ok(r.dgz2 < r.dgz1, 'the D update lowered D(G(z))');
  assert.equal(r.step, 1);
  assert.equal(trainer.history.length, 1);
  assert.ok(maxDiff(weightValues(gan.generator), g0) > 0 && maxDiff(weightValues(gan.discriminator), d0) > 0);
  trainer.dispose(); disposeGan(gan);
});

test('the one-forward step equals the textbook step that recomputes G(z) for the G update', () => {
  // Reference: fake = G(z) outside any tape (detached); D step; then G step recomputing D(G(z)).
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const ref = createGan(tiny);
  const optD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
  const optG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
  for (let step = 0; step < 3; step++) {
    const real = blobBatch(step, 8) as tf.Tensor4D;
    const mine = trainer.trainStep(real);
    const lossD = tf.tidy(() => {
      const z = tf.randomNormal([8, 16], 0, 1, 'float32', stepSeed(5, step, 1));
      const fake = ref.generator.apply(z, { training: true }) as tf.Tensor;
      const d = tf.variableGrads(() => discriminatorLoss('bce',
        ref.discriminator.apply(real, { training: true }) as tf.Tensor,
        ref.discriminator.apply(fake, { training: true }) as tf.Tensor), ref.discriminator.trainableWeights.map((v) => v.read() as tf.Variable));
      optD.applyGradients(d.grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      const g = tf.variableGrads(() => generatorLoss('bce',
        ref.discriminator.apply(ref.generator.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor),
      ref.generator.trainableWeights.map((v) => v.read() as tf.Variable));
      optG.applyGradients(g.grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      return d.value.dataSync()[0]!;
    });
    real.dispose();
    assert.ok(Math.abs(mine.lossD - lossD) < 1e-5, `Loss_D ${mine.lossD} vs ${lossD}`);
  }
  const trainable = (m: tf.LayersModel) => m.trainableWeights.map((w) => Array.from(w.read().dataSync()));
  assert.ok(maxDiff(trainable(gan.generator), trainable(ref.generator)) < 1e-6, 'same G weights');
  assert.ok(maxDiff(trainable(gan.discriminator), trainable(ref.discriminator)) < 1e-6, 'same D weights');
  trainer.dispose(); disposeGan(gan); disposeGan(ref); optD.dispose(); optG.dispose();
});

test("one G forward per step: G's BatchNorm running statistics move once, as in PyTorch", () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const ref = createGan(tiny);
  const real = blobBatch(0, 8) as tf.Tensor4D;
  trainer.trainStep(real);
  tf.tidy(() => { ref.generator.apply(tf.randomNormal([8, 16], 0, 1, 'float32', stepSeed(5, 0, 1)), { training: true }); });
  const stats = (m: tf.LayersModel) => m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
  assert.ok(maxDiff(stats(gan.generator), stats(ref.generator)) < 1e-6, 'moving mean/variance after exactly one forward pass');
  real.dispose(); trainer.dispose(); disposeGan(gan); disposeGan(ref);
});

test('tf.memory().numTensors stays flat across 20 training steps (with snapshots)', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const counts: number[] = [];
  await trainer.train(blobs(20, 8), { snapshotEvery: 5, onStep: () => { counts.push(tf.memory().numTensors); } });
  assert.equal(counts.length, 20);
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `flat after the optimizers' first step: ${counts.join(',')}`);
  assert.equal(trainer.snapshots.length, 4);
  const s = trainer.snapshots[3]!;
  assert.equal(s.step, 20);
  assert.deepEqual(s.shape, [64, 28, 28, 1]);
  assert.ok(s.pixels instanceof Uint8Array && s.pixels.length === 64 * 28 * 28);
  trainer.dispose(); disposeGan(gan);
});

test('the same seed on the same backend gives identical histories and weights; another seed does not', async () => {
  const run = async (seed: number) => {
    const gan = createGan({ ...tiny, seed });
    const trainer = new GanTrainer(gan);
    await trainer.train(blobs(5, 8), { snapshotEvery: 0 });
    const out = { history: trainer.history.map((r) => ({ ...r })), weights: weightValues(gan.generator) };
    trainer.dispose(); disposeGan(gan);
    return out;
  };
  const a = await run(5);
  const b = await run(5);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual((await run(6)).history, a.history);
});

test('stop(), an AbortSignal and a callback end training after the current step, consistently', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const res = await trainer.train(blobs(50, 8), { snapshotEvery: 0, onStep: (r) => { if (r.step === 3) trainer.stop(); } });
  assert.deepEqual(res, { steps: 3, stopped: true, reason: 'stop' });
  assert.equal(trainer.step, 3);
  assert.equal(trainer.history.length, 3);
  const ac = new AbortController();
  const running = trainer.train(blobs(1000, 8), { snapshotEvery: 0, signal: ac.signal });
  assert.equal(trainer.isRunning, true);
  await assert.rejects(trainer.train(blobs(1, 8)), /already running/);
  setTimeout(() => ac.abort(), 30); // from outside the loop: it yields to the event loop between steps
  const res2 = await running;
  assert.equal(res2.reason, 'signal');
  assert.ok(res2.steps >= 1 && res2.steps < 1000);
  assert.equal(trainer.history.length, 3 + res2.steps);
  assert.equal(trainer.step, trainer.history.length);
  assert.equal(trainer.isRunning, false);
  const before = tf.memory().numTensors;
  const res3 = await trainer.train(blobs(2, 8), { snapshotEvery: 0 });
  assert.equal(res3.steps, 2, 'still usable afterwards');
  assert.equal(tf.memory().numTensors, before);
  trainer.dispose(); disposeGan(gan);
});

test('bad batches and options are clear errors that lose no state', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  await trainer.train(blobs(1, 8), { snapshotEvery: 0 });
  const w = weightValues(gan.generator);
  const opt = await optimizerValues(trainer.optimizerD);
  const bad = [
    [tf.zeros([4, 32, 32, 1]), /Expected real images of shape \[N, 28, 28, 1\] but received \[4, 32, 32, 1\]/],
    [tf.zeros([28, 28, 1]), /Expected a 4D tensor \(NHWC\) of real images for real/],
    [tf.fill([4, 28, 28, 1], 255), /Expected real images with values in \[-1, 1\] .* but received values in \[255, 255\]/],
    [tf.fill([4, 28, 28, 1], Number.NaN), /Expected real images with values in \[-1, 1\] .* received values in \[NaN, NaN\]/],
    [tf.zeros([4, 28, 28, 1], 'int32'), /Expected float32 real images in \[-1, 1\] but received a tensor of dtype int32/],
  ] as const;
  for (const [t, re] of bad) {
    assert.throws(() => trainer.trainStep(t as tf.Tensor4D), re);
    t.dispose();
  }
  await assert.rejects(trainer.train([tf.fill([8, 28, 28, 1], 2) as tf.Tensor4D]), /values in \[-1, 1\]/);
  assert.equal(trainer.step, 1);
  assert.equal(trainer.history.length, 1);
  assert.deepEqual(weightValues(gan.generator), w);
  assert.deepEqual(await optimizerValues(trainer.optimizerD), opt);
  assert.throws(() => new GanTrainer(gan, { lr: Number.NaN }), /Expected number in \(0, 1\] for lr but received NaN/);
  assert.throws(() => new GanTrainer(gan, { beta1: 1 }), /Expected number in \[0, 1\) for beta1 but received 1/);
  assert.throws(() => new GanTrainer(gan, { loss: 'kl' as 'bce' }), /Expected one of 'bce', 'lsgan', 'hinge', 'wgan-gp' for loss/);
  assert.throws(() => new GanTrainer(gan, { fixedSamples: 0 }), /Expected integer in \[1, 256\] for fixedSamples/);
  assert.throws(() => new GanTrainer(gan, { loss: 'wgan-gp' }), /WGAN-GP .* BatchNorm .* discriminatorNorm 'layer'/);
  assert.throws(() => new GanTrainer(gan, { learningRate: 1e-3 } as never), /Expected one of 'loss', 'lr', .* for trainer options key but received "learningRate" of type string/);
  assert.throws(() => new GanTrainer(gan.generator as never), /Expected a Gan from createGan\(\) .* for gan/);
  await assert.rejects(trainer.train(blobs(1, 8), { snapshotsEvery: 5 } as never), /Expected one of 'steps', 'batchSize', .* for train options key but received "snapshotsEvery" of type string/);
  await assert.rejects(trainer.train(blobs(1, 8), { onStep: 'log' as never }), /Expected function for onStep but received "log"/);
  await assert.rejects(trainer.train(blobs(1, 8), { batchSize: 0 }), /Expected integer in \[1, 4096\] for batchSize/);
  await assert.rejects(trainer.train(blobs(1, 8), { steps: -1 }), /Expected integer >= 0 for steps but received -1/);
  await assert.rejects(trainer.train(() => tf.zeros([1, 28, 28, 1]) as tf.Tensor4D), /Expected integer >= 0 when data is a batch function for steps/);
  await assert.rejects(trainer.train(42 as never), /Expected a Dataset, an \(async\) iterable of batches or a function .* for data but received 42/);
  assert.equal(trainer.isRunning, false);
  trainer.dispose(); disposeGan(gan);
});

test('every loss trains with finite values (WGAN-GP on a LayerNorm conv critic); conditional GANs train with labels', async () => {
  for (const loss of LOSSES) {
    const gan = createGan({ ...tiny, discriminatorNorm: loss === 'wgan-gp' ? 'layer' : 'batch' });
    const trainer = new GanTrainer(gan, { loss });
    await trainer.train(blobs(2, 4), { snapshotEvery: 0 });
    assert.equal(trainer.history.length, 2);
    assert.ok(trainer.history.every((r) => Object.values(r).every(Number.isFinite)), loss);
    trainer.dispose(); disposeGan(gan);
  }
  const cond = createGan({ ...tiny, architecture: 'conditional' });
  const trainer = new GanTrainer(cond, { fixedSamples: 10 });
  await trainer.train(blobs(2, 4, 28, 1, 0, true), { snapshotEvery: 2 });
  assert.equal(trainer.history.length, 2);
  assert.deepEqual(trainer.snapshots[0]!.shape, [10, 28, 28, 1]);
  const images = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
  assert.throws(() => trainer.trainStep(images), /conditional GAN needs int32 labels of shape \[4\]/);
  const labels = tf.tensor1d([0, 1, 2, 10], 'int32');
  assert.throws(() => trainer.trainStep(images, labels), /Expected labels in \[0, 9\] but received labels in \[0, 10\]/);
  tf.dispose([images, labels]);
  assert.equal(trainer.step, 2);
  trainer.dispose(); disposeGan(cond);
});

test('train() reads Datasets (seeded order, epochs, resumable), async iterables and batch functions; reports progress', async () => {
  const size = 20;
  const pixels = new Uint8Array(size * 28 * 28).map((_, i) => (i * 37) % 256);
  const dataset = createDataset({ name: 'synthetic', imageShape: [28, 28, 1], images: pixels });
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan);
  const progress: Progress[] = [];
  const epochs: number[] = [];
  const res = await trainer.train(dataset, {
    batchSize: 8, epochs: 3, snapshotEvery: 0, onStep: (_, p) => { progress.push(p); }, onEpoch: (e) => { epochs.push(e); },
  });
  assert.deepEqual(res, { steps: 6, stopped: false, reason: 'done' }); // 2 full batches per epoch (drop-last) x 3
  assert.deepEqual(trainer.history.map((r) => r.epoch), [0, 0, 1, 1, 2, 2]);
  assert.deepEqual(epochs, [0, 1, 2]);
  assert.deepEqual(progress.map((p) => p.totalSteps), [6, 6, 6, 6, 6, 6]);
  assert.equal(progress.at(-1)!.etaSeconds, 0);
  assert.ok(progress.every((p) => p.stepsPerSecond > 0 && p.elapsedSeconds > 0));

  // A Dataset run stopped at step 3 and resumed equals the uninterrupted one.
  const again = new GanTrainer(createGan(tiny));
  const ends: unknown[] = [];
  await again.train(dataset, { batchSize: 8, epochs: 3, snapshotEvery: 0, onStep: (r) => { if (r.step === 3) again.stop(); }, onEnd: (e) => { ends.push(e); } });
  await again.train(dataset, { batchSize: 8, epochs: 3, snapshotEvery: 0, onEnd: (e) => { ends.push(e); } });
  assert.deepEqual(ends, [{ steps: 3, step: 3, reason: 'stop' }, { steps: 3, step: 6, reason: 'done' }], 'onEnd once per call, with the global step');
  assert.deepEqual(again.history, trainer.history);

  // An async iterable and a batch function
  async function* stream() { for (let k = 0; k < 2; k++) yield blobBatch(k, 4); }
  await again.train(stream(), { snapshotEvery: 0 });
  const seen: number[] = [];
  await again.train((n, step) => { seen.push(n, step); return blobBatch(step, n); }, { steps: 2, batchSize: 4, snapshotEvery: 0 });
  assert.deepEqual(seen, [4, 8, 4, 9]);
  // onEnd also runs when a step fails; the error still reaches the caller.
  await assert.rejects(again.train(() => { throw new Error('no batch'); }, { steps: 1, snapshotEvery: 0, onEnd: (e) => { ends.push(e); } }), /no batch/);
  assert.deepEqual(ends.at(-1), { steps: 0, step: 10, reason: 'error' });
  assert.equal(again.step, 10);

  // disposeBatches: false leaves the caller's tensor alone
  const fixed = blobBatch(0, 4) as tf.Tensor4D;
  await again.train([fixed, fixed], { disposeBatches: false, snapshotEvery: 0 });
  assert.equal(fixed.isDisposed, false);
  fixed.dispose();
  for (const t of [trainer, again]) { t.dispose(); disposeGan(t.gan); }
});

test('a WGAN-GP step with a LayerNorm conv critic runs a bounded number of kernels (no per-element gradient paths)', async () => {
  const gan = createGan({ ...tiny, discriminatorNorm: 'layer' });
  const trainer = new GanTrainer(gan, { loss: 'wgan-gp' });
  const real = blobBatch(0, 8) as tf.Tensor4D;
  trainer.trainStep(real);
  const info = await tf.profile(() => { trainer.trainStep(real); });
  const kernels = info.kernels.filter((k) => k.name !== 'Identity').length;
  assert.ok(kernels < 2000, `${kernels} kernels in one step`);
  // tfjs-layers' LayerNormalization tiles its statistics; tf.tile's gradient is a slice per repetition
  const slices = info.kernels.filter((k) => k.name === 'Slice').length;
  assert.ok(slices < 10, `${slices} Slice kernels`);
  real.dispose(); trainer.dispose(); disposeGan(gan);
});

test('snapshots stay bounded and spread over the run', async () => {
  const gan = createGan(tiny);
  const trainer = new GanTrainer(gan, { maxSnapshots: 4, fixedSamples: 2 });
  const got: number[] = [];
  await trainer.train(blobs(9, 2), { snapshotEvery: 1, onSnapshot: (s) => { got.push(s.step); } });
  assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(trainer.snapshots.length <= 4);
  const steps = trainer.snapshots.map((s) => s.step);
  assert.equal(steps[0], 1);
  assert.equal(steps.at(-1), 9);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  const records: StepRecord[] = trainer.history;
  assert.equal(records.length, 9);
  trainer.dispose(); disposeGan(gan);
});
