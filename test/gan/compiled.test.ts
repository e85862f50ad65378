/**
 * The compiled training step (src/gan/compiled): one TensorFlow graph per step against the eager
 * tfjs step. These tests need gankit_tfgraph (scripts/build-tfgraph.sh, run by setup): without it
 * the first test fails and mode 'graph' throws, nothing is skipped.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  createGan, disposeGan, GanTrainer, saveCheckpoint, loadCheckpoint, tfgraphStatus,
  type GanConfigInput, type LossName, type StepRecord, type TrainerOptions,
} from '../../src/gan/index.js';
import { tfgraphAddon, type GraphHandle } from '../../src/gan/compiled/native.js';
import { GankitError } from '../../src/util/errors.js';
import { blobBatch, blobs, weightValues, maxDiff, optimizerValues } from './helpers.js';

before(async () => { await initBackend({ backend: 'tensorflow' }); });

const KEYS = ['lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const;

/** Train `steps` steps of batch `n` on blob batches; returns the trainer (dispose it and its gan). */
function trained(config: GanConfigInput, options: TrainerOptions, steps: number, n = 8): GanTrainer {
  const t = new GanTrainer(createGan(config), options);
  const c = t.gan.config;
  for (const b of blobs(steps, n, c.imageSize, c.channels, 0, c.architecture === 'conditional')) {
    const { images, labels } = b instanceof tf.Tensor ? { images: b, labels: undefined } : b;
    t.trainStep(images, labels);
    tf.dispose([images, labels!].filter(Boolean));
  }
  return t;
}

function done(...ts: GanTrainer[]): void {
  for (const t of ts) { t.dispose(); disposeGan(t.gan); }
}

/**
 * Largest difference between two histories, relative to 1 + |eager value|. Both modes run the same
 * float32 ops, but the graph's kernels (oneDNN, fused by TF's graph optimiser, a MatMul where a
 * convolution's kernel covers its whole input, TF's fused Adam) sum and round in other orders: each
 * op differs by a few ulps, and the first records agree to ~1e-6 (measured: 5e-7 to 4e-6 over the
 * first 14 steps of the 64x64 model). Adam divides by sqrt(v), so near-zero gradients turn such
 * differences into weight changes up to lr (2e-4) per step, and these tiny models are chaotic: over
 * 20 steps their records drift apart by 1e-4 to 2.4e-2 (the 64x64 model with ngf 4 and the hinge
 * loss the most). So the first 5 records must agree to 1e-4, which any different step (another loss,
 * label or optimizer term: the losses are ~0.5 to ~2) breaks at once, and all 20 to 5e-2; the
 * weights, BatchNorm statistics included, must agree to 5e-3 (they start at N(0, 0.02) and N(1, 0.02)).
 */
function historyDiff(a: StepRecord[], b: StepRecord[]): number {
  let m = 0;
  a.forEach((r, i) => { for (const k of KEYS) m = Math.max(m, Math.abs(r[k] - b[i]![k]) / (1 + Math.abs(b[i]![k]))); });
  return m;
}

test('gankit_tfgraph is built and loads (setup builds it)', () => {
  assert.ok(tfgraphAddon(), tfgraphStatus());
  const t = new GanTrainer(createGan({ ngf: 4, ndf: 4 }));
  assert.equal(t.mode, 'graph', t.modeReason);
  assert.match(t.modeReason, /one TensorFlow graph/);
  done(t);
});

const CONFIGS: [string, GanConfigInput][] = [
  ['dcgan 28', { ngf: 8, ndf: 8, latentDim: 16, seed: 3 }],
  ['dcgan 32 rgb', { imageSize: 32, channels: 3, ngf: 8, ndf: 8, latentDim: 16, seed: 3 }],
  ['dcgan 64 rgb', { imageSize: 64, channels: 3, ngf: 4, ndf: 4, latentDim: 16, seed: 3 }],
  ['mlp', { architecture: 'mlp', ngf: 8, ndf: 8, latentDim: 16, seed: 3 }],
  ['conditional', { architecture: 'conditional', ngf: 8, ndf: 8, latentDim: 16, seed: 3 }],
];

for (const [name, config] of CONFIGS) {
  test(`graph and eager histories agree for 20 steps: ${name}, bce / lsgan / hinge`, () => {
    for (const loss of ['bce', 'lsgan', 'hinge'] as LossName[]) {
      const g = trained(config, { loss, mode: 'graph', seed: 9 }, 20);
      const e = trained(config, { loss, mode: 'eager', seed: 9 }, 20);
      assert.equal(g.mode, 'graph');
      assert.equal(e.mode, 'eager');
      const first = historyDiff(g.history.slice(0, 5), e.history.slice(0, 5));
      assert.ok(first < 1e-4, `${name} ${loss}: the first 5 records differ by ${first}`);
      const d = historyDiff(g.history, e.history);
      assert.ok(d < 5e-2, `${name} ${loss}: histories differ by ${d}`);
      assert.ok(maxDiff(weightValues(g.gan.generator), weightValues(e.gan.generator)) < 5e-3, `${name} ${loss}: G weights differ`);
      done(g, e);
    }
  });
}

test('graph and eager agree for WGAN-GP (second-order gradients in the graph) on a LayerNorm critic and a critic without norm', () => {
  for (const norm of ['layer', 'none'] as const) {
    const config: GanConfigInput = { ngf: 8, ndf: 8, latentDim: 16, seed: 3, discriminatorNorm: norm };
    const g = trained(config, { loss: 'wgan-gp', mode: 'graph', seed: 9 }, 20);
    const e = trained(config, { loss: 'wgan-gp', mode: 'eager', seed: 9 }, 20);
    // The penalty (~10 at the start) and its gradient of a gradient amplify the ulp differences: relative 2e-2.
    const d = historyDiff(g.history, e.history);
    assert.ok(d < 2e-2, `wgan-gp ${norm}: histories differ by ${d}`);
    done(g, e);
  }
});

test('a layer that cannot be lowered: auto trains eagerly and names it, graph throws naming it, eager says it was asked', () => {
  const gan = createGan({ architecture: 'mlp', ngf: 8, ndf: 8, latentDim: 16 });
  // A user's own discriminator: the same kind of layers plus a Dropout, which is not compiled.
  const image = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.flatten().apply(image) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 32, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.3, name: 'my_dropout' }).apply(x) as tf.SymbolicTensor;
  const logit = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
  const mine = { ...gan, discriminator: tf.model({ inputs: image, outputs: logit, name: 'my_critic' }) };
  const auto = new GanTrainer(mine);
  assert.equal(auto.mode, 'eager');
  assert.match(auto.modeReason, /layer 'my_dropout' \(Dropout\) of my_critic has no graph lowering/);
  assert.throws(() => new GanTrainer(mine, { mode: 'graph' }), (e: Error) => e instanceof GankitError && /my_dropout/.test(e.message));
  const eager = new GanTrainer(gan, { mode: 'eager' });
  assert.equal(eager.mode, 'eager');
  assert.match(eager.modeReason, /'eager' was asked for/);
  // The same layers without the Dropout, in a user's own tf.model, compile.
  const image2 = tf.input({ shape: [28, 28, 1] });
  let y = tf.layers.flatten().apply(image2) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 32, activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(y) as tf.SymbolicTensor;
  const own = { ...gan, discriminator: tf.model({ inputs: image2, outputs: tf.layers.dense({ units: 1 }).apply(y) as tf.SymbolicTensor }) };
  const compiled = new GanTrainer(own, { mode: 'graph' });
  const b = blobBatch(0, 8) as tf.Tensor4D;
  assert.ok(Number.isFinite(compiled.trainStep(b).lossD));
  b.dispose();
  for (const t of [auto, eager, compiled]) t.dispose();
  mine.discriminator.dispose();
  own.discriminator.dispose();
  disposeGan(gan);
});

test('GANKIT_TRAIN_MODE overrides the option; bad modes and thread settings are GankitErrors naming the parameter and range', () => {
  const gan = createGan({ ngf: 4, ndf: 4, latentDim: 8 });
  process.env.GANKIT_TRAIN_MODE = 'eager';
  try {
    const t = new GanTrainer(gan, { mode: 'graph' });
    assert.equal(t.mode, 'eager');
    assert.match(t.modeReason, /GANKIT_TRAIN_MODE=eager/);
    t.dispose();
    process.env.GANKIT_TRAIN_MODE = 'fast';
    assert.throws(() => new GanTrainer(gan), /Expected one of 'auto', 'graph', 'eager' for GANKIT_TRAIN_MODE but received "fast"/);
  } finally {
    delete process.env.GANKIT_TRAIN_MODE;
  }
  assert.throws(() => new GanTrainer(gan, { mode: 'fast' as never }), /for mode but received "fast"/);
  assert.throws(() => new GanTrainer(gan, { threads: { intraOp: -1 } }), (e: Error) => e instanceof GankitError && /integer in \[0, 256\].* for threads\.intraOp but received -1/.test(e.message));
  assert.throws(() => new GanTrainer(gan, { threads: { interOp: 1.5 } }), /for threads\.interOp but received 1\.5/);
  assert.throws(() => new GanTrainer(gan, { threads: { intra: 1 } as never }), /Expected one of 'intraOp', 'interOp' for threads key but received "intra"/);
  assert.throws(() => new GanTrainer(gan, { threads: 2 as never }), /for threads but received 2/);
  process.env.GANKIT_INTRA_OP_THREADS = 'two';
  try {
    assert.throws(() => new GanTrainer(gan), /for GANKIT_INTRA_OP_THREADS but received "two"/);
  } finally {
    delete process.env.GANKIT_INTRA_OP_THREADS;
  }
  // The intra-op pool is TensorFlow's per process: asking the trainer for another size is an error.
  const pool = os.availableParallelism();
  assert.throws(() => new GanTrainer(gan, { threads: { intraOp: pool + 1 } }), (e: Error) => e instanceof GankitError && /once per process/.test(e.message) && /GANKIT_INTRA_OP_THREADS/.test(e.message));
  const ok = new GanTrainer(gan, { threads: { intraOp: pool, interOp: 1 } });
  assert.deepEqual(ok.threads, { intraOp: pool, interOp: 1 });
  const b = blobBatch(0, 4) as tf.Tensor4D;
  assert.ok(Number.isFinite(ok.trainStep(b).lossG));
  b.dispose();
  ok.dispose();
  disposeGan(gan);
});

test('a seed gives identical graph histories; a stopped and resumed graph run equals the uninterrupted one', async () => {
  const config = { ngf: 8, ndf: 8, latentDim: 16, seed: 4 };
  const a = trained(config, { mode: 'graph', seed: 2 }, 10);
  const b = trained(config, { mode: 'graph', seed: 2 }, 10);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(weightValues(a.gan.generator), weightValues(b.gan.generator));
  // Interrupted by stop() after step 4, then continued: the same as 8 steps in one go.
  const whole = new GanTrainer(createGan(config), { mode: 'graph', seed: 2 });
  await whole.train(blobs(8, 8), { snapshotEvery: 0 });
  const parts = new GanTrainer(createGan(config), { mode: 'graph', seed: 2 });
  const r = await parts.train(blobs(8, 8), { snapshotEvery: 0, onStep: (rec) => { if (rec.step === 4) parts.stop(); } });
  assert.deepEqual(r, { steps: 4, stopped: true, reason: 'stop' });
  await parts.train(blobs(4, 8, 28, 1, 4), { snapshotEvery: 0 });
  assert.deepEqual(parts.history, whole.history);
  assert.deepEqual(await optimizerValues(parts.optimizerG), await optimizerValues(whole.optimizerG));
  done(a, b, whole, parts);
});

test('checkpoints: graph -> eager and eager -> graph load the same state; graph resume from a checkpoint is exact', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gankit-compiled-'));
  try {
    const config = { ngf: 8, ndf: 8, latentDim: 16, seed: 6 };
    const batches = (from: number, count: number) => blobs(count, 8, 28, 1, from);
    const full = new GanTrainer(createGan(config), { mode: 'graph' });
    await full.train(batches(0, 6), { snapshotEvery: 3 });

    const first = new GanTrainer(createGan(config), { mode: 'graph' });
    await first.train(batches(0, 3), { snapshotEvery: 3 });
    await saveCheckpoint(first, path.join(dir, 'g'));
    // graph -> graph: exact
    const resumed = await loadCheckpoint(path.join(dir, 'g'), { mode: 'graph' });
    assert.equal(resumed.mode, 'graph');
    await resumed.train(batches(3, 3), { snapshotEvery: 3 });
    assert.deepEqual(resumed.history, full.history);
    assert.deepEqual(weightValues(resumed.gan.generator), weightValues(full.gan.generator));
    assert.deepEqual(await optimizerValues(resumed.optimizerD), await optimizerValues(full.optimizerD));
    assert.deepEqual(resumed.snapshots.map((s) => s.step), [3, 6]);
    // graph -> eager: the same weights and optimizer state, and it continues within the tolerance
    const eager = await loadCheckpoint(path.join(dir, 'g'), { mode: 'eager' });
    assert.equal(eager.mode, 'eager');
    assert.deepEqual(weightValues(eager.gan.generator), weightValues(first.gan.generator));
    assert.deepEqual(await optimizerValues(eager.optimizerG), await optimizerValues(first.optimizerG));
    await eager.train(batches(3, 3), { snapshotEvery: 0 });
    assert.ok(historyDiff(eager.history, full.history) < 1.5e-2);
    // eager -> graph
    await saveCheckpoint(eager, path.join(dir, 'e'));
    const back = await loadCheckpoint(path.join(dir, 'e'), { mode: 'graph' });
    assert.deepEqual(weightValues(back.gan.discriminator), weightValues(eager.gan.discriminator));
    await back.train(batches(6, 2), { snapshotEvery: 0 });
    assert.equal(back.step, 8);
    assert.ok(back.history.every((h) => Number.isFinite(h.lossD)));
    done(full, first, resumed, eager, back);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('callbacks, snapshots and the end of train() see the current weights; stop() and an AbortSignal end after the current step', async () => {
  const config = { ngf: 8, ndf: 8, latentDim: 16, seed: 8 };
  const t = new GanTrainer(createGan(config), { mode: 'graph', seed: 1 });
  const ref = new GanTrainer(createGan(config), { mode: 'graph', seed: 1 });
  const seen: number[][][] = [];
  const refSeen: number[][][] = [];
  const controller = new AbortController();
  const r = await t.train(blobs(10, 8), {
    snapshotEvery: 2,
    onStep: (rec) => { seen.push(weightValues(t.gan.generator)); if (rec.step === 5) controller.abort(); },
    signal: controller.signal,
  });
  assert.deepEqual(r, { steps: 5, stopped: true, reason: 'signal' });
  // trainStep() syncs after each step: the weights seen in onStep are those after each step.
  for (const b of blobs(5, 8)) { ref.trainStep(b as tf.Tensor4D); (b as tf.Tensor).dispose(); refSeen.push(weightValues(ref.gan.generator)); }
  assert.deepEqual(seen, refSeen);
  assert.notDeepEqual(seen[0], seen[1]);
  assert.deepEqual(t.snapshots.map((s) => s.step), [2, 4]);
  // A snapshot taken now from the models equals one generated from the reference's models.
  const a = await t.snapshot();
  const b = await ref.snapshot();
  assert.deepEqual(a.pixels, b.pixels);
  done(t, ref);
});

test('no tensor leaks over 200 graph steps; dispose frees the compiled step', async () => {
  const t = new GanTrainer(createGan({ ngf: 4, ndf: 4, latentDim: 8 }), { mode: 'graph' });
  await t.train(blobs(10, 4), { snapshotEvery: 0 });
  void t.optimizerG; // the first copy of the graph's Adam state creates the tfjs moments (as an eager step does)
  const before = tf.memory().numTensors;
  await t.train(blobs(200, 4, 28, 1, 10), { snapshotEvery: 50, onStep: () => {} });
  assert.equal(t.step, 210);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked over 200 graph steps');
  const weights = weightValues(t.gan.generator);
  t.dispose();
  // dispose() leaves the models with the trained weights
  assert.deepEqual(weightValues(t.gan.generator), weights);
  t.dispose(); // twice is harmless
  disposeGan(t.gan);
});

test('the default DCGAN compiles its edge layers to MatMul and Adam to one fused op per weight (graphDef shows the graph)', () => {
  const t = new GanTrainer(createGan({ seed: 1 }), { mode: 'graph', seed: 1 });
  const [images] = [...blobs(1, 4)] as tf.Tensor4D[];
  t.trainStep(images!);
  images!.dispose();
  const { compiled } = t as unknown as { compiled: { g: { handle: GraphHandle } } };
  const text = tfgraphAddon()!.graphDef(compiled.g.handle).toString('latin1');
  const count = (op: string) => text.split(`\u0012${String.fromCharCode(op.length)}${op}`).length - 1;
  // G's 7x7 transposed conv from one pixel and D's 7x7 valid conv on 7x7 become MatMuls (the model has no Dense layer):
  // G's forward, D's forward on x, G(z) and G(z) again, and their gradients.
  assert.ok(count('MatMul') >= 4, `MatMul ops: ${count('MatMul')}`);
  assert.equal(count('ResourceApplyAdam'), t.gan.generator.trainableWeights.length + t.gan.discriminator.trainableWeights.length);
  t.dispose();
  disposeGan(t.gan);
});
