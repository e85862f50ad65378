import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initBackend } from '../../src/backend/select.js';
import { loadMnist } from '../../src/data/index.js';
import {
  createGan, disposeGan, GanTrainer, loadGenerator, sample,
  classifierDir, classifierFeatures, featureStatistics, frechetDistance, loadClassifier, qualityMetrics, referenceStatistics,
  FEATURE_DIM, REFERENCE_STATS_FILE, type QualityMetrics,
} from '../../src/gan/index.js';
import { classifierOutputs, testImages } from '../../src/gan/metrics/classifier.js';
import { matMul, symmetricEigen } from '../../src/gan/metrics/linalg.js';

before(async () => { await initBackend(); });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ------------------------------------------------------------------ Frechet distance, exact cases

/** A seeded random n x n orthogonal matrix (Gram-Schmidt of a random matrix), row-major. */
function randomOrthogonal(n: number, rng: () => number): Float64Array {
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const col = Array.from({ length: n }, () => rng() * 2 - 1);
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += col[i]! * q[i * n + k]!;
      for (let i = 0; i < n; i++) col[i]! -= dot * q[i * n + k]!;
    }
    const norm = Math.hypot(...col);
    for (let i = 0; i < n; i++) q[i * n + j] = col[i]! / norm;
  }
  return q;
}

/** Q diag(d) Q^T */
function withEigen(q: Float64Array, d: number[]): Float64Array {
  const n = d.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[i * n + k]! * d[k]! * q[j * n + k]!;
    out[i * n + j] = s;
  }
  return out;
}

function diag(d: number[]): Float64Array {
  return withEigen(Float64Array.from({ length: d.length * d.length }, (_, i) => (i % (d.length + 1) === 0 ? 1 : 0)), d);
}

const close = (a: number, b: number, rel = 1e-9, what = '') =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

test('frechetDistance: one dimension is (m1 - m2)^2 + (s1 - s2)^2', () => {
  close(frechetDistance([1], [4], [3], [9]), (1 - 3) ** 2 + (2 - 3) ** 2);
  close(frechetDistance([0], [0], [0], [2.25]), 2.25); // a point mass vs N(0, 1.5^2)
});

test('frechetDistance: diagonal covariances, also rotated by the same orthogonal matrix, match the closed form', () => {
  const rng = seedrandom('diag');
  const d = 12;
  const a = Array.from({ length: d }, () => rng() * 3);
  const b = Array.from({ length: d }, () => rng() * 3);
  a[3] = 0; // singular (PSD, not PD)
  const m1 = Array.from({ length: d }, () => rng() - 0.5);
  const m2 = Array.from({ length: d }, () => rng() - 0.5);
  let expected = 0;
  for (let i = 0; i < d; i++) expected += (m1[i]! - m2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b[i]!)) ** 2;
  close(frechetDistance(m1, diag(a), m2, diag(b)), expected, 1e-10, 'diagonal');
  const q = randomOrthogonal(d, rng);
  // The zero eigenvalue comes back as ~1e-16 after rotation, and sqrt(1e-16) = 1e-8: the square root's
  // own sensitivity near 0, so the rotated case matches to ~sqrt(machine epsilon), not to 1e-15.
  close(frechetDistance(m1, withEigen(q, a), m2, withEigen(q, b)), expected, 1e-7, 'rotated');
  a[3] = 0.5;
  b[3] = 0.5;
  const pd = frechetDistance(m1, withEigen(q, a), m2, withEigen(q, b));
  close(pd, frechetDistance(m1, diag(a), m2, diag(b)), 1e-11, 'rotated, positive definite');
});

test('frechetDistance: non-commuting 2x2 covariances match tr sqrt(S1 S2) = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2))', () => {
  const s1 = [2, 0.7, 0.7, 1];
  const s2 = [0.5, -0.3, -0.3, 3];
  const trProd = s1[0]! * s2[0]! + s1[1]! * s2[2]! + s1[2]! * s2[1]! + s1[3]! * s2[3]!;
  const det = (s: number[]) => s[0]! * s[3]! - s[1]! * s[2]!;
  const trRoot = Math.sqrt(trProd + 2 * Math.sqrt(det(s1) * det(s2)));
  const expected = (1 - 0) ** 2 + (2 - 1) ** 2 + 3 + 3.5 - 2 * trRoot;
  close(frechetDistance([1, 2], s1, [0, 1], s2), expected, 1e-12);
  close(frechetDistance([0, 1], s2, [1, 2], s1), expected, 1e-12, 'symmetric');
});

test('frechetDistance: 0 for identical 128-dim Gaussians, positive and symmetric for different ones; fast', () => {
  const rng = seedrandom('big');
  const n = 128;
  const x = Float64Array.from({ length: n * 200 }, () => rng() - 0.5);
  const stats = featureStatistics(x, 200, n);
  const y = Float64Array.from({ length: n * 200 }, () => (rng() - 0.5) * 1.2);
  const other = featureStatistics(y, 200, n);
  const t0 = performance.now();
  assert.ok(frechetDistance(stats.mu, stats.sigma, stats.mu, stats.sigma) < 1e-9);
  const ab = frechetDistance(stats.mu, stats.sigma, other.mu, other.sigma);
  const ba = frechetDistance(other.mu, other.sigma, stats.mu, stats.sigma);
  assert.ok(performance.now() - t0 < 5000, 'three 128-dim distances in under 5 s');
  assert.ok(ab > 0);
  close(ab, ba, 1e-8, 'symmetric');
});

test('symmetricEigen reconstructs V diag(values) V^T = A with orthonormal V', () => {
  const rng = seedrandom('eig');
  const n = 40;
  const b = Float64Array.from({ length: n * n }, () => rng() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j]! + b[j * n + i]!;
  const { values, vectors } = symmetricEigen(a, n);
  const rebuilt = withEigen(vectors, Array.from(values));
  let err = 0;
  for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(rebuilt[i]! - a[i]!));
  assert.ok(err < 1e-12, `reconstruction error ${err}`);
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = vectors[j * n + i]!;
  const eye = matMul(vt, vectors, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(eye[i * n + j]! - (i === j ? 1 : 0)) < 1e-12);
});

test('featureStatistics: mean and unbiased covariance of a small sample', () => {
  // Rows (1, 2), (3, 6), (5, 4): mean (3, 4); deviations (-2, -2), (0, 2), (2, 0).
  const s = featureStatistics(Float32Array.from([1, 2, 3, 6, 5, 4]), 3, 2);
  assert.deepEqual(Array.from(s.mu), [3, 4]);
  assert.deepEqual(Array.from(s.sigma), [8 / 2, 4 / 2, 4 / 2, 8 / 2]);
});

test('frechetDistance rejects mismatched, non-symmetric and non-finite input', () => {
  assert.throws(() => frechetDistance([0, 0], [1, 0, 0, 1], [0], [1]), /Expected 2 entries \(the length of mu1\) for mu2/);
  assert.throws(() => frechetDistance([0, 0], [1, 0, 0], [0, 0], [1, 0, 0, 1]), /Expected 2 x 2 = 4 entries for sigma1/);
  assert.throws(() => frechetDistance([0, 0], [1, 0.5, 0, 1], [0, 0], [1, 0, 0, 1]), /symmetric matrix for sigma1/);
  assert.throws(() => frechetDistance([0, NaN], [1, 0, 0, 1], [0, 0], [1, 0, 0, 1]), /finite entries for mu1/);
  assert.throws(() => frechetDistance([], [], [], []), /at least one entry for mu1/);
  assert.throws(() => frechetDistance('x' as never, [1], [0], [1]), /for mu1 but received "x"/);
});

// ------------------------------------------------------------------ classifiers

for (const dataset of ['mnist', 'fashion-mnist'] as const) {
  test(`${dataset} classifier: accuracy on 2000 test images agrees with meta.json; files are small`, async () => {
    const dir = classifierDir(dataset);
    for (const f of ['model.json', 'weights.bin', REFERENCE_STATS_FILE]) {
      assert.ok((await fs.stat(path.join(dir, f))).size < 520_000, `${f} is small`);
    }
    const c = await loadClassifier(dataset);
    assert.equal(await loadClassifier(dataset), c, 'cached');
    assert.equal(c.meta.dataset, dataset);
    assert.ok(c.meta.testAccuracy >= (dataset === 'mnist' ? 0.985 : 0.89), `recorded accuracy ${c.meta.testAccuracy}`);
    const { images, labels } = await testImages(dataset, 2000);
    const { probs } = await classifierOutputs(c, images);
    images.dispose();
    let correct = 0;
    for (let i = 0; i < 2000; i++) {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
    }
    const acc = correct / 2000;
    const se = Math.sqrt((c.meta.testAccuracy * (1 - c.meta.testAccuracy)) / 2000);
    assert.ok(Math.abs(acc - c.meta.testAccuracy) < Math.max(5 * se, 0.01), `subset accuracy ${acc} vs meta ${c.meta.testAccuracy}`);
  });
}

test('reference statistics are computed from the test split when the file is missing, and match the committed file', async () => {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-clf-'));
  try {
    for (const f of ['model.json', 'weights.bin', 'meta.json']) await fs.copyFile(path.join(classifierDir('mnist'), f), path.join(tmp, f));
    const copy = await loadClassifier('mnist', { dir: tmp });
    assert.notEqual(copy, await loadClassifier('mnist'), 'a separate cache entry per directory');
    const computed = await referenceStatistics(copy);
    const stored = await referenceStatistics(await loadClassifier('mnist'));
    assert.equal(computed.n, 10000);
    assert.equal(stored.mu.length, FEATURE_DIM);
    let scale = 0;
    let diff = 0;
    stored.sigma.forEach((v, i) => { scale = Math.max(scale, Math.abs(v)); diff = Math.max(diff, Math.abs(v - computed.sigma[i]!)); });
    stored.mu.forEach((v, i) => { diff = Math.max(diff, Math.abs(v - computed.mu[i]!)); });
    assert.ok(scale > 0 && diff < 1e-4 * scale, `max difference ${diff} (scale ${scale})`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
});

test('loadClassifier rejects unknown datasets and missing directories with clear errors', async () => {
  await assert.rejects(loadClassifier('cifar10' as never), /Expected one of 'mnist', 'fashion-mnist' for dataset but received "cifar10"/);
  await assert.rejects(loadClassifier('mnist', { dir: path.join(os.tmpdir(), 'no-such-gankit-classifier') }), /Cannot read classifier .*model\.json/);
});

// ------------------------------------------------------------------ qualityMetrics

/** Real MNIST test images in [-1, 1]: the first n, or n from offset. */
async function realImages(n: number, offset = 0): Promise<tf.Tensor4D> {
  const { images } = await testImages('mnist', offset + n);
  const out = images.slice([offset, 0, 0, 0], [n, -1, -1, -1]);
  images.dispose();
  return out;
}

test('qualityMetrics rejects bad images and options with messages naming the parameter and range', async () => {
  const good = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
  const cases: [unknown, unknown, RegExp][] = [
    [[1, 2], { dataset: 'mnist' }, /a tf\.Tensor4D of shape \[n, 28, 28, 1\].* for images/],
    [tf.zeros([4, 28, 28]), { dataset: 'mnist' }, /shape \[n, 28, 28, 1\].*received \[4, 28, 28\]/],
    [tf.zeros([4, 32, 32, 1]), { dataset: 'mnist' }, /received \[4, 32, 32, 1\]/],
    [tf.zeros([1, 28, 28, 1]), { dataset: 'mnist' }, /at least 2 images \(n >= 2\) for images but received 1/],
    [tf.zeros([4, 28, 28, 1], 'int32'), { dataset: 'mnist' }, /dtype float32 for images but received int32/],
    [tf.fill([4, 28, 28, 1], NaN), { dataset: 'mnist' }, /finite values for images/],
    [tf.fill([4, 28, 28, 1], 255), { dataset: 'mnist' }, /values in \[-1, 1\] for images.*\[255, 255\]/],
    [good, { dataset: 'cifar10' }, /one of 'mnist', 'fashion-mnist' for dataset but received "cifar10"/],
    [good, { dataset: 'mnist', batchSize: 0 }, /integer in \[1, 4096\] for batchSize but received 0/],
    [good, { dataset: 'mnist', seed: 1 }, /Expected one of 'dataset', 'batchSize' for qualityMetrics options key but received "seed"/],
    [good, 'mnist', /Expected a plain object of options for qualityMetrics options but received "mnist"/],
    [good, undefined, /one of 'mnist', 'fashion-mnist' for dataset but received undefined/],
  ];
  for (const [images, options, message] of cases) {
    await assert.rejects(qualityMetrics(images as tf.Tensor4D, options as never), message);
    if (images instanceof tf.Tensor && images !== good) images.dispose();
  }
  const disposed = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
  disposed.dispose();
  await assert.rejects(qualityMetrics(disposed, { dataset: 'mnist' }), /live tensor for images/);
  good.dispose();
});

test('qualityMetrics and classifierFeatures leak no tensors (also on errors); batch size changes nothing', async () => {
  const images = await realImages(300);
  const c = await loadClassifier('mnist');
  await qualityMetrics(images, { dataset: 'mnist' }); // warm-up: loads the reference statistics
  const before = tf.memory().numTensors;
  const a = await qualityMetrics(images, { dataset: 'mnist' });
  const b = await qualityMetrics(images, { dataset: 'mnist', batchSize: 7 });
  await assert.rejects(qualityMetrics(images, { dataset: 'mnist', batchSize: 1e6 }));
  const f1 = classifierFeatures(c, images);
  const f2 = classifierFeatures(c, images, 64);
  assert.deepEqual(f1.shape, [300, FEATURE_DIM]);
  const [featureMin, featureDiff] = tf.tidy(() => [f1.min().arraySync() as number, f1.sub(f2).abs().max().arraySync() as number]);
  assert.ok(featureMin >= 0, 'ReLU features');
  tf.dispose([f1, f2]);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.ok(featureDiff < 1e-4, `features independent of batch size (${featureDiff})`);
  close(a.fd, b.fd, 1e-4, 'fd independent of batch size');
  close(a.confidence, b.confidence, 1e-5, 'confidence');
  assert.deepEqual(a.classCounts, b.classCounts);
  images.dispose();
});

function checkShape(m: QualityMetrics, n: number): void {
  assert.equal(m.n, n);
  assert.equal(m.classCounts.length, 10);
  assert.equal(m.classCounts.reduce((s, v) => s + v, 0), n);
  assert.ok(m.fd >= 0 && Number.isFinite(m.fd));
  assert.ok(m.confidence >= 0.1 && m.confidence <= 1);
  assert.ok(m.diversity >= 1 && m.diversity <= 10);
}

test('ranking: real held-out images < a briefly trained DCGAN < an untrained one (FD); real digits are confident and diverse', async () => {
  const n = 1000;
  const real = await realImages(n, 5000);
  const realM = await qualityMetrics(real, { dataset: 'mnist' });
  real.dispose();
  checkShape(realM, n);
  assert.ok(realM.confidence > 0.95, `real confidence ${realM.confidence}`);
  assert.ok(realM.diversity > 9.5, `real diversity ${realM.diversity}`);

  // A 300-step GAN is at the mercy of its seed: with seed 3 D wins and G stays flat (fd ~540); with
  // seeds 0 and 1 fd falls to ~240-280 by step 300 (measured after commit 5d07fea changed D's first conv).
  const config = { ngf: 16, ndf: 16, latentDim: 32, seed: 1 };
  const untrained = createGan(config);
  const fakeU = sample(untrained.generator, n, { seed: 11 });
  const untrainedM = await qualityMetrics(fakeU, { dataset: 'mnist' });
  fakeU.dispose();
  disposeGan(untrained);
  checkShape(untrainedM, n);

  const gan = createGan(config);
  const trainer = new GanTrainer(gan, { fixedSamples: 4 });
  const t0 = performance.now();
  const result = await trainer.train(await loadMnist({ split: 'train', limit: 20000 }), { steps: 300, batchSize: 64, snapshotEvery: 0 });
  assert.deepEqual(result, { steps: 300, stopped: false, reason: 'done' });
  const last = trainer.history.at(-1)!;
  const trainSeconds = (performance.now() - t0) / 1000;
  const fakeT = sample(gan.generator, n, { seed: 11 });
  const trainedM = await qualityMetrics(fakeT, { dataset: 'mnist' });
  fakeT.dispose();
  trainer.dispose();
  disposeGan(gan);
  checkShape(trainedM, n);

  const line = (name: string, m: QualityMetrics) => `${name}: fd ${m.fd.toFixed(2)}, confidence ${m.confidence.toFixed(3)}, diversity ${m.diversity.toFixed(2)}`;
  console.log(`# ${line('real', realM)}; ${line('trained 300 steps', trainedM)} (${trainSeconds.toFixed(1)} s, last Loss_D ${last.lossD.toFixed(3)} Loss_G ${last.lossG.toFixed(3)}); ${line('untrained', untrainedM)}`);
  assert.ok(realM.fd < trainedM.fd, `real ${realM.fd} < trained ${trainedM.fd}`);
  assert.ok(trainedM.fd < untrainedM.fd, `trained ${trainedM.fd} < untrained ${untrainedM.fd}`);
  // An untrained generator's blurs get low-confidence, evenly spread predictions (diversity near 10):
  // diversity alone is no quality measure, confidence tells them apart.
  assert.ok(trainedM.confidence > untrainedM.confidence + 0.1, `trained confidence ${trainedM.confidence} > untrained ${untrainedM.confidence}`);
});

test('fashion-mnist: real clothing images score far closer than MNIST digits do', async () => {
  const fashion = (await testImages('fashion-mnist', 1500)).images;
  const clothes = fashion.slice([500, 0, 0, 0], [1000, -1, -1, -1]);
  fashion.dispose();
  const digits = await realImages(1000, 5000);
  const a = await qualityMetrics(clothes, { dataset: 'fashion-mnist' });
  const b = await qualityMetrics(digits, { dataset: 'fashion-mnist' });
  tf.dispose([clothes, digits]);
  checkShape(a, 1000);
  assert.ok(a.diversity > 9.5, `fashion diversity ${a.diversity}`);
  assert.ok(a.fd * 10 < b.fd, `fashion ${a.fd} vs digits ${b.fd}`);
});

const pretrained = path.join(root, 'models', 'pretrained', 'mnist-dcgan');
test('the pretrained MNIST DCGAN (when present) scores between real data and an untrained generator', { skip: !existsSync(path.join(pretrained, 'model.json')) && 'models/pretrained/mnist-dcgan not present' }, async () => {
  const n = 1000;
  const generator = await loadGenerator(pretrained);
  const fake = sample(generator, n, { seed: 5 });
  const m = await qualityMetrics(fake, { dataset: 'mnist' });
  fake.dispose();
  const untrained = tf.models.modelFromJSON(JSON.parse(readFileSync(path.join(pretrained, 'model.json'), 'utf8')).modelTopology);
  const fresh = sample(await untrained, n, { seed: 5 });
  const u = await qualityMetrics(fresh, { dataset: 'mnist' });
  fresh.dispose();
  (await untrained).dispose();
  generator.dispose();
  const real = await realImages(n, 5000);
  const r = await qualityMetrics(real, { dataset: 'mnist' });
  real.dispose();
  console.log(`# pretrained mnist-dcgan: fd ${m.fd.toFixed(2)}, confidence ${m.confidence.toFixed(3)}, diversity ${m.diversity.toFixed(2)}; untrained same architecture fd ${u.fd.toFixed(2)}`);
  assert.ok(r.fd < m.fd && m.fd < u.fd, `real ${r.fd} < pretrained ${m.fd} < untrained ${u.fd}`);
});
