import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { GankitError } from '../../src/util/errors.js';
import { createGan, disposeGan, numClassesOf, sample, PRETRAINED, loadPretrained, pretrainedDir } from '../../src/gan/index.js';
import { PRETRAINED_DIR_ENV, PRETRAINED_NAMES } from '../../src/gan/pretrained.js';

let tmp: string;
before(async () => {
  await initBackend();
  tmp = await mkdtemp(join(tmpdir(), 'gankit-pretrained-'));
});
after(async () => { await rm(tmp, { recursive: true, force: true }); });

test('the registry lists the three pretrained generators', () => {
  assert.deepEqual(PRETRAINED_NAMES, ['mnist-dcgan', 'fashion-mnist-dcgan', 'mnist-conditional']);
  for (const name of PRETRAINED_NAMES) {
    const info = PRETRAINED[name]!;
    assert.ok(info.description.length > 10);
    assert.match(info.training.commands[0]!, new RegExp(`^gankit train --dataset ${info.dataset} .*--export models/pretrained/${name}$`));
    assert.equal(info.training.steps, info.training.epochs * 937);
    assert.ok(pretrainedDir(name).endsWith(join('models', 'pretrained', name)));
  }
});

for (const name of ['mnist-dcgan', 'fashion-mnist-dcgan', 'mnist-conditional']) {
  test(`loadPretrained('${name}'): shapes, range, determinism, and weights that match meta.json`, async () => {
    const info = PRETRAINED[name]!;
    const dir = pretrainedDir(name);
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
    assert.deepEqual(meta.config, info.config);
    assert.equal(meta.dataset.name, info.dataset);
    assert.equal(meta.batchSize, info.training.batchSize);
    assert.equal(meta.steps, info.training.steps);
    assert.equal(meta.epochs, info.training.epochs);
    assert.deepEqual(meta.commands, info.training.commands); // the registry says exactly how it was made
    assert.ok(Number.isFinite(meta.finalLosses.lossD) && Number.isFinite(meta.finalLosses.lossG));
    assert.ok(meta.wallSeconds > 0);

    const before = tf.memory().numTensors;
    const g = await loadPretrained(name);
    assert.deepEqual(g.inputs[0]!.shape, [null, 100]);
    assert.deepEqual(g.outputs[0]!.shape, [null, 28, 28, 1]);
    assert.equal(numClassesOf(g), info.config.numClasses);
    // Same architecture as createGan(config): same weight shapes, in order.
    const gan = createGan(info.config);
    assert.deepEqual(g.weights.map((w) => w.shape), gan.generator.weights.map((w) => w.shape));
    disposeGan(gan);
    const params = g.weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
    assert.equal((await stat(join(dir, 'weights.bin'))).size, params * 4);
    assert.ok(params < 600_000, `${params} parameters`); // 347k (dcgan), 505k (conditional): the 7x7 projection dominates

    const a = sample(g, 8, { seed: 11 });
    const b = sample(g, 8, { seed: 11 });
    const c = sample(g, 8, { seed: 12 });
    assert.deepEqual(a.shape, [8, 28, 28, 1]);
    const [lo, hi] = tf.tidy(() => [a.min().dataSync()[0]!, a.max().dataSync()[0]!]);
    assert.ok(lo >= -1 && hi <= 1 && hi - lo > 1, `range [${lo}, ${hi}]`); // tanh output with real contrast
    assert.deepEqual(a.dataSync(), b.dataSync());
    assert.notDeepEqual(a.dataSync(), c.dataSync());
    tf.dispose([a, b, c]);
    g.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}

test('loadPretrained errors: unknown names list the valid ones; missing or corrupt files are named', async () => {
  await assert.rejects(loadPretrained('mnist-gan'), (e: Error) => e instanceof GankitError && /mnist-dcgan, fashion-mnist-dcgan, mnist-conditional/.test(e.message));
  assert.throws(() => pretrainedDir('../etc'), GankitError);
  const root = join(tmp, 'root');
  await cp(pretrainedDir('mnist-dcgan'), join(root, 'mnist-dcgan'), { recursive: true });
  await cp(pretrainedDir('mnist-dcgan'), join(root, 'fashion-mnist-dcgan'), { recursive: true });
  await truncate(join(root, 'mnist-dcgan', 'weights.bin'), 1000);
  await rm(join(root, 'fashion-mnist-dcgan', 'model.json'));
  await cp(pretrainedDir('mnist-conditional'), join(root, 'mnist-conditional'), { recursive: true });
  await writeFile(join(root, 'mnist-conditional', 'model.json'), '{"modelTopology": ');
  process.env[PRETRAINED_DIR_ENV] = root;
  try {
    const before = tf.memory().numTensors;
    await assert.rejects(loadPretrained('mnist-dcgan'), /'mnist-dcgan' .*cannot be loaded.*1000 bytes/);
    await assert.rejects(loadPretrained('fashion-mnist-dcgan'), /'fashion-mnist-dcgan' is incomplete: model\.json missing/);
    await assert.rejects(loadPretrained('mnist-conditional'), /'mnist-conditional' .*cannot be loaded/);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    delete process.env[PRETRAINED_DIR_ENV];
  }
});
