/** `gankit quality`: the real CLI scores a pretrained generator, its untrained self and real images. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, TINY } from './helpers.js';

interface Report { model: string; dataset: string; n: number; results: Record<string, { fd: number; confidence: number; diversity: number; n: number }> }

test('quality ranks real images < the pretrained generator < the same architecture untrained', async () => {
  const r = await runCli(['quality', 'mnist-dcgan', '--n', '300', '--real', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.dataset, 'mnist', 'the dataset comes from the pretrained registry');
  const { model, untrained, 'real test images': real } = report.results;
  assert.ok(model && untrained && real, Object.keys(report.results).join(', '));
  assert.equal(model.n, 300);
  assert.ok(real.fd < model.fd && model.fd * 3 < untrained.fd, `fd real ${real.fd} < model ${model.fd} << untrained ${untrained.fd}`);
  assert.ok(model.confidence > untrained.confidence + 0.3, `confidence ${model.confidence} vs ${untrained.confidence}`);
});

test('quality reads a train --out folder (checkpoint + run.json) and prints a table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gankit-quality-'));
  try {
    const out = join(dir, 'run');
    const t = await runCli(['train', ...TINY, '--steps', '2', '--out', out]);
    assert.equal(t.code, 0, t.stderr);
    const r = await runCli(['quality', out, '--n', '20']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^.*run: 20 images against mnist test features\n/);
    assert.match(r.stdout, /\nmodel +\d+\.\d\d +0\.\d{3} +\d+\.\d\d\nuntrained +\d+\.\d\d/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('quality rejects bad flags and models with exit 2 and a message naming them', async () => {
  const cases: [string[], RegExp][] = [
    [['quality', 'mnist-dcgan', '--n', '1'], /integer in \[2, 10000\] for --n/],
    [['quality', 'mnist-dcgan', '--dataset', 'cifar'], /--dataset/],
    [['quality', 'no-such-model'], /pretrained name .* for MODEL but received "no-such-model"/],
    [['quality'], /Expected one MODEL argument/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
