import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { interpolationImages, loadGenerator, sample } from '../../src/gan/index.js';
import { loadPretrained } from '../../src/gan/pretrained.js';
import { saveImage } from '../../src/image/index.js';
import { TINY, runCli } from './helpers.js';

let tmp: string;
let tiny: string;
before(async () => {
  await initBackend();
  tmp = await mkdtemp(join(tmpdir(), 'gankit-sample-cli-'));
  tiny = join(tmp, 'tiny');
  const r = await runCli(['train', ...TINY, '--arch', 'conditional', '--steps', '2', '--out', tiny, '--export', join(tiny, 'export')]);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => { await rm(tmp, { recursive: true, force: true }); });

/** Raw RGB pixels and size of an image file. */
async function pixels(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Write what the CLI should have written, in this process. */
async function expected(images: tf.Tensor4D, nrow: number, file: string): Promise<void> {
  try {
    await saveImage(images, file, { nrow, normalize: true, valueRange: [-1, 1] });
  } finally {
    images.dispose();
  }
}

test('sample writes grids from a pretrained name, with labels for the conditional model', async () => {
  const [plain, three, seven] = await Promise.all([
    runCli(['sample', 'mnist-dcgan', '--out', join(tmp, 'plain.png'), '--n', '16', '--seed', '4']),
    runCli(['sample', 'mnist-conditional', '--out', join(tmp, 'three.png'), '--n', '6', '--labels', '3', '--seed', '2', '--nrow', '3']),
    runCli(['sample', 'mnist-conditional', '--out', join(tmp, 'seven.png'), '--n', '6', '--labels', '7', '--seed', '2', '--nrow', '3']),
  ]);
  for (const r of [plain, three, seven]) assert.equal(r.code, 0, r.stderr);
  const meta = await sharp(join(tmp, 'plain.png')).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, 4 * 30 + 2);
  assert.equal(meta.height, 4 * 30 + 2);

  const before = tf.memory().numTensors;
  const g = await loadPretrained('mnist-dcgan');
  await expected(sample(g, 16, { seed: 4 }), 4, join(tmp, 'plain-expected.png'));
  g.dispose();
  assert.deepEqual(await pixels(join(tmp, 'plain.png')), await pixels(join(tmp, 'plain-expected.png')));

  const c = await loadPretrained('mnist-conditional');
  await expected(sample(c, 6, { seed: 2, labels: 3 }), 3, join(tmp, 'three-expected.png'));
  c.dispose();
  assert.equal(tf.memory().numTensors, before);
  const p3 = await pixels(join(tmp, 'three.png'));
  assert.deepEqual(p3, await pixels(join(tmp, 'three-expected.png')));
  assert.equal(p3.width, 3 * 30 + 2);
  assert.equal(p3.height, 2 * 30 + 2);
  assert.notDeepEqual(p3.data, (await pixels(join(tmp, 'seven.png'))).data); // same noise, another class
});

test('sample reads export and checkpoint folders and writes interpolation rows', async () => {
  const [fromExport, fromCheckpoint] = await Promise.all([
    runCli(['sample', join(tiny, 'export'), '--out', join(tmp, 'walk.png'), '--interpolate', '6', '--n', '2', '--mode', 'linear', '--seed', '9', '--labels', '1,5']),
    runCli(['sample', tiny, '--out', join(tmp, 'ckpt.png'), '--n', '5', '--labels', '0,1,2,3,4']),
  ]);
  assert.equal(fromExport.code, 0, fromExport.stderr);
  assert.equal(fromCheckpoint.code, 0, fromCheckpoint.stderr);
  const walk = await pixels(join(tmp, 'walk.png'));
  assert.equal(walk.width, 6 * 30 + 2);
  assert.equal(walk.height, 2 * 30 + 2);
  const g = await loadGenerator(join(tiny, 'export'));
  const rows = [interpolationImages(g, 9, 10, 6, 'linear', 1), interpolationImages(g, 11, 12, 6, 'linear', 5)];
  await expected(tf.concat(rows, 0), 6, join(tmp, 'walk-expected.png'));
  tf.dispose(rows);
  g.dispose();
  assert.deepEqual(walk, await pixels(join(tmp, 'walk-expected.png')));
  const ckpt = await sharp(join(tmp, 'ckpt.png')).metadata();
  assert.equal(ckpt.width, 3 * 30 + 2); // 5 images: 3 per row, 2 rows
  assert.equal(ckpt.height, 2 * 30 + 2);
});

test('sample rejects bad flags and models with exit 2 and a message naming them', async () => {
  const out = join(tmp, 'bad.png');
  const cases: [string[], string, string][] = [
    [['mnist-dcgan', '--out', out, '--n', '0'], '--n', '[1, 1024]'],
    [['mnist-dcgan', '--out', out, '--truncation', '0'], '--truncation', '(0, 10]'],
    [['mnist-dcgan', '--out', out, '--labels', '3'], '--labels', 'conditional'],
    [['mnist-conditional', '--out', out, '--labels', '1,10'], '--labels', '[0, 9]'],
    [['mnist-dcgan', '--out', out, '--interpolate', '1'], '--interpolate', '[2, 1024]'],
    [['mnist-dcgan', '--out', out, '--interpolate', '4', '--mode', 'cubic'], '--mode', "'linear', 'spherical'"],
    [['mnist-dcgan', '--out', join(tmp, 'bad.gif')], '--out', '.png'],
    [['no-such-model', '--out', out], 'MODEL', 'mnist-dcgan, fashion-mnist-dcgan, mnist-conditional'],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(['sample', ...args])));
  results.forEach((r, i) => {
    const [args, name, range] = cases[i]!;
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(/^gankit sample: /m.test(r.stderr) && r.stderr.includes(name) && r.stderr.includes(range), `${args.join(' ')}: ${r.stderr}`);
  });
  const help = await runCli(['sample', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: gankit sample MODEL/);
});
