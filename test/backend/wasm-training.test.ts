/**
 * Training end to end on the wasm backend with gankit's training kernels: a small DCGAN learns on a
 * tiny MNIST subset without leaking tensors, and the library's conv GAN gets the same gradients on
 * wasm as on tfjs' reference cpu backend.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { loadMnist } from '../../src/data/index.js';
import { createGan, disposeGan, GanTrainer, discriminatorLoss, generatorLoss, type Gan } from '../../src/gan/index.js';

before(async () => {
  const report = await initBackend({ backend: 'wasm' });
  assert.equal(report.backend, 'wasm');
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean pixel value of 64 generator samples from fixed noise, in [-1, 1]. */
function sampleMean(gan: Gan): number {
  return tf.tidy(() => {
    const z = tf.randomNormal([64, gan.config.latentDim], 0, 1, 'float32', 11);
    return (gan.generator.predict(z) as tf.Tensor).mean().dataSync()[0]!;
  });
}

/** BCE generator loss of `g`'s samples from fixed noise under `d`'s discriminator (inference mode). */
function foolLoss(g: Gan, d: Gan): number {
  return tf.tidy(() => {
    const z = tf.randomNormal([64, g.config.latentDim], 0, 1, 'float32', 12);
    return generatorLoss('bce', d.discriminator.predict(g.generator.predict(z) as tf.Tensor) as tf.Tensor).dataSync()[0]!;
  });
}

test('a small DCGAN trains on wasm on 512 MNIST digits (Adam lr 1e-3): D and G learn, tensors stay flat', async () => {
  const data = await loadMnist({ limit: 512 });
  const realMean = data.images.reduce((a, v) => a + v / 127.5 - 1, 0) / data.images.length;
  const config = { ngf: 8, ndf: 8, latentDim: 16, seed: 3 };
  const gan = createGan(config);
  const trainer = new GanTrainer(gan, { seed: 3, lr: 1e-3 });
  const gapBefore = Math.abs(sampleMean(gan) - realMean);
  const counts: number[] = [];
  const t0 = performance.now();
  const res = await trainer.train(data, { batchSize: 32, steps: 60, snapshotEvery: 0, onStep: () => { counts.push(tf.memory().numTensors); } });
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(res.steps, 60);
  const h = trainer.history;
  for (const r of h) for (const k of ['lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const) assert.ok(Number.isFinite(r[k]), `step ${r.step} ${k} finite`);
  const first = h.slice(0, 5), last = h.slice(-10);
  // D learns to tell real from fake: its loss falls from about 2 ln 2 and D(x) rises above D(G(z))
  assert.ok(h[0]!.lossD > 1.2, `initial Loss_D ${h[0]!.lossD} is near 2 ln 2`);
  assert.ok(mean(last.map((r) => r.lossD)) < 0.8 * mean(first.map((r) => r.lossD)),
    `Loss_D fell: ${mean(first.map((r) => r.lossD)).toFixed(3)} -> ${mean(last.map((r) => r.lossD)).toFixed(3)}`);
  assert.ok(mean(last.map((r) => r.dx - r.dgz1)) > 0.2, `D(x) - D(G(z)) = ${mean(last.map((r) => r.dx - r.dgz1))}`);
  // G learns: the trained D is fooled more by the trained G than by the untrained one (same seed, same noise),
  // and G's samples move toward the data's overall brightness (MNIST is mostly black background)
  const untrained = createGan(config);
  const lossUntrained = foolLoss(untrained, gan), lossTrained = foolLoss(gan, gan);
  disposeGan(untrained);
  assert.ok(lossTrained < lossUntrained - 0.05, `G loss under the trained D: untrained G ${lossUntrained.toFixed(3)}, trained G ${lossTrained.toFixed(3)}`);
  const gapAfter = Math.abs(sampleMean(gan) - realMean);
  assert.ok(gapAfter < gapBefore, `G's mean pixel gap to the data: ${gapBefore.toFixed(3)} -> ${gapAfter.toFixed(3)}`);
  assert.ok(counts.slice(5).every((c) => c === counts[5]), `numTensors flat: ${counts.join(',')}`);
  process.stdout.write(`wasm: 60 DCGAN steps (batch 32, ngf = ndf = 8) in ${seconds.toFixed(1)} s; Loss_D ${mean(first.map((r) => r.lossD)).toFixed(3)} -> ${mean(last.map((r) => r.lossD)).toFixed(3)}, G loss under the trained D ${lossUntrained.toFixed(3)} (untrained G) -> ${lossTrained.toFixed(3)}, G mean-pixel gap ${gapBefore.toFixed(3)} -> ${gapAfter.toFixed(3)}\n`);
  trainer.dispose(); disposeGan(gan);
});

/** Gradients of one BCE step's D loss (real + detached fake) and G loss by every trainable weight, as arrays. */
function stepGradients(weights: Float32Array[][], realValues: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const gan = createGan({ ngf: 16, ndf: 16, latentDim: 20, seed: 9 });
    gan.generator.setWeights(gan.generator.getWeights().map((w, i) => tf.tensor(weights[0]![i]!, w.shape)));
    gan.discriminator.setWeights(gan.discriminator.getWeights().map((w, i) => tf.tensor(weights[1]![i]!, w.shape)));
    const real = tf.tensor4d(realValues, [8, 28, 28, 1]);
    const z = tf.tensor2d(Float32Array.from({ length: 8 * 20 }, (_, i) => Math.sin(i * 1.7)), [8, 20]);
    const dVars = gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    const gVars = gan.generator.trainableWeights.map((w) => w.read() as tf.Variable);
    const fake = gan.generator.apply(z, { training: true }) as tf.Tensor;
    const dGrads = tf.variableGrads(() => discriminatorLoss('bce',
      gan.discriminator.apply(real, { training: true }) as tf.Tensor,
      gan.discriminator.apply(fake, { training: true }) as tf.Tensor), dVars).grads;
    const gGrads = tf.variableGrads(() => generatorLoss('bce',
      gan.discriminator.apply(gan.generator.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor), gVars).grads;
    const out = [...dVars.map((v) => dGrads[v.name]!), ...gVars.map((v) => gGrads[v.name]!)].map((g) => g.dataSync() as Float32Array);
    disposeGan(gan);
    return out;
  });
}

test('the library DCGAN gets the same D and G gradients on wasm as on cpu (one step, rel. error < 1e-4)', async () => {
  const data = await loadMnist({ limit: 8 });
  const realValues = Float32Array.from(data.images, (v) => v / 127.5 - 1);
  // the same starting weights on both backends
  const ref = createGan({ ngf: 16, ndf: 16, latentDim: 20, seed: 9 });
  const weights = [ref.generator, ref.discriminator].map((m) => m.getWeights().map((w) => w.dataSync() as Float32Array));
  disposeGan(ref);
  const before = tf.memory().numTensors;
  const onWasm = stepGradients(weights, realValues);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked on wasm');
  await tf.setBackend('cpu');
  const onCpu = stepGradients(weights, realValues);
  await tf.setBackend('wasm');
  assert.equal(onWasm.length, onCpu.length);
  assert.ok(onWasm.length >= 8, `${onWasm.length} gradient tensors`);
  for (const [i, g] of onWasm.entries()) {
    const want = onCpu[i]!;
    let num = 0, den = 0;
    for (let j = 0; j < g.length; j++) { num = Math.max(num, Math.abs(g[j]! - want[j]!)); den = Math.max(den, Math.abs(want[j]!)); }
    assert.ok(den > 0, `gradient ${i} is not all zeros`);
    assert.ok(num / den < 1e-4, `gradient ${i} (${g.length} values): relative error ${(num / den).toExponential(2)}`);
  }
});
