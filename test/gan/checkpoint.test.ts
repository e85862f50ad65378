import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { promises as fsp, readdirSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend } from '../../src/backend/select.js';
import {
  type GanConfigInput, createGan, GanTrainer, disposeGan, saveCheckpoint, loadCheckpoint, restoreCheckpoint, exportGenerator, loadGenerator, sample,
} from '../../src/gan/index.js';
import { blobs, weightValues, optimizerValues, resign } from './helpers.js';

before(async () => { await initBackend(); });
const tiny: GanConfigInput = { ngf: 8, ndf: 8, latentDim: 16, seed: 11 };
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'gankit-ckpt-'));
const done = (...ts: GanTrainer[]) => { for (const t of ts) { t.dispose(); disposeGan(t.gan); } };

test('resuming from a checkpoint continues exactly like an uninterrupted run', async () => {
  for (const config of [tiny, { ...tiny, architecture: 'conditional' }] as GanConfigInput[]) {
    const labels = config.architecture === 'conditional';
    const full = new GanTrainer(createGan(config));
    await full.train(blobs(6, 8, 28, 1, 0, labels), { snapshotEvery: 2 });

    const first = new GanTrainer(createGan(config));
    await first.train(blobs(3, 8, 28, 1, 0, labels), { snapshotEvery: 2 });
    const dir = path.join(tmp(), 'ckpt');
    await saveCheckpoint(first, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'snapshots.bin', 'weights.bin']);
    const resumed = await loadCheckpoint(dir);
    assert.equal(resumed.step, 3);
    assert.deepEqual(resumed.history, first.history);
    assert.deepEqual(resumed.options, first.options);
    assert.deepEqual(resumed.gan.config, first.gan.config);
    assert.deepEqual(await optimizerValues(resumed.optimizerG), await optimizerValues(first.optimizerG));
    await resumed.train(blobs(3, 8, 28, 1, 3, labels), { snapshotEvery: 2 });

    assert.deepEqual(resumed.history, full.history);
    assert.deepEqual(weightValues(resumed.gan.generator), weightValues(full.gan.generator));
    assert.deepEqual(weightValues(resumed.gan.discriminator), weightValues(full.gan.discriminator));
    assert.deepEqual(await optimizerValues(resumed.optimizerD), await optimizerValues(full.optimizerD));
    assert.deepEqual(resumed.snapshots.map((s) => s.step), [2, 4, 6]);
    assert.deepEqual(resumed.snapshots.map((s) => s.pixels), full.snapshots.map((s) => s.pixels));
    done(full, first, resumed);
  }
});

test('restoreCheckpoint loads into an existing trainer without leaking the old optimizer state', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(2, 4), { snapshotEvery: 0 });
  const dir = path.join(tmp(), 'ckpt');
  await saveCheckpoint(trainer, dir);
  const saved = weightValues(trainer.gan.generator);
  await trainer.train(blobs(2, 4, 28, 1, 2), { snapshotEvery: 0 });
  const before = tf.memory().numTensors;
  await restoreCheckpoint(trainer, dir);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(trainer.step, 2);
  assert.equal(trainer.history.length, 2);
  assert.deepEqual(weightValues(trainer.gan.generator), saved);
  done(trainer);
});

test('a corrupt or mismatched checkpoint is a clear error and changes nothing', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(1, 4), { snapshotEvery: 1 });
  const dir = path.join(tmp(), 'ckpt');
  await saveCheckpoint(trainer, dir);
  const variant = async (name: string, change: (d: string) => Promise<void>) => {
    const d = path.join(tmp(), name);
    await fsp.cp(dir, d, { recursive: true });
    await change(d);
    return d;
  };
  // Edits re-sign the manifest (as a tool that rewrites it would), so the checks behind the checksum are tested too.
  const editManifest = (fn: (m: Record<string, unknown>) => void, sign = true) => async (d: string) => {
    const m = JSON.parse(await fsp.readFile(path.join(d, 'manifest.json'), 'utf8'));
    fn(m);
    if (sign) resign(m);
    await fsp.writeFile(path.join(d, 'manifest.json'), JSON.stringify(m));
  };
  const cases: [string, (d: string) => Promise<void>, RegExp][] = [
    ['truncated', async (d) => { await fsp.truncate(path.join(d, 'weights.bin'), 1000); }, /Corrupt checkpoint at .*weights.bin has 1000 bytes, expected \d+ \(truncated/],
    ['flipped', async (d) => { const f = await fsp.readFile(path.join(d, 'weights.bin')); f[10] = f[10]! ^ 0xff; await fsp.writeFile(path.join(d, 'weights.bin'), f); }, /weights.bin does not match its SHA-256/],
    ['badjson', async (d) => { await fsp.writeFile(path.join(d, 'manifest.json'), '{"format": "gankit-checkpoint", '); }, /Corrupt checkpoint at .*manifest.json is not valid JSON/],
    ['noweights', async (d) => { await fsp.rm(path.join(d, 'weights.bin')); }, /Corrupt checkpoint at .*weights.bin is missing/],
    ['nosnapshots', async (d) => { await fsp.rm(path.join(d, 'snapshots.bin')); }, /snapshots.bin is missing/],
    ['format', editManifest((m) => { m.format = 'keras'; }), /manifest.json format is "keras", expected "gankit-checkpoint"/],
    ['history', editManifest((m) => { m.step = 5; }), /history has 1 records for 5 steps/],
    ['config', editManifest((m) => { (m.config as Record<string, unknown>).imageSize = 30; }), /its config is invalid: Expected one of 28, 32, 64 for imageSize/],
    ['shapes', editManifest((m) => { (m.config as Record<string, unknown>).ngf = 16; }), /does not match the generator: weight 0 \(.*\) has shape \[7,7,16,16\] in the checkpoint, \[7,7,32,16\] in the model/],
    ['entry', editManifest((m) => { (m.tensors as { length: number }[])[0]!.length = 12; }), /tensors\[0\]\.length is 12, expected \d+ \(4 bytes for each value of shape/],
    ['unsigned', editManifest((m) => { m.epoch = 1; }, false), /manifest.json does not match its own SHA-256 \(manifestSha256\): it was altered after saving/],
    ['nosum', editManifest((m) => { delete m.manifestSha256; }, false), /manifestSha256 is missing/],
    ['offset', editManifest((m) => { (m.tensors as { offset: number }[])[1]!.offset += 4; }), /tensors\[1\]\.offset is \d+, expected \d+ \(entries follow each other in weights.bin without gaps or overlaps\)/],
    ['swap', editManifest((m) => { const t = m.tensors as unknown[]; [t[2], t[3]] = [t[3], t[2]]; }), /tensors\[2\]\.index is 3, expected 2/],
    ['names', editManifest((m) => { const t = m.tensors as { name: string; shape: number[] }[]; const a = t.findIndex((x) => x.name.endsWith('gamma')); [t[a]!.name, t[a + 1]!.name] = [t[a + 1]!.name, t[a]!.name]; }), /does not match the (generator|discriminator): weight \d+ is ".*beta" in the checkpoint, ".*gamma" in the model/],
    ['lr', editManifest((m) => { (m.trainer as Record<string, unknown>).lr = 5; }), /its trainer options are invalid: Expected number in \(0, 1\] for lr but received 5/],
    ['trainer missing', editManifest((m) => { delete (m.trainer as Record<string, unknown>).seed; }), /trainer.seed is missing/],
    ['config missing', editManifest((m) => { delete (m.config as Record<string, unknown>).discriminatorNorm; }), /config.discriminatorNorm is missing/],
    ['record step', editManifest((m) => { (m.history as { step: number }[])[0]!.step = 7; }), /history\[0\]\.step is 7, expected 1/],
    ['epoch', editManifest((m) => { (m.history as { epoch: number }[])[0]!.epoch = 3; }), /epoch is 0, but the last history record is in epoch 3/],
    ['extra', editManifest((m) => { m.extra = 1; }), /manifest.json has an unknown field "extra"/],
    ['snapshot step', editManifest((m) => { (m.snapshots as { step: number }[])[0]!.step = 9; }), /snapshots\[0\]\.step is 9, expected an integer in \[0, 1\]/],
    ['snapshot shape', editManifest((m) => { const s = (m.snapshots as { shape: number[] }[])[0]!; s.shape = [s.shape[0]! * 28, 1, 28, 1]; }), /snapshots\[0\]\.shape is \[\d+,1,28,1\], expected \[64,28,28,1\]/],
  ];
  for (const [name, change, re] of cases) {
    await assert.rejects(loadCheckpoint(await variant(name, change)), re, name);
  }
  await assert.rejects(loadCheckpoint(path.join(tmp(), 'nothing')), /No checkpoint at .*manifest.json is missing/);
  // never replaces a directory that is not a checkpoint
  const busy = tmp();
  await fsp.writeFile(path.join(busy, 'notes.txt'), 'mine');
  await assert.rejects(saveCheckpoint(trainer, busy), /Cannot write a checkpoint to .*: the directory holds other files \(notes.txt\); choose a new or empty directory/);
  await assert.rejects(exportGenerator(trainer.gan.generator, busy), /Cannot write a generator to/);
  assert.deepEqual(readdirSync(busy), ['notes.txt']);
  await assert.rejects(loadCheckpoint(dir, { expect: { imageSize: 64 } }), /does not match the expected architecture: imageSize is 28 in the checkpoint, expected 64/);

  const before = tf.memory().numTensors;
  const other = new GanTrainer(createGan({ ...tiny, ngf: 16 }));
  const w = weightValues(other.gan.generator);
  await assert.rejects(restoreCheckpoint(other, dir), /does not match this GAN: checkpoint config .*"ngf":8.*model config .*"ngf":16/);
  const flipped = await variant('flipped2', async (d) => { const f = await fsp.readFile(path.join(d, 'weights.bin')); f[0] = f[0]! ^ 1; await fsp.writeFile(path.join(d, 'weights.bin'), f); });
  const same = new GanTrainer(createGan(tiny));
  const w2 = weightValues(same.gan.generator);
  await assert.rejects(restoreCheckpoint(same, flipped), /SHA-256/);
  assert.deepEqual(weightValues(other.gan.generator), w);
  assert.deepEqual(weightValues(same.gan.generator), w2);
  assert.equal(other.step + same.step, 0);
  done(other, same);
  assert.equal(tf.memory().numTensors, before, 'failed loads leak nothing');
  done(trainer);
});

test('a failure while saving leaves the previous checkpoint intact and no temp files', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(1, 4), { snapshotEvery: 0 });
  const parent = tmp();
  const dir = path.join(parent, 'ckpt');
  await saveCheckpoint(trainer, dir);
  const manifest = await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8');
  await trainer.train(blobs(1, 4, 28, 1, 1), { snapshotEvery: 0 });
  const original = { writeFile: fsp.writeFile, rename: fsp.rename, rm: fsp.rm };
  const patch = (name: keyof typeof original, fn: (...args: never[]) => Promise<void>) => { (fsp as Record<string, unknown>)[name] = fn; };
  const restore = () => { for (const k of Object.keys(original) as (keyof typeof original)[]) patch(k, original[k] as never); };
  try {
    // (a) the disk fills up half-way through writing the new weights
    patch('writeFile', async (file: string, data: Uint8Array) => {
      await original.writeFile(file, data.subarray(0, 100));
      throw Object.assign(new Error('ENOSPC: no space left on device (simulated)'), { code: 'ENOSPC' });
    });
    await assert.rejects(saveCheckpoint(trainer, dir), /ENOSPC/);
    restore();
    assert.equal(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'), manifest, 'old checkpoint untouched');
    assert.deepEqual(readdirSync(parent), ['ckpt'], 'no temp directories left');

    // (b) the process dies between moving the old checkpoint aside and moving the new one in:
    // nothing after the first rename runs (no rollback, no cleanup).
    let renames = 0;
    let dead = false;
    patch('rename', async (from: string, to: string) => {
      if (++renames > 1) { dead = true; throw new Error('killed (simulated)'); }
      await original.rename(from, to);
    });
    patch('rm', async (p: string, o: object) => { if (dead) throw new Error('killed (simulated)'); await original.rm(p, o); });
    await assert.rejects(saveCheckpoint(trainer, dir), /killed/);
    restore();
    assert.equal(existsSync(dir), false, 'the crash left no checkpoint at the path itself');
    assert.equal(readdirSync(parent).length, 2, `the old checkpoint and the new temp directory: ${readdirSync(parent)}`);
    const recovered = await loadCheckpoint(dir);
    assert.equal(recovered.step, 1, 'loading falls back to the previous checkpoint');
    // the next save puts a complete checkpoint in place and clears the leftovers
    await saveCheckpoint(trainer, dir);
    assert.deepEqual(readdirSync(parent), ['ckpt']);
    const loaded = await loadCheckpoint(dir);
    assert.equal(loaded.step, 2);
    done(recovered, loaded);
  } finally {
    restore();
  }
  done(trainer);
});

test('generators export as TF.js Layers models that tf.loadLayersModel reads (file:// and from memory)', async () => {
  for (const config of [tiny, { ...tiny, architecture: 'conditional' }, { ...tiny, architecture: 'mlp' }] as GanConfigInput[]) {
    const gan = createGan(config);
    const dir = path.join(tmp(), 'gen');
    await exportGenerator(gan.generator, dir, { dataset: 'synthetic' });
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    assert.deepEqual(json.userDefinedMetadata, { gankit: { latentDim: 16, dataset: 'synthetic' } });
    // tfjs's own loader (tfjs-node's file:// handler; a browser uses http(s):// the same way)
    const viaUrl = await tf.loadLayersModel(pathToFileURL(path.join(dir, 'model.json')).href);
    const viaHelper = await loadGenerator(dir);
    for (const loaded of [viaUrl, viaHelper]) {
      const opts = config.architecture === 'conditional' ? { seed: 5, labels: [1, 2, 3] } : { seed: 5 };
      const a = sample(gan.generator, 3, opts);
      const b = sample(loaded, 3, opts);
      assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!) < 1e-6);
      tf.dispose([a, b]);
      loaded.dispose();
    }
    await fsp.truncate(path.join(dir, 'weights.bin'), 100);
    await assert.rejects(loadGenerator(dir), /Generator weights in .* have 100 bytes, expected \d+ \(truncated or mismatched\)/);
    await assert.rejects(loadGenerator(path.join(dir, 'missing')), /Cannot read generator .*model.json/);
    disposeGan(gan);
  }
});

test('version 2 checkpoints (no manifest checksum) still load; non-finite losses survive a save', async () => {
  const trainer = new GanTrainer(createGan(tiny));
  await trainer.train(blobs(2, 4), { snapshotEvery: 1 });
  trainer.history[0]!.lossD = NaN;
  trainer.history[1]!.lossG = -Infinity;
  const dir = path.join(tmp(), 'ckpt');
  await saveCheckpoint(trainer, dir);
  const m = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(m.version, 3);
  assert.equal(m.history[0].lossD, 'NaN');
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(loaded.history, trainer.history);
  assert.ok(Number.isNaN(loaded.history[0]!.lossD));

  // the same checkpoint as gankit 0.1's version 2 wrote it: no manifestSha256, NaN as null
  delete m.manifestSha256;
  m.version = 2;
  m.history[0].lossD = null;
  m.history[1].lossG = -1;
  trainer.history[1]!.lossG = -1;
  await fsp.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
  const old = await loadCheckpoint(dir);
  assert.deepEqual(old.history, trainer.history);
  assert.deepEqual(weightValues(old.gan.generator), weightValues(trainer.gan.generator));
  assert.deepEqual(await optimizerValues(old.optimizerD), await optimizerValues(trainer.optimizerD));
  // a version 2 manifest still gets every other check
  m.history[1].step = 5;
  await fsp.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
  await assert.rejects(loadCheckpoint(dir), /history\[1\]\.step is 5, expected 2/);
  m.history[1].step = 2;
  m.manifestSha256 = '0'.repeat(64);
  await fsp.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
  await assert.rejects(loadCheckpoint(dir), /manifest.json has an unknown field "manifestSha256"/);
  done(trainer, loaded, old);
});
