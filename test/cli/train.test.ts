import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { initBackend } from '../../src/backend/select.js';
import { disposeGan, loadCheckpoint, loadGenerator } from '../../src/gan/index.js';
import { TINY, runCli, startCli } from './helpers.js';

let tmp: string;
before(async () => {
  await initBackend();
  tmp = await mkdtemp(join(tmpdir(), 'gankit-train-cli-'));
});
after(async () => { await rm(tmp, { recursive: true, force: true }); });

const historyOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'checkpoint', 'manifest.json'), 'utf8')).history as unknown[];

test('train writes checkpoint, snapshots, samples and an export with metadata; --resume continues exactly', async () => {
  const full = join(tmp, 'full');
  const part = join(tmp, 'part');
  const exp = join(tmp, 'export');
  const folder = join(tmp, 'images');
  await mkdir(join(folder, 'cats'), { recursive: true });
  await mkdir(join(folder, 'dogs'), { recursive: true });
  for (let i = 0; i < 8; i++) {
    const raw = Buffer.alloc(40 * 36 * 3, (i * 29) % 256);
    await sharp(raw, { raw: { width: 40, height: 36, channels: 3 } }).png().toFile(join(folder, i % 2 ? 'cats' : 'dogs', `${i}.png`));
  }
  const [a, b, f] = await Promise.all([
    runCli(['train', ...TINY, '--out', full, '--steps', '6', '--snapshot-every', '3', '--checkpoint-every', '2', '--seed', '3', '--export', exp]),
    runCli(['train', ...TINY, '--out', part, '--steps', '3', '--seed', '3']),
    runCli(['train', '--dataset', folder, '--arch', 'conditional', '--image-size', '32', '--ngf', '8', '--ndf', '8', '--batch-size', '4', '--epochs', '2', '--out', join(tmp, 'folder')]),
  ]);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stderr, /\(8 images 32x32x3\), conditional, step 0 -> 4, batch 4, 2 steps per epoch/);
  const ft = await loadCheckpoint(join(tmp, 'folder', 'checkpoint'));
  assert.deepEqual([ft.step, ft.epoch, ft.gan.config.numClasses, ft.gan.config.channels], [4, 1, 2, 3]);
  ft.dispose();
  disposeGan(ft.gan);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.match(a.stderr, /step 6\/6 .*Loss_D \d+\.\d+ Loss_G \d+\.\d+/);
  assert.deepEqual((await readdir(join(full, 'snapshots'))).sort(), ['step-000003.png', 'step-000006.png']);
  const grid = await sharp(join(full, 'samples.png')).metadata();
  assert.equal(grid.width, 8 * 30 + 2); // 64 fixed samples, 8 per row, 2 px padding
  assert.equal(grid.height, 8 * 30 + 2);

  const before = tf.memory().numTensors;
  const trainer = await loadCheckpoint(join(full, 'checkpoint'));
  assert.equal(trainer.step, 6);
  assert.equal(trainer.gan.config.ngf, 8);
  assert.equal(trainer.seed, 3);
  trainer.dispose();
  disposeGan(trainer.gan);
  assert.equal(tf.memory().numTensors, before);

  const meta = JSON.parse(await readFile(join(exp, 'meta.json'), 'utf8'));
  assert.equal(meta.steps, 6);
  assert.equal(meta.seed, 3);
  assert.equal(meta.dataset.name, 'mnist');
  assert.equal(meta.config.ndf, 8);
  assert.ok(Number.isFinite(meta.finalLosses.lossD) && Number.isFinite(meta.finalLosses.lossG));
  assert.ok(meta.wallSeconds > 0);
  assert.match(meta.commands[0], /^gankit train --dataset mnist .*--steps 6/);
  const g = await loadGenerator(exp);
  assert.deepEqual(g.outputs[0]!.shape, [null, 28, 28, 1]);
  assert.deepEqual((g.getUserDefinedMetadata() as { gankit: { steps: number } }).gankit.steps, 6);
  g.dispose();

  const c = await runCli(['train', '--out', part, '--resume', '--steps', '6']);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stderr, /step 3 -> 6/);
  const [h1, h2] = await Promise.all([historyOf(full), historyOf(part)]);
  assert.equal(h2.length, 6);
  assert.deepEqual(h2, h1); // bit-identical losses and D outputs
  const run = JSON.parse(await readFile(join(part, 'run.json'), 'utf8'));
  assert.equal(run.commands.length, 2);
});

test('SIGINT during training saves a valid checkpoint and exits 130', async () => {
  const out = join(tmp, 'sigint');
  const { child, done } = startCli(['train', ...TINY, '--out', out, '--steps', '100000', '--checkpoint-every', '0']);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
    if (/step 0 -> 100000/.test(stderr)) setTimeout(() => child.kill('SIGINT'), 1500);
  });
  const r = await done;
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted after step (\d+)/);
  const steps = Number(/interrupted after step (\d+)/.exec(r.stderr)![1]);
  assert.ok(steps >= 1 && steps < 100000);
  const trainer = await loadCheckpoint(join(out, 'checkpoint'));
  assert.equal(trainer.step, steps);
  assert.equal(trainer.history.length, steps);
  trainer.dispose();
  disposeGan(trainer.gan);
});

test('bad flags exit 2 with a message naming the flag and its range', async () => {
  const out = join(tmp, 'bad');
  const cases: [string[], string, string][] = [
    [['--lr', '2'], '--lr', '(0, 1]'],
    [['--batch-size', '0'], '--batch-size', '[1, 4096]'],
    [['--ngf', '3'], '--ngf', '[4, 512]'],
    [['--arch', 'vae'], '--arch', "'dcgan', 'mlp', 'conditional'"],
    [['--image-size', '30'], '--image-size', "'28', '32', '64'"],
    [['--channels', '2'], '--channels', "'1', '3'"],
    [['--loss', 'l1'], '--loss', "'bce', 'lsgan', 'hinge', 'wgan-gp'"],
    [['--steps', '1.5'], '--steps', 'integer >= 1'],
    [['--steps', '5', '--epochs', '1'], '--steps', '--epochs'],
    [['--bogus', '1'], '--bogus', "'--dataset', "],
    [['--image-size', '64'], '--image-size', 'Expected 28'], // MNIST is 28x28
  ];
  const results = await Promise.all(cases.map(([flags]) => runCli(['train', ...TINY, '--out', out, ...flags])));
  results.forEach((r, i) => {
    const [flags, name, range] = cases[i]!;
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^gankit train: /m);
    assert.ok(r.stderr.includes(name) && r.stderr.includes(range), `${flags.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/); // a message, not a stack trace
  });
  const [noOut, noDataset, noResume, help] = await Promise.all([
    runCli(['train', '--dataset', 'mnist']),
    runCli(['train', '--out', out]),
    runCli(['train', '--out', join(tmp, 'nothing'), '--resume']),
    runCli(['train', '--help']),
  ]);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /--out/);
  assert.equal(noDataset.code, 2);
  assert.match(noDataset.stderr, /Expected mnist, fashion-mnist or an image folder path for --dataset/);
  assert.equal(noResume.code, 2);
  assert.match(noResume.stderr, /Nothing to resume/);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: gankit train/);
  assert.match(help.stdout, /--checkpoint-every/);
});
