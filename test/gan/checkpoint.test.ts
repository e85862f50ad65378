import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { promises as fsp, readdirSync, existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/backend/select.js';
import {
  createGan, GanTrainer, disposeGan, saveCheckpoint, loadCheckpoint, restoreCheckpoint, exportGenerator, loadGenerator,
} from '../../src/gan/index.js';
import { blobs, weightValues } from './helpers.js';

before(async () => { await initBackend(); });
const tiny = { ngf: 8, ndf: 8, latentDim: 16, seed: 11 };
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'gankit-ckpt-'));

test('resuming from a checkpoint continues exactly like an uninterrupted run', async () => {
  const full = new GanTrainer(createGan(tiny));
  await full.train(blobs(6, 8), { snapshotEvery: 0 });

  const first = new GanTrainer(createGan(tiny));
  await first.train(blobs(3, 8), { snapshotEvery: 0 });
  const dir = path.join(tmp(), 'ckpt');
  await saveCheckpoint(first, dir);
  const resumed = await loadCheckpoint(dir);
  assert.equal(resumed.step, 3);
  assert.deepEqual(resumed.history, first.history);
  await resumed.train(blobs(3, 8, 28, 1, 3), { snapshotEvery: 0 });

  assert.deepEqual(resumed.history, full.history);
  assert.deepEqual(weightValues(resumed.gan.generator), weightValues(full.gan.generator));
  assert.deepEqual(weightValues(resumed.gan.discriminator), weightValues(full.gan.discriminator));
  for (const t of [full, first, resumed]) { t.dispose(); disposeGan(t.gan); }
});

test('a corrupt or mismatched checkpoint is a clear error and changes nothing', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(1, 4), { snapshotEvery: 0 });
  const dir = path.join(tmp(), 'ckpt');
  await saveCheckpoint(trainer, dir);

  const truncated = path.join(tmp(), 'truncated');
  await fsp.cp(dir, truncated, { recursive: true });
  const w = await fsp.readFile(path.join(truncated, 'weights.bin'));
  await fsp.writeFile(path.join(truncated, 'weights.bin'), w.subarray(0, w.length - 100));
  await assert.rejects(loadCheckpoint(truncated), /Corrupt checkpoint at .*weights.bin has \d+ bytes, expected \d+ \(truncated/);

  const flipped = path.join(tmp(), 'flipped');
  await fsp.cp(dir, flipped, { recursive: true });
  const f = await fsp.readFile(path.join(flipped, 'weights.bin'));
  f[10] = f[10]! ^ 0xff;
  await fsp.writeFile(path.join(flipped, 'weights.bin'), f);
  await assert.rejects(loadCheckpoint(flipped), /does not match its SHA-256/);

  const badJson = path.join(tmp(), 'badjson');
  await fsp.cp(dir, badJson, { recursive: true });
  await fsp.writeFile(path.join(badJson, 'manifest.json'), '{"format": "gankit-checkpoint", ');
  await assert.rejects(loadCheckpoint(badJson), /Corrupt checkpoint at .*manifest.json is not valid JSON/);

  await assert.rejects(loadCheckpoint(path.join(tmp(), 'nothing')), /No checkpoint at .*manifest.json is missing/);

  const other = new GanTrainer(createGan({ ...tiny, ngf: 16 }));
  const before = weightValues(other.gan.generator);
  await assert.rejects(restoreCheckpoint(other, dir), /does not match this GAN: checkpoint config .*"ngf":8.*model config .*"ngf":16/);
  assert.deepEqual(weightValues(other.gan.generator), before);
  assert.equal(other.step, 0);
  for (const t of [trainer, other]) { t.dispose(); disposeGan(t.gan); }
});

test('a failure while saving leaves the previous checkpoint intact and no temp files', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(1, 4), { snapshotEvery: 0 });
  const parent = tmp();
  const dir = path.join(parent, 'ckpt');
  await saveCheckpoint(trainer, dir);
  const manifest = await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8');
  await trainer.train(blobs(1, 4, 28, 1, 1), { snapshotEvery: 0 });
  const rename = fsp.rename;
  (fsp as { rename: typeof rename }).rename = async () => { throw Object.assign(new Error('simulated crash'), { code: 'EIO' }); };
  try {
    await assert.rejects(saveCheckpoint(trainer, dir), /simulated crash/);
  } finally {
    (fsp as { rename: typeof rename }).rename = rename;
  }
  assert.equal(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'), manifest, 'old checkpoint untouched');
  assert.deepEqual(readdirSync(parent), ['ckpt'], 'no temp directories left');
  const loaded = await loadCheckpoint(dir);
  assert.equal(loaded.step, 1);
  for (const t of [trainer, loaded]) { t.dispose(); disposeGan(t.gan); }
});

test('generators export as a TF.js Layers model that tf.loadLayersModel reads', async () => {
  const gan = createGan(tiny);
  const dir = path.join(tmp(), 'gen');
  await exportGenerator(gan.generator, dir, { dataset: 'synthetic' });
  assert.ok(existsSync(path.join(dir, 'model.json')) && existsSync(path.join(dir, 'weights.bin')));
  const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
  const loaded = await loadGenerator(dir);
  const z = tf.randomNormal([3, 16], 0, 1, 'float32', 5);
  const a = gan.generator.predict(z) as tf.Tensor;
  const b = loaded.predict(z) as tf.Tensor;
  assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! < 1e-6);
  tf.dispose([z, a, b]);
  await fsp.truncate(path.join(dir, 'weights.bin'), 100);
  await assert.rejects(loadGenerator(dir), /Generator weights in .* have 100 bytes, expected \d+/);
  loaded.dispose(); disposeGan(gan);
});
