/** Exports and checkpoints written on one tfjs backend load on the other (native 'tensorflow' and pure-JS 'cpu'). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/backend/select.js';
import {
  createGan, disposeGan, GanTrainer, exportGenerator, loadGenerator, saveCheckpoint, loadCheckpoint, sample,
} from '../../src/gan/index.js';
import { blobs } from './helpers.js';

let native = 'cpu';
before(async () => { native = (await initBackend()).backend; });
after(async () => { await tf.setBackend(native); });

const tiny = { ngf: 8, ndf: 8, latentDim: 16, seed: 21 };
const pixels = (t: tf.Tensor) => { const v = Array.from(t.dataSync()); t.dispose(); return v; };
const maxDiff = (a: number[], b: number[]) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

test('a generator exported on either backend loads on the other and generates the same images', async () => {
  const backends = [native, 'cpu'];
  for (const [from, to] of [[backends[0]!, backends[1]!], [backends[1]!, backends[0]!]]) {
    await tf.setBackend(from);
    const gan = createGan(tiny);
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gankit-be-')), 'gen');
    await exportGenerator(gan.generator, dir);
    const want = pixels(sample(gan.generator, 2, { seed: 4 }));
    disposeGan(gan);
    await tf.setBackend(to);
    const loaded = await loadGenerator(dir);
    assert.equal(tf.getBackend(), to);
    const got = pixels(sample(loaded, 2, { seed: 4 }));
    assert.ok(maxDiff(got, want) < 1e-4, `${from} -> ${to}: ${maxDiff(got, want)}`);
    loaded.dispose();
  }
});

test('a checkpoint saved on the cpu backend resumes on the native one', async () => {
  await tf.setBackend('cpu');
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(1, 2), { snapshotEvery: 0 });
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gankit-be-')), 'ckpt');
  await saveCheckpoint(trainer, dir);
  const want = pixels(sample(trainer.gan.generator, 2, { seed: 4 }));
  await tf.setBackend(native);
  const resumed = await loadCheckpoint(dir);
  assert.equal(resumed.step, 1);
  assert.ok(maxDiff(pixels(sample(resumed.gan.generator, 2, { seed: 4 })), want) < 1e-4);
  await resumed.train(blobs(1, 2, 28, 1, 1), { snapshotEvery: 0 });
  assert.equal(resumed.history.length, 2);
  assert.ok(Number.isFinite(resumed.history[1]!.lossD));
  for (const t of [trainer, resumed]) { t.dispose(); disposeGan(t.gan); }
});
