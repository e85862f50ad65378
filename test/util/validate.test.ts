/**
 * One error shape for every option checker (util/validate.ts): for each family (trainer, GAN builders,
 * data, display, sampling and checkpoints, image save/grid, CLI flags) a bad value gives exactly
 * "Expected <valid range> for <parameter> but received <value> of type <type>" and an unknown key
 * exactly "Expected one of <valid keys> for <options> key but received "<key>" of type string", both
 * GankitErrors; and a rejected call loses no state.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { GankitError } from '../../src/util/errors.js';
import * as v from '../../src/util/validate.js';
import { createGan, disposeGan, resolveConfig, GanTrainer, sample, loadCheckpoint, saveCheckpoint } from '../../src/gan/index.js';
import { batches, createDataset, loadImageFolder, loadMnist } from '../../src/data/index.js';
import { createDisplay, imageGrid, plot, plotBundle, tensorBundle } from '../../src/display/index.js';
import { makeGrid, saveImage, encodeImage } from '../../src/image/index.js';
import { parseFlags } from '../../src/cli/flags.js';
import { blobs } from '../gan/helpers.js';

before(() => initBackend());

/** The error `fn` throws (or rejects with), which must be a GankitError. */
async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof GankitError, `a GankitError, not ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

/** `fn` fails with the one shape for a bad value of `param`. */
async function badValue(fn: () => unknown, param: string, range: string, received: string): Promise<void> {
  assert.equal((await errorOf(fn)).message, `Expected ${range} for ${param} but received ${received}`);
}

/** `fn` fails with the one shape for the unknown key `key` of `options`, listing exactly `known`. */
async function unknownKey(fn: () => unknown, options: string, key: string, known: readonly string[]): Promise<void> {
  const list = known.map((k) => `'${k}'`).join(', ');
  assert.equal((await errorOf(fn)).message, `Expected one of ${list} for ${options} key but received "${key}" of type string`);
}

const tiny = { architecture: 'mlp' as const, ngf: 8, ndf: 8, latentDim: 4, seed: 1 };
const TRAINER_KEYS = ['loss', 'lr', 'beta1', 'beta2', 'seed', 'fixedSamples', 'gpWeight', 'maxSnapshots', 'mode', 'threads'];
const TRAIN_KEYS = ['steps', 'batchSize', 'epochs', 'snapshotEvery', 'disposeBatches', 'signal', 'onStep', 'onSnapshot', 'onEpoch', 'onEnd'];

test('the helpers: one shape for values, one for unknown keys, plain objects only', async () => {
  await badValue(() => v.intIn('n', 0, 1, 4), 'n', 'integer in [1, 4]', '0 of type number');
  await badValue(() => v.oneOf('mode', 'x', ['a', 'b']), 'mode', "one of 'a', 'b'", '"x" of type string');
  await badValue(() => v.nonEmptyString('path', ''), 'path', 'non-empty string', '"" of type string');
  await unknownKey(() => v.options('f options', { a: 1, b: 2 }, ['a']), 'f options', 'b', ['a']);
  await badValue(() => v.options('f options', [1], ['a']), 'f options', 'a plain object of options', '[1] of type array');
  assert.deepEqual(v.options('f options', undefined, ['a']), {});
});

test('trainer: bad values and unknown keys give the one shape, and the trainer stays usable', async () => {
  const gan = createGan(tiny);
  await badValue(() => new GanTrainer(gan, { lr: 2 }), 'lr', 'number in (0, 1]', '2 of type number');
  await unknownKey(() => new GanTrainer(gan, { learningRate: 1 } as never), 'trainer options', 'learningRate', TRAINER_KEYS);
  const trainer = new GanTrainer(gan, { mode: 'eager' });
  await badValue(() => trainer.train(blobs(1, 4), { batchSize: 0 }), 'batchSize', 'integer in [1, 4096]', '0 of type number');
  await unknownKey(() => trainer.train(blobs(1, 4), { snapshotsEvery: 5 } as never), 'train options', 'snapshotsEvery', TRAIN_KEYS);
  await unknownKey(() => trainer.dispose({ all: true } as never), 'dispose options', 'all', ['gan']);
  assert.equal(trainer.isRunning, false);
  assert.equal(trainer.step, 0);
  const result = await trainer.train(blobs(1, 4));
  assert.equal(trainer.step, 1, `trained after the rejected calls (${JSON.stringify(result)})`);
  trainer.dispose();
  disposeGan(gan);
});

test('GAN builders: createGan / resolveConfig', async () => {
  await badValue(() => createGan({ latentDim: 0 }), 'latentDim', 'integer in [1, 1024]', '0 of type number');
  await badValue(() => resolveConfig({ imageSize: 30 as 28 }), 'imageSize', 'one of 28, 32, 64', '30 of type number');
  await unknownKey(() => createGan({ latentdim: 8 } as never), 'config', 'latentdim',
    ['architecture', 'imageSize', 'channels', 'latentDim', 'ngf', 'ndf', 'numClasses', 'discriminatorNorm', 'seed']);
});

test('data: batches, loadImageFolder, loadMnist; the dataset is untouched by a rejected call', async () => {
  const images = Uint8Array.from({ length: 4 * 4 }, (_, i) => i);
  const ds = createDataset({ name: 'four', imageShape: [2, 2, 1], images });
  await badValue(() => batches(ds, { batchSize: 2, shuffle: 'yes' as never }), 'shuffle', 'boolean', '"yes" of type string');
  await unknownKey(() => batches(ds, { batchSize: 2, batch_size: 2 } as never), 'batches options', 'batch_size',
    ['batchSize', 'shuffle', 'seed', 'dropLast', 'range', 'epochs']);
  await badValue(() => loadImageFolder('.', { fit: 'stretch' as never }), 'fit', "one of 'cover', 'contain', 'fill'", '"stretch" of type string');
  await unknownKey(() => loadImageFolder('.', { resize: 8 } as never), 'loadImageFolder options', 'resize',
    ['size', 'channels', 'fit', 'background', 'classes', 'recursive', 'extensions', 'limit', 'name']);
  await badValue(() => loadMnist({ limit: 0 }), 'limit', 'positive integer', '0 of type number');
  await unknownKey(() => loadMnist({ spilt: 'test' } as never), 'loadMnist options', 'spilt', ['split', 'limit', 'dir']);
  assert.deepEqual([...ds.images], [...images]);
  const [first] = batches(ds, { batchSize: 4, shuffle: false, range: '0-1' });
  assert.equal(first!.images.shape[0], 4);
  tf.dispose(first!.images);
});

test('display: imageGrid, plot, tensorBundle, createDisplay; no tensor is kept by a rejected call', async () => {
  const t = tf.zeros([2, 4, 4, 1]);
  const before = tf.memory().numTensors;
  await badValue(() => imageGrid(t, { padding: 65 }), 'padding', 'integer in [0, 64]', '65 of type number');
  await unknownKey(() => imageGrid(t, { nrows: 2 } as never), 'images options', 'nrows',
    ['nrow', 'padding', 'padValue', 'captions', 'title', 'range', 'maxImages', 'maxBytes', 'maxImageSize']);
  await badValue(() => plotBundle({ a: [[0, 1]] }, { scale: 'cubic' as never }), 'scale', "one of 'linear', 'log'", '"cubic" of type string');
  await unknownKey(() => plot({ a: [[0, 1]] }, { colour: 'red' } as never), 'plot options', 'colour',
    ['maxPoints', 'downsample', 'scale', 'final', 'stopped', 'title', 'xLabel', 'yLabel', 'y2', 'width', 'height']);
  await badValue(() => tensorBundle(t, { maxSize: 0 }), 'maxSize', 'integer in [1, 256]', '0 of type number');
  await unknownKey(() => tensorBundle(t, { nrow: 2 } as never), 'tensor options', 'nrow', ['name', 'mode', 'axes', 'index', 'range', 'maxSize', 'slices']);
  await badValue(() => createDisplay({ throttleMs: -1 }), 'throttleMs', 'number in [0, 60000]', '-1 of type number');
  await unknownKey(() => createDisplay({ throttle: 5 } as never), 'display options', 'throttle', ['throttleMs', 'id']);
  assert.equal(tf.memory().numTensors, before);
  t.dispose();
});

test('sampling and checkpoints: sample, loadCheckpoint', async () => {
  const gan = createGan(tiny);
  await badValue(() => sample(gan.generator, 0), 'n', 'integer in [1, 65536]', '0 of type number');
  await unknownKey(() => sample(gan.generator, 2, { seeds: 1 } as never), 'sample options', 'seeds', ['seed', 'truncation', 'labels']);
  await unknownKey(() => loadCheckpoint('nowhere', { expected: {} } as never), 'loadCheckpoint options', 'expected', ['expect', 'mode', 'threads']);
  const dir = mkdtempSync(join(tmpdir(), 'gankit-validate-'));
  try {
    const trainer = new GanTrainer(gan, { mode: 'eager' });
    await saveCheckpoint(trainer, dir);
    await unknownKey(() => loadCheckpoint(dir, { expect: { imagesize: 28 } as never }), 'expect', 'imagesize',
      ['architecture', 'imageSize', 'channels', 'latentDim', 'ngf', 'ndf', 'numClasses', 'discriminatorNorm', 'seed']);
    const loaded = await loadCheckpoint(dir, { expect: { architecture: 'mlp' }, mode: 'eager' });
    assert.equal(loaded.step, 0);
    loaded.dispose({ gan: true });
    trainer.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    disposeGan(gan);
  }
});

test('image save/grid: makeGrid, saveImage, encodeImage', async () => {
  const t = tf.zeros([2, 4, 4, 3]);
  const one = tf.zeros([4, 4, 3]);
  const before = tf.memory().numTensors;
  await badValue(() => makeGrid(t, { nrow: 0 }), 'nrow', 'positive integer', '0 of type number');
  await unknownKey(() => makeGrid(t, { value_range: [0, 1] } as never), 'options', 'value_range',
    ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue']);
  await badValue(() => saveImage(t, 'x.jpg', { quality: 0 }), 'quality', 'integer in [1, 100]', '0 of type number');
  await unknownKey(() => saveImage(t, 'x.png', { qualty: 5 } as never), 'options', 'qualty',
    ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue', 'format', 'quality']);
  await unknownKey(() => encodeImage(one, { fromat: 'png' } as never), 'options', 'fromat', ['format', 'range', 'quality', 'lossless']);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([t, one]);
});

test('CLI flags: an unknown flag and an unknown edit option give the unknown-key shape', async () => {
  const options = { out: { type: 'string' }, steps: { type: 'string' } } as const;
  assert.equal((await errorOf(() => parseFlags(['--stpes', '3'], options, 'train'))).message,
    `Expected one of '--out', '--steps' for gankit train flag (see --help) but received "--stpes" of type string`);
});
